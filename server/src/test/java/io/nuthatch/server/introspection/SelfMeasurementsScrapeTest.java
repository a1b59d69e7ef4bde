package io.nuthatch.server.introspection;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The nuthatch_* families count what really happened in a running server: the fsyncs of an
 * appendfsync-always log, a SAVE, the eviction cycles under maxmemory, a script that moved to the
 * script thread.
 */
class SelfMeasurementsScrapeTest {
    @TempDir
    Path dir;

    private NuthatchServer server;

    private RawConnection start(String... directives) throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        config.dir.set(dir.toString());
        config.find("bind").set("127.0.0.1");
        config.find("save").set("");
        for (int i = 0; i < directives.length; i += 2) {
            config.find(directives[i]).set(directives[i + 1]);
        }
        server = NuthatchServer.start(config, new ServerLog(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)));
        RawConnection connection = new RawConnection(server.port());
        long deadline = System.currentTimeMillis() + 60_000;
        while (!new String(connection.call("PING"), StandardCharsets.ISO_8859_1).equals("+PONG\r\n")) {
            assertTrue(System.currentTimeMillis() < deadline, "still loading");
            Thread.sleep(10);
        }
        return connection;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = ExporterScrapeTest.get(server.exporterPort(), "/metrics");
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private double figure(String name) throws Exception {
        String value = ExporterScrapeTest.sample(scrape(), name);
        assertNotNull(value, name);
        return Double.parseDouble(value);
    }

    @Test
    void everyFsyncOfTheLogIsInTheFsyncHistogram() throws Exception {
        try (RawConnection connection = start("appendonly", "yes", "appendfsync", "always")) {
            double before = figure("nuthatch_aof_fsync_seconds_count");
            for (int i = 0; i < 5; i++) {
                connection.call("SET", "k" + i, "v");
            }
            String scrape = scrape();
            double count = Double.parseDouble(ExporterScrapeTest.sample(scrape, "nuthatch_aof_fsync_seconds_count"));
            assertTrue(count >= before + 1, "fsyncs counted: " + before + " then " + count);
            assertEquals(count, Double.parseDouble(ExporterScrapeTest.sample(scrape,
                    "nuthatch_aof_fsync_seconds_bucket{le=\"+Inf\"}")));
            assertTrue(Double.parseDouble(ExporterScrapeTest.sample(scrape, "nuthatch_aof_fsync_seconds_sum")) > 0);
        }
    }

    @Test
    void aSaveIsOneSnapshotDuration() throws Exception {
        try (RawConnection connection = start()) {
            connection.call("SET", "k", "v");
            assertEquals(0, figure("nuthatch_snapshot_duration_seconds_count"));
            assertEquals("+OK\r\n", new String(connection.call("SAVE"), StandardCharsets.ISO_8859_1));
            assertEquals(1, figure("nuthatch_snapshot_duration_seconds_count"));
            assertTrue(figure("nuthatch_snapshot_duration_seconds_sum") > 0);
        }
    }

    @Test
    void evictionCyclesCountTheKeysTheyEvicted() throws Exception {
        try (RawConnection connection = start("maxmemory-policy", "allkeys-random", "maxmemory-eviction-tenacity", "100")) {
            String value = "x".repeat(1000);
            for (int i = 0; i < 2000; i++) {
                connection.call("SET", "k" + i, value);
            }
            assertEquals(0, figure("nuthatch_eviction_cycle_keys_count"));
            connection.call("CONFIG", "SET", "maxmemory", "1mb");
            for (int i = 0; i < 10; i++) {
                connection.call("SET", "new" + i, value);
            }
            String info = new String(connection.call("INFO", "stats"), StandardCharsets.ISO_8859_1);
            int at = info.indexOf("evicted_keys:") + "evicted_keys:".length();
            long evicted = Long.parseLong(info.substring(at, info.indexOf("\r\n", at)));
            assertTrue(evicted > 0, info);
            assertTrue(figure("nuthatch_eviction_cycle_keys_count") >= 1);
            assertEquals(evicted, figure("nuthatch_eviction_cycle_keys_sum"));
            assertTrue(figure("nuthatch_eviction_cycle_seconds_count") >= 1);
        }
    }

    @Test
    void aScriptThatPublishesMovesToTheScriptThread() throws Exception {
        try (RawConnection connection = start()) {
            assertEquals(0, figure("nuthatch_script_thread_moves_total"));
            // A script that writes usually stays on its caller's thread, unless it outlives the 2 ms
            // inline slice (a loaded machine can make it), so only the publishing one is certain:
            // a message cannot be taken back.
            connection.call("EVAL", "return redis.call('SET', KEYS[1], 'v')", "1", "k");
            double before = figure("nuthatch_script_thread_moves_total");
            connection.call("EVAL", "return redis.call('PUBLISH', KEYS[1], 'v')", "1", "k");
            assertEquals(before + 1, figure("nuthatch_script_thread_moves_total"));
        }
    }
}
