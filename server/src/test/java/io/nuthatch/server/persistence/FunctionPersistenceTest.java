package io.nuthatch.server.persistence;

import io.nuthatch.persistence.Manifest;
import io.nuthatch.persistence.snapshot.SnapshotCheck;
import io.nuthatch.persistence.snapshot.SnapshotFunctions;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Function libraries survive restarts as Redis keeps them: through the append-only log (FUNCTION
 * LOAD, DELETE, FLUSH and RESTORE replayed), through a snapshot (SAVE, and the snapshot of an AOF
 * rewrite), and from a dump.rdb redis-server left (its FUNCTION2 records).
 */
class FunctionPersistenceTest {
    private static final String COUNTER = "#!lua name=counter\n"
            + "redis.register_function('bump', function(keys) return redis.call('INCR', keys[1]) end)";
    private static final String GREETER = "#!lua name=greeter\n"
            + "redis.register_function('greet', function(keys, args) return 'hello ' .. args[1] end)";
    private static final String DOOMED = "#!lua name=doomed\n"
            + "redis.register_function('doomed', function() return 0 end)";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    @Test
    void librariesSurviveARestartFromTheAppendOnlyLog() throws Exception {
        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            assertEquals("$7\\r\\ncounter\\r\\n", call(client, "FUNCTION", "LOAD", COUNTER));
            assertEquals(":1\\r\\n", call(client, "FCALL", "bump", "1", "n"));
            call(client, "FUNCTION", "LOAD", DOOMED);
            assertEquals("+OK\\r\\n", call(client, "FUNCTION", "DELETE", "doomed"));
            call(client, "FUNCTION", "LOAD", GREETER);
            byte[] dump = client.call("FUNCTION", "DUMP");
            assertEquals("+OK\\r\\n", call(client, "FUNCTION", "FLUSH"));
            assertEquals("+OK\\r\\n", Resp.escape(client.call(List.of(bytes("FUNCTION"), bytes("RESTORE"),
                    bulkBody(dump)))));
        }
        assertNotNull(Manifest.read(dir));
        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            assertEquals(":2\\r\\n", call(client, "FCALL", "bump", "1", "n"));
            assertEquals("$11\\r\\nhello world\\r\\n", call(client, "FCALL", "greet", "0", "world"));
            assertEquals("-ERR Function not found\\r\\n", call(client, "FCALL", "doomed", "0"));
            assertTrue(call(client, "FUNCTION", "STATS").contains(":2\\r\\n$15\\r\\nfunctions_count\\r\\n:2"),
                    call(client, "FUNCTION", "STATS"));
        }
    }

    @Test
    void librariesSurviveARestartFromASnapshot() throws Exception {
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            call(client, "FUNCTION", "LOAD", COUNTER);
            call(client, "FCALL", "bump", "1", "n");
            assertEquals("+OK\\r\\n", call(client, "SAVE"));
        }
        Manifest manifest = Manifest.read(dir);
        assertNotNull(SnapshotFunctions.read(dir.resolve(manifest.snapshot())), "the snapshot holds the library");
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            assertEquals(":2\\r\\n", call(client, "FCALL", "bump", "1", "n"));
            assertEquals("+OK\\r\\n", call(client, "FUNCTION", "FLUSH"));
            assertEquals("+OK\\r\\n", call(client, "SAVE"));
        }
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            assertEquals("-ERR Function not found\\r\\n", call(client, "FCALL", "bump", "1", "n"));
            assertEquals("$1\\r\\n2\\r\\n", call(client, "GET", "n"));
        }
        assertTrue(log().contains("Loaded 1 function libraries from " + manifest.snapshot()), log());
    }

    @Test
    void checkSnapshotVerifiesTheLibrariesFile() throws Exception {
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            call(client, "FUNCTION", "LOAD", COUNTER);
            assertEquals("+OK\\r\\n", call(client, "SAVE"));
        }
        Path snapshot = dir.resolve(Manifest.read(dir).snapshot());
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        assertEquals(0, SnapshotCheck.run(snapshot, new PrintStream(report, true, StandardCharsets.UTF_8)));
        assertTrue(report.toString(StandardCharsets.UTF_8).contains("function libraries of"), report.toString());
        Path file = snapshot.resolve(SnapshotFunctions.FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(file, bytes);
        report.reset();
        assertEquals(1, SnapshotCheck.run(snapshot, new PrintStream(report, true, StandardCharsets.UTF_8)));
        assertTrue(report.toString(StandardCharsets.UTF_8).contains("FUNCTIONS does not match its checksum"),
                report.toString());
    }

    @Test
    void aRewrittenLogKeepsTheLibrariesInItsSnapshot() throws Exception {
        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            call(client, "FUNCTION", "LOAD", COUNTER);
            call(client, "BGREWRITEAOF");
            awaitNoRewrite(client);
            call(client, "FUNCTION", "LOAD", GREETER);
        }
        Manifest manifest = Manifest.read(dir);
        assertNotNull(manifest.snapshot(), manifest.toString());
        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            assertEquals(":1\\r\\n", call(client, "FCALL", "bump", "1", "n"));
            assertEquals("$8\\r\\nhello me\\r\\n", call(client, "FCALL", "greet", "0", "me"));
        }
    }

    @Test
    void aDumpRdbOfRedisBringsItsLibraries() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString());
             RawConnection client = new RawConnection(redis.port())) {
            call(client, "FUNCTION", "LOAD", COUNTER);
            call(client, "SET", "n", "41");
            assertEquals("+OK\\r\\n", call(client, "SAVE"));
        }
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            assertEquals(":42\\r\\n", call(client, "FCALL", "bump", "1", "n"));
        }
        assertTrue(log().contains("Loaded 1 function library from the imported data"), log());
        assertFalse(log().contains("not loaded"), log());
    }

    private NuthatchServer start(String... directives) throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        config.dir.set(dir.toString());
        config.find("save").set("");
        config.find("exporter-port").set("0");
        for (int i = 0; i < directives.length; i += 2) {
            config.find(directives[i]).set(directives[i + 1]);
        }
        NuthatchServer server = NuthatchServer.start(config, new ServerLog(new PrintStream(logged, true,
                StandardCharsets.UTF_8)));
        long deadline = System.currentTimeMillis() + 60_000;
        try (RawConnection connection = new RawConnection(server.port())) {
            while (!call(connection, "PING").equals("+PONG\\r\\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "still loading");
                Thread.sleep(10);
            }
        }
        return server;
    }

    /** The bytes of a bulk string reply. */
    private static byte[] bulkBody(byte[] reply) {
        int start = 0;
        while (reply[start] != '\n') {
            start++;
        }
        return Arrays.copyOfRange(reply, start + 1, reply.length - 2);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private static String call(RawConnection client, String... command) throws IOException {
        return Resp.escape(client.call(command));
    }

    private static void awaitNoRewrite(RawConnection client) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (call(client, "INFO", "persistence").contains("aof_rewrite_in_progress:1")) {
            assertTrue(System.currentTimeMillis() < deadline, "the rewrite never ended");
            Thread.sleep(10);
        }
    }
}
