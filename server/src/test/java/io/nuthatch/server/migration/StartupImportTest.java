package io.nuthatch.server.migration;

import io.nuthatch.persistence.Manifest;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.KeyView;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A first start on a directory Debian's redis-server 7.0 left (dump.rdb): the server imports it,
 * logs what it imported, saves its own snapshot, and serves the same keys as redis-server; the next
 * start loads that snapshot and does not import again. The Redis file is left as it was.
 */
class StartupImportTest {

    @Test
    void aDumpLeftByRedisIsImportedOnceAtTheFirstStart(@TempDir Path dir) throws Exception {
        Map<String, List<String>> redisKeys;
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString());
             RawConnection connection = new RawConnection(redis.port())) {
            RedisDataset.fill(connection, false);
            Thread.sleep(5);
            RedisDataset.call(connection, "SAVE");
            RedisDataset.call(connection, "DEBUG", "RELOAD", "NOSAVE");
            redisKeys = dataset(connection);
        }
        byte[] dump = Files.readAllBytes(dir.resolve("dump.rdb"));

        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        try (NuthatchServer server = start(dir, logged); RawConnection connection = new RawConnection(server.port())) {
            assertEquals(redisKeys, dataset(connection));
        }
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("importing the RDB " + dir.resolve("dump.rdb")), log);
        assertTrue(log.contains("Imported the RDB " + dir.resolve("dump.rdb") + ": " + countKeys(redisKeys)
                + " keys from RDB data"), log);
        Manifest manifest = Manifest.read(dir);
        assertNotNull(manifest);
        assertNotNull(manifest.snapshot());
        assertTrue(java.util.Arrays.equals(dump, Files.readAllBytes(dir.resolve("dump.rdb"))), "dump.rdb untouched");

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        try (NuthatchServer server = start(dir, second); RawConnection connection = new RawConnection(server.port())) {
            assertEquals(redisKeys, dataset(connection));
        }
        String secondLog = second.toString(StandardCharsets.UTF_8);
        assertFalse(secondLog.contains("Imported"), secondLog);
        assertTrue(secondLog.contains("DB loaded from snapshot " + manifest.snapshot()), secondLog);
    }

    private static long countKeys(Map<String, List<String>> keys) {
        return keys.size();
    }

    private static NuthatchServer start(Path dir, ByteArrayOutputStream logged) throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        config.dir.set(dir.toString());
        config.find("save").set("");
        config.find("exporter-port").set("0");
        NuthatchServer server = NuthatchServer.start(config, new ServerLog(new PrintStream(logged, true,
                StandardCharsets.UTF_8)));
        long deadline = System.currentTimeMillis() + 60_000;
        try (RawConnection connection = new RawConnection(server.port())) {
            while (!new String(connection.call("PING"), StandardCharsets.ISO_8859_1).equals("+PONG\r\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "still loading");
                Thread.sleep(10);
            }
        }
        return server;
    }

    private static Map<String, List<String>> dataset(RawConnection connection) throws Exception {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (int db = 0; db < 16; db++) {
            connection.call("SELECT", Integer.toString(db));
            for (String key : KeyView.keys(connection)) {
                List<String> view = new ArrayList<>(KeyView.of(connection, key));
                view.add(new String(connection.call("PEXPIRETIME", key), StandardCharsets.ISO_8859_1));
                all.put(db + "/" + key, view);
            }
        }
        connection.call("SELECT", "0");
        return all;
    }
}
