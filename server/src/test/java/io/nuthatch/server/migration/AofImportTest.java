package io.nuthatch.server.migration;

import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.testing.KeyView;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Append-only files written by Debian's redis-server 7.0, imported the way a first start finds
 * them ({@link RedisDataImport#find}) and compared key by key with what redis-server loads from
 * the same files (DEBUG LOADAOF): the multi-part AOF with an RDB preamble and without one, and a
 * single appendonly.aof (the layout of Redis 6 and older, which 7.0 no longer writes: made here
 * from 7.0's base and increment, which are that format, one after the other).
 */
class AofImportTest {

    @Test
    void aMultiPartAofWithAnRdbPreambleImportsKeyForKey(@TempDir Path dir) throws Exception {
        try (RedisServerProcess redis = startWithAof(dir, "yes");
             RawConnection connection = new RawConnection(redis.port())) {
            writeThroughRewrite(connection);
            assertTrue(Files.list(dir.resolve("appendonlydir")).anyMatch(f -> f.toString().endsWith(".base.rdb")));
            importAndCompare(dir, connection, true);
        }
    }

    @Test
    void aMultiPartAofWithoutPreambleImportsKeyForKey(@TempDir Path dir) throws Exception {
        try (RedisServerProcess redis = startWithAof(dir, "no");
             RawConnection connection = new RawConnection(redis.port())) {
            writeThroughRewrite(connection);
            assertTrue(Files.list(dir.resolve("appendonlydir")).anyMatch(f -> f.toString().endsWith(".base.aof")));
            importAndCompare(dir, connection, true);
        }
    }

    @Test
    void aSingleAppendOnlyFileImportsKeyForKeyAndATornTailFollowsAofLoadTruncated(@TempDir Path dir,
            @TempDir Path single) throws Exception {
        try (RedisServerProcess redis = startWithAof(dir, "no");
             RawConnection connection = new RawConnection(redis.port())) {
            writeThroughRewrite(connection);
            Path appendDir = dir.resolve("appendonlydir");
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            joined.write(Files.readAllBytes(only(appendDir, ".base.aof")));
            joined.write(Files.readAllBytes(only(appendDir, ".incr.aof")));
            Files.write(single.resolve("appendonly.aof"), joined.toByteArray());
            importAndCompare(single, connection, true);

            byte[] torn = java.util.Arrays.copyOf(joined.toByteArray(), joined.size() - 3);
            Files.write(single.resolve("appendonly.aof"), torn);
            try (NuthatchServer nuthatch = ReferencePair.startNuthatch()) {
                RedisDataImport.Outcome outcome = RedisDataImport.find(single, aofConfig("yes")).load(nuthatch.engine());
                assertTrue(outcome.truncated());
            }
            try (NuthatchServer nuthatch = ReferencePair.startNuthatch()) {
                RdbFormatException refused = assertThrows(RdbFormatException.class,
                        () -> RedisDataImport.find(single, aofConfig("no")).load(nuthatch.engine()));
                assertTrue(refused.getMessage().contains("appendonly.aof"), refused.getMessage());
            }
        }
    }

    @Test
    void withoutAppendOnlyTheDumpIsImported(@TempDir Path dir) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString());
             RawConnection connection = new RawConnection(redis.port())) {
            RedisDataset.fill(connection);
            RedisDataset.call(connection, "SAVE");
            ServerConfig config = new ServerConfig();
            RedisDataImport.Plan plan = RedisDataImport.find(dir, config);
            assertNotNull(plan);
            assertEquals(List.of(dir.resolve("dump.rdb")), plan.files());
            try (NuthatchServer nuthatch = ReferencePair.startNuthatch();
                 RawConnection imported = new RawConnection(nuthatch.port())) {
                plan.load(nuthatch.engine());
                RedisDataset.call(connection, "DEBUG", "RELOAD", "NOSAVE");
                compare(connection, imported, true);
            }
        }
    }

    @Test
    void aTransactionTheFileEndsInsideIsDroppedWhole(@TempDir Path dir) throws Exception {
        String file = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"
                + "#TS:1700000000\r\n"
                + "*1\r\n$5\r\nMULTI\r\n"
                + "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
        Files.writeString(dir.resolve("appendonly.aof"), file, StandardCharsets.US_ASCII);
        try (NuthatchServer nuthatch = ReferencePair.startNuthatch();
             RawConnection imported = new RawConnection(nuthatch.port())) {
            RedisDataImport.Outcome outcome = RedisDataImport.find(dir, aofConfig("yes")).load(nuthatch.engine());
            assertTrue(outcome.truncated());
            assertEquals(1, outcome.commands());
            assertEquals("$1\r\n1\r\n", new String(imported.call("GET", "a"), StandardCharsets.US_ASCII));
            assertEquals(":0\r\n", new String(imported.call("EXISTS", "b"), StandardCharsets.US_ASCII));
        }
        try (NuthatchServer nuthatch = ReferencePair.startNuthatch()) {
            assertThrows(RdbFormatException.class,
                    () -> RedisDataImport.find(dir, aofConfig("no")).load(nuthatch.engine()));
        }
    }

    @Test
    void aCommandThatFailsStopsTheImportNamingItsOffset(@TempDir Path dir) throws Exception {
        String set = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n";
        String file = set + "*3\r\n$5\r\nLPUSH\r\n$1\r\na\r\n$1\r\nx\r\n";
        Files.writeString(dir.resolve("appendonly.aof"), file, StandardCharsets.US_ASCII);
        try (NuthatchServer nuthatch = ReferencePair.startNuthatch()) {
            RdbFormatException refused = assertThrows(RdbFormatException.class,
                    () -> RedisDataImport.find(dir, aofConfig("yes")).load(nuthatch.engine()));
            assertTrue(refused.getMessage().contains("LPUSH at offset " + set.length() + " failed: WRONGTYPE"),
                    refused.getMessage());
        }
    }

    @Test
    void anEmptyDirectoryHasNothingToImport(@TempDir Path dir) throws Exception {
        assertEquals(null, RedisDataImport.find(dir, aofConfig("yes")));
    }

    // ---------------------------------------------------------------- helpers

    private static RedisServerProcess startWithAof(Path dir, String preamble) throws IOException {
        return RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes",
                "--aof-use-rdb-preamble", preamble, "--appendfsync", "always");
    }

    /** The dataset, a rewrite (the base), then writes the increment holds, a transaction among them. */
    private static void writeThroughRewrite(RawConnection redis) throws Exception {
        RedisDataset.fill(redis);
        RedisDataset.call(redis, "BGREWRITEAOF");
        awaitRewrite(redis);
        RedisDataset.call(redis, "SET", "after-rewrite", "1", "EX", "600000");
        RedisDataset.call(redis, "INCRBYFLOAT", "float", "1.5");
        RedisDataset.call(redis, "LPUSH", "small-list", "pushed-later");
        RedisDataset.call(redis, "HSET", "small-hash", "later", "yes");
        RedisDataset.call(redis, "ZINCRBY", "small-zset", "3", "a");
        RedisDataset.call(redis, "SPOP", "intset");
        RedisDataset.call(redis, "MULTI");
        RedisDataset.call(redis, "INCR", "counter");
        RedisDataset.call(redis, "RPUSH", "tx-list", "x", "y");
        RedisDataset.call(redis, "EXEC");
        RedisDataset.call(redis, "XADD", "stream", "9-0", "a", "late");
        RedisDataset.call(redis, "XREADGROUP", "GROUP", "g1", "bob", "STREAMS", "stream", ">");
        RedisDataset.call(redis, "XACK", "stream", "g1", "1-1");
        RedisDataset.call(redis, "SELECT", "3");
        RedisDataset.call(redis, "DEL", "small-hash");
        RedisDataset.call(redis, "SELECT", "0");
    }

    private static void awaitRewrite(RawConnection redis) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            String info = new String(redis.call("INFO", "persistence"), StandardCharsets.ISO_8859_1);
            if (info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")) {
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline, "the rewrite never ended");
            Thread.sleep(20);
        }
    }

    private static ServerConfig aofConfig(String truncated) throws Exception {
        ServerConfig config = new ServerConfig();
        config.find("appendonly").set("yes");
        config.find("aof-load-truncated").set(truncated);
        return config;
    }

    private static void importAndCompare(Path dir, RawConnection redis, boolean expectCommands) throws Exception {
        RedisDataImport.Plan plan = RedisDataImport.find(dir, aofConfig("yes"));
        assertNotNull(plan);
        try (NuthatchServer nuthatch = ReferencePair.startNuthatch();
             RawConnection imported = new RawConnection(nuthatch.port())) {
            RedisDataImport.Outcome outcome = plan.load(nuthatch.engine());
            assertFalse(outcome.truncated());
            assertTrue(!expectCommands || outcome.commands() > 0, "commands replayed: " + outcome.commands());
            RedisDataset.call(redis, "DEBUG", "LOADAOF");
            compare(redis, imported, false);
        }
    }

    private static void compare(RawConnection redis, RawConnection imported, boolean withTimes) throws IOException {
        long compared = 0;
        for (int db = 0; db < 16; db++) {
            redis.call("SELECT", Integer.toString(db));
            imported.call("SELECT", Integer.toString(db));
            List<String> keys = KeyView.keys(redis);
            assertEquals(keys, KeyView.keys(imported), "keys of db " + db);
            for (String key : keys) {
                assertEquals(KeyView.of(redis, key, withTimes), KeyView.of(imported, key, withTimes), "db " + db + " key " + key);
                KeyView.assertSameTtl(redis, imported, key, key);
                compared++;
            }
        }
        redis.call("SELECT", "0");
        assertTrue(compared >= 20, "compared " + compared);
    }

    private static Path only(Path dir, String suffix) throws IOException {
        try (var files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, found.size(), suffix + " files: " + found);
            return found.get(0);
        }
    }
}
