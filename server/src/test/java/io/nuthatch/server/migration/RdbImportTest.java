package io.nuthatch.server.migration;

import io.nuthatch.persistence.rdb.RdbFileReader;
import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.server.Engine;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.codec.EncodingLimits;
import io.nuthatch.server.testing.KeyView;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
            RdbKeyspaceLoader loader = new RdbKeyspaceLoader(engine.keyspace(),
                    EncodingLimits.of(engine.config().encoding), System.currentTimeMillis(), engine.lruClock(), false);
            RdbFileReader.read(in, loader);
            return loader;
        } finally {
            engine.lock().unlock();
        }
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
