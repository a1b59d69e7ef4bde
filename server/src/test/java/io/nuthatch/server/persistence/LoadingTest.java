package io.nuthatch.server.persistence;

import io.nuthatch.persistence.DataDirectory;
import io.nuthatch.persistence.Manifest;
import io.nuthatch.persistence.log.AppendOnlyLog;
import io.nuthatch.persistence.log.FsyncPolicy;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While the log is replayed at startup the server already listens: data commands get -LOADING,
 * INFO answers with loading:1 and the progress fields, and once the load ends a log line says how
 * many keys were loaded in how long, and the data is there.
 */
class LoadingTest {
    private static final int KEYS = 400_000;

    @TempDir
    Path dir;

    @Test
    void clientsGetLoadingAndInfoShowsProgressUntilTheLogIsReplayed() throws Exception {
        DataDirectory data = new DataDirectory(dir, "appendonlydir", "appendonly.aof");
        data.createLogDirectory();
        Path segment = data.resolve(data.segmentName(1));
        writeSets(segment);
        new Manifest(1, null, List.of(data.segmentName(1))).write(dir);

        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        ServerConfig config = new ServerConfig().useFreePort();
        config.dir.set(dir.toString());
        config.persistence.appendonly.set("yes");
        try (NuthatchServer server = NuthatchServer.start(config,
                new ServerLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
                RawConnection client = new RawConnection(server.port())) {
            String first = text(client.call("GET", "key:7"));
            assertEquals("-LOADING Redis is loading the dataset in memory\r\n", first);
            String info = text(client.call("INFO", "persistence"));
            assertTrue(info.contains("\r\nloading:1\r\n"), info);
            assertTrue(info.contains("\r\nloading_total_bytes:" + Files.size(segment) + "\r\n"), info);
            assertTrue(info.contains("\r\nloading_loaded_perc:"), info);
            assertTrue(info.contains("\r\nloading_eta_seconds:"), info);
            assertTrue(info.indexOf("loading_start_time") > info.indexOf("module_fork_last_cow_size"), info);

            long deadline = System.currentTimeMillis() + 120_000;
            String reply;
            while ((reply = text(client.call("GET", "key:7"))).startsWith("-LOADING")) {
                assertTrue(System.currentTimeMillis() < deadline, "still loading");
                Thread.sleep(5);
            }
            assertEquals("$7\r\nvalue:7\r\n", reply);
            assertEquals(":" + KEYS + "\r\n", text(client.call("DBSIZE")));
            info = text(client.call("INFO", "persistence"));
            assertTrue(info.contains("\r\nloading:0\r\n") && !info.contains("loading_total_bytes"), info);
            // As in Redis, replayed records count in no statistics.
            String stats = text(client.call("INFO", "all"));
            assertTrue(!stats.contains("cmdstat_set:"), stats);
            long processed = Long.parseLong(stats.replaceAll("(?s).*\r\ntotal_commands_processed:(\\d+)\r\n.*", "$1"));
            assertTrue(processed < 10_000, "total_commands_processed " + processed);
            assertTrue(stats.contains("\r\nkeyspace_hits:1\r\n"), stats);
        }
        Matcher line = Pattern.compile("DB loaded from append only file: (\\d+\\.\\d{3}) seconds, (\\d+) keys")
                .matcher(logged.toString(StandardCharsets.UTF_8));
        assertTrue(line.find(), logged.toString(StandardCharsets.UTF_8));
        assertEquals(Integer.toString(KEYS), line.group(2));
    }

    /** KEYS SETs in batches of 100, as a server would have written them. */
    private static void writeSets(Path segment) throws Exception {
        AppendOnlyLog.Observer quiet = new AppendOnlyLog.Observer() {
            @Override
            public void durableThrough(long offset) {
            }

            @Override
            public void warning(String message) {
            }
        };
        byte[] set = "SET".getBytes(StandardCharsets.US_ASCII);
        try (AppendOnlyLog log = new AppendOnlyLog(segment, FsyncPolicy.NO, quiet)) {
            for (int i = 0; i < KEYS; i++) {
                byte[] key = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
                byte[] value = ("value:" + i).getBytes(StandardCharsets.US_ASCII);
                log.beginRecord(0, 3);
                log.argument(set, 0, set.length);
                log.argument(key, 0, key.length);
                log.argument(value, 0, value.length);
                log.endUnit(i + 1);
                if (i % 100 == 99) {
                    log.writeBatch();
                }
            }
        }
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
