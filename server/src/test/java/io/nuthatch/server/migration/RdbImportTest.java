package io.nuthatch.server.migration;

import io.nuthatch.persistence.rdb.RdbFileReader;
import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.server.Engine;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.codec.EncodingLimits;
import io.nuthatch.server.testing.KeyView;
import io.nuthatch.server.testing.LfuCounters;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dump.rdb files written by Debian's redis-server 7.0 (SAVE, with rdbcompression on and off),
 * read into a Nuthatch keyspace and compared key by key with the redis-server that wrote them:
 * every database, every key's type, encoding, contents and TTL, after redis-server loaded the same
 * file again (DEBUG RELOAD NOSAVE).
 */
class RdbImportTest {

    @Test
    void aCompressedDumpImportsKeyForKey(@TempDir Path dir) throws Exception {
        importAndCompare(dir, "yes");
    }

    @Test
    void anUncompressedDumpImportsKeyForKey(@TempDir Path dir) throws Exception {
        importAndCompare(dir, "no");
    }

    private void importAndCompare(Path dir, String compression) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--rdbcompression", compression);
             RawConnection redisConnection = new RawConnection(redis.port());
             NuthatchServer nuthatch = ReferencePair.startNuthatch();
             RawConnection nuthatchConnection = new RawConnection(nuthatch.port())) {
            RedisDataset.fill(redisConnection);
            Thread.sleep(5);
            RedisDataset.call(redisConnection, "SAVE");
            RdbKeyspaceLoader loader = load(nuthatch, dir.resolve("dump.rdb"));
            // Compared with what redis-server itself makes of the file (a loaded string takes the
            // encoding its length gives it, whatever command wrote it).
            RedisDataset.call(redisConnection, "DEBUG", "RELOAD", "NOSAVE");
            assertEquals(1, loader.functionLibraries().size(), "the function library is kept");
            assertTrue(loader.aux().get("redis-ver").startsWith("7.0"), loader.aux().toString());
            long compared = 0;
            for (int db = 0; db < 16; db++) {
                redisConnection.call("SELECT", Integer.toString(db));
                nuthatchConnection.call("SELECT", Integer.toString(db));
                var keys = KeyView.keys(redisConnection);
                assertEquals(keys, KeyView.keys(nuthatchConnection), "keys of db " + db);
                for (String key : keys) {
                    assertEquals(KeyView.of(redisConnection, key), KeyView.of(nuthatchConnection, key),
                            "db " + db + " key " + key);
                    KeyView.assertSameTtl(redisConnection, nuthatchConnection, key, key);
                    compared++;
                }
            }
            assertEquals(loader.loaded(), compared);
            assertTrue(compared >= 20, "compared " + compared);
            nuthatchConnection.call("SELECT", "0");
            assertEquals(":0\r\n", new String(nuthatchConnection.call("EXISTS", RedisDataset.EXPIRED_KEY)));
        }
    }

    static RdbKeyspaceLoader load(NuthatchServer nuthatch, Path file) throws IOException {
        Engine engine = nuthatch.engine();
        engine.lock().lock();
        try (InputStream in = Files.newInputStream(file)) {
            engine.beginServerTask();
            RdbKeyspaceLoader loader = new RdbKeyspaceLoader(engine.keyspace(),
                    EncodingLimits.of(engine.config().encoding), System.currentTimeMillis(), engine.lruClock());
            RdbFileReader.read(in, loader);
            return loader;
        } finally {
            engine.lock().unlock();
        }
    }

    /**
     * A dump written under allkeys-lru carries each key's idle time (IDLE records): the import
     * counts it back from its own time, past the 24-bit clock's present value too, as redis-server
     * loading the same file does; a key gets no more idle for the time the file spent on disk.
     */
    @Test
    void idleTimesOfAnLruDumpAreKept(@TempDir Path dir) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(),
                "--maxmemory-policy", "allkeys-lru");
             RawConnection redisConnection = new RawConnection(redis.port());
             NuthatchServer nuthatch = ReferencePair.startNuthatch("maxmemory-policy", "allkeys-lru");
             RawConnection nuthatchConnection = new RawConnection(nuthatch.port())) {
            redisConnection.call("SET", "k", "v");
            byte[] payload = bulk(redisConnection.call("DUMP", "k"));
            restore(redisConnection, "ancient", payload, "IDLETIME", "3000000");
            restore(redisConnection, "old", payload, "IDLETIME", "600");
            redisConnection.call("SET", "fresh", "v");
            RedisDataset.call(redisConnection, "SAVE");
            Thread.sleep(2_000);
            load(nuthatch, dir.resolve("dump.rdb"));
            RedisDataset.call(redisConnection, "DEBUG", "RELOAD", "NOSAVE");
            for (String key : new String[] {"ancient", "old", "fresh"}) {
                long expected = integer(redisConnection.call("OBJECT", "IDLETIME", key));
                long actual = integer(nuthatchConnection.call("OBJECT", "IDLETIME", key));
                assertTrue(Math.abs(expected - actual) <= 2, key + ": redis-server " + expected + ", nuthatch " + actual);
            }
            long ancient = integer(nuthatchConnection.call("OBJECT", "IDLETIME", "ancient"));
            assertTrue(ancient >= 3_000_000 && ancient <= 3_000_002, "ancient " + ancient);
            assertTrue(integer(nuthatchConnection.call("OBJECT", "IDLETIME", "fresh")) <= 2);
        }
    }

    /**
     * A dump written under allkeys-lfu carries each key's counter (FREQ records): a database whose
     * policy is an LFU one (here by maxmemory-policy-db) keeps it; one under an LRU policy ignores
     * it and stamps the key as new at the import, as Redis does for a record of the other kind.
     */
    @Test
    void countersOfAnLfuDumpAreKeptWhereTheDatabaseKeepsCounters(@TempDir Path dir) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(),
                "--maxmemory-policy", "allkeys-lfu");
             RawConnection redisConnection = new RawConnection(redis.port());
             NuthatchServer nuthatch = ReferencePair.startNuthatch("maxmemory-policy", "allkeys-lru",
                     "maxmemory-policy-db", "1 allkeys-lfu");
             RawConnection nuthatchConnection = new RawConnection(nuthatch.port())) {
            redisConnection.call("SET", "k", "v");
            byte[] payload = bulk(redisConnection.call("DUMP", "k"));
            long restoredAt = System.currentTimeMillis();
            restore(redisConnection, "counted", payload, "FREQ", "77");
            redisConnection.call("SELECT", "1");
            restore(redisConnection, "counted", payload, "FREQ", "77");
            redisConnection.call("SELECT", "0");
            RedisDataset.call(redisConnection, "SAVE");
            load(nuthatch, dir.resolve("dump.rdb"));
            assertTrue(integer(nuthatchConnection.call("OBJECT", "IDLETIME", "counted")) <= 2);
            nuthatchConnection.call("SELECT", "1");
            LfuCounters.assertUndecayedSince(77, integer(nuthatchConnection.call("OBJECT", "FREQ", "counted")),
                    restoredAt, "the dump's counter");
        }
    }

    private static void restore(RawConnection connection, String key, byte[] payload, String option, String value)
            throws IOException {
        List<byte[]> command = new ArrayList<>();
        for (String word : new String[] {"RESTORE", key, "0"}) {
            command.add(word.getBytes(StandardCharsets.US_ASCII));
        }
        command.add(payload);
        command.add(option.getBytes(StandardCharsets.US_ASCII));
        command.add(value.getBytes(StandardCharsets.US_ASCII));
        assertEquals("+OK\r\n", new String(connection.call(command), StandardCharsets.ISO_8859_1));
    }

    private static byte[] bulk(byte[] reply) {
        return ((String) RespValue.parse(reply)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static long integer(byte[] reply) {
        return (Long) RespValue.parse(reply);
    }

    @Test
    void aDamagedDumpIsRefusedWithAFormatError(@TempDir Path dir) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString());
             RawConnection redisConnection = new RawConnection(redis.port())) {
            RedisDataset.fill(redisConnection);
            RedisDataset.call(redisConnection, "SAVE");
        }
        byte[] good = Files.readAllBytes(dir.resolve("dump.rdb"));
        Random random = new Random(9);
        int refused = 0;
        for (int round = 0; round < 40; round++) {
            byte[] damaged = good.clone();
            damaged[9 + random.nextInt(damaged.length - 9)] ^= (byte) (1 + random.nextInt(255));
            Path file = dir.resolve("damaged.rdb");
            Files.write(file, damaged);
            try (NuthatchServer nuthatch = ReferencePair.startNuthatch()) {
                assertThrows(RdbFormatException.class, () -> load(nuthatch, file));
                refused++;
            }
        }
        assertEquals(40, refused);
    }
}
