package io.nuthatch.server.persistence;

import io.nuthatch.persistence.Manifest;
import io.nuthatch.persistence.log.SegmentCheck;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What startup does with a log segment that was cut or damaged: a torn tail is truncated and
 * logged (aof-load-truncated yes) or refused (no); damage in the middle stops startup with the
 * file, the offset and the repair command, which then repairs it; a lost manifest is rebuilt.
 */
class DamagedLogTest {
    private static final String SEGMENT = "appendonlydir/appendonly.aof.1.segment.aof";

    @TempDir
    Path dir;
    private Path segment;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    /** A segment of 100 units, each its own batch: SET key:i i, one per connection round trip. */
    @BeforeEach
    void writeSegment() throws Exception {
        try (NuthatchServer server = start("yes")) {
            AwaitLoad.of(server);
            try (RawConnection connection = new RawConnection(server.port())) {
                for (int i = 0; i < 100; i++) {
                    connection.call("SET", "key:" + i, Integer.toString(i));
                }
            }
        }
        segment = dir.resolve(SEGMENT);
        assertTrue(Files.size(segment) > 100 * 30, "the segment holds the writes");
        logged.reset();
    }

    @Test
    void tornTailIsTruncatedAndLoggedWhenAofLoadTruncatedIsYes() throws Exception {
        long whole = Files.size(segment);
        append(segment, "*3\r\n$3\r\nSET\r\n$6\r\nkey:10");
        try (NuthatchServer server = start("yes")) {
            AwaitLoad.of(server);
            assertEquals(0, server.exitStatus());
            assertEquals(":100\r\n", call(server, "DBSIZE"));
            assertEquals("$2\r\n99\r\n", call(server, "GET", "key:99"));
        }
        assertEquals(whole, Files.size(segment), "the torn bytes are cut off");
        assertTrue(log().contains("aof-load-truncated is enabled"), log());
        assertTrue(log().contains(segment.toString()), log());
    }

    @Test
    void tornTailStopsStartupWhenAofLoadTruncatedIsNo() throws Exception {
        long whole = Files.size(segment);
        String torn = "*3\r\n$3\r\nSET\r\n";
        append(segment, torn);
        NuthatchServer server = start("no");
        assertTrue(server.awaitStop(30, TimeUnit.SECONDS), "the server stops");
        assertEquals(1, server.exitStatus());
        assertTrue(log().contains("torn write at offset " + whole), log());
        assertTrue(log().contains("--check-aof --fix " + segment), log());
        assertEquals(whole + torn.length(), Files.size(segment), "nothing is cut without aof-load-truncated");
    }

    @Test
    void segmentCutInsideABatchLoadsEveryWholeBatch() throws Exception {
        long size = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size - 20);
        }
        try (NuthatchServer server = start("yes")) {
            AwaitLoad.of(server);
            assertEquals(":99\r\n", call(server, "DBSIZE"));
            assertEquals("$-1\r\n", call(server, "GET", "key:99"));
            assertEquals("$2\r\n98\r\n", call(server, "GET", "key:98"));
            // The log goes on after the cut: a new write survives a restart.
            call(server, "SET", "after", "cut");
        }
        try (NuthatchServer server = start("yes")) {
            AwaitLoad.of(server);
            assertEquals("$3\r\ncut\r\n", call(server, "GET", "after"));
        }
    }

    @Test
    void zerosAtTheEndAreATornTail() throws Exception {
        long whole = Files.size(segment);
        append(segment, "\0".repeat(4096));
        try (NuthatchServer server = start("yes")) {
            AwaitLoad.of(server);
            assertEquals(":100\r\n", call(server, "DBSIZE"));
        }
        assertEquals(whole, Files.size(segment));
    }

    @Test
    void flippedByteInTheMiddleStopsStartupWithFileOffsetAndRepairCommand() throws Exception {
        byte[] bytes = Files.readAllBytes(segment);
        int middle = indexOf(bytes, "key:50");
        bytes[middle + 4] ^= 0x01;
        Files.write(segment, bytes);

        NuthatchServer server = start("yes");
        assertTrue(server.awaitStop(30, TimeUnit.SECONDS), "the server stops");
        assertEquals(1, server.exitStatus());
        String batchStart = Integer.toString(lastIndexOf(bytes, "#C:", middle) + 13);
        assertTrue(log().contains("Bad file format reading the log segment " + segment + " at offset " + batchStart),
                log());
        assertTrue(log().contains("checksum mismatch"), log());
        assertTrue(log().contains("nuthatch-server --check-aof --fix " + segment), log());
        assertEquals(bytes.length, Files.size(segment), "nothing is cut");

        ByteArrayOutputStream report = new ByteArrayOutputStream();
        assertEquals(1, SegmentCheck.run(segment, false, new PrintStream(report, true, StandardCharsets.UTF_8)));
        assertTrue(report.toString(StandardCharsets.UTF_8).contains("Found damage at offset " + batchStart), report.toString());
        assertEquals(0, SegmentCheck.run(segment, true, new PrintStream(report, true, StandardCharsets.UTF_8)));
        assertEquals(Long.parseLong(batchStart), Files.size(segment));

        logged.reset();
        try (NuthatchServer repaired = start("yes")) {
            AwaitLoad.of(repaired);
            assertEquals(":50\r\n", call(repaired, "DBSIZE"));
        }
    }

    @Test
    void missingManifestIsRebuiltFromTheSegments() throws Exception {
        Files.delete(Manifest.path(dir));
        try (NuthatchServer server = start("yes")) {
            AwaitLoad.of(server);
            assertEquals(":100\r\n", call(server, "DBSIZE"));
        }
        assertTrue(log().contains("is missing; rebuilt it"), log());
        Manifest rebuilt = Manifest.read(dir);
        assertEquals(java.util.List.of(SEGMENT), rebuilt.segments());
    }

    @Test
    void damagedManifestStopsStartup() throws Exception {
        Path manifest = Manifest.path(dir);
        Files.writeString(manifest, Files.readString(manifest).replace("segment ", "segment x"));
        NuthatchServer server = start("yes");
        assertTrue(server.awaitStop(30, TimeUnit.SECONDS), "the server stops");
        assertEquals(1, server.exitStatus());
        assertTrue(log().contains("is damaged at line"), log());
    }

    @Test
    void segmentIsReadByRedisToolsAsAnOrdinaryAof() throws Exception {
        Process check = new ProcessBuilder("redis-check-aof", segment.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), output);
        assertTrue(output.contains("is valid"), output);
        assertFalse(output.contains("not valid"), output);
    }

    // ---------------------------------------------------------------- helpers

    private NuthatchServer start(String loadTruncated) {
        ServerConfig config = new ServerConfig().useFreePort();
        try {
            config.dir.set(dir.toString());
            config.persistence.appendonly.set("yes");
            config.persistence.aofLoadTruncated.set(loadTruncated);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        ServerLog log = new ServerLog(new PrintStream(logged, true, StandardCharsets.UTF_8));
        return NuthatchServer.start(config, log);
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private static String call(NuthatchServer server, String... arguments) throws IOException {
        try (RawConnection connection = new RawConnection(server.port())) {
            return new String(connection.call(arguments), StandardCharsets.ISO_8859_1);
        }
    }

    private static void append(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1), StandardOpenOption.APPEND);
    }

    private static int indexOf(byte[] bytes, String text) {
        return new String(bytes, StandardCharsets.ISO_8859_1).indexOf(text);
    }

    private static int lastIndexOf(byte[] bytes, String text, int before) {
        return new String(bytes, StandardCharsets.ISO_8859_1).lastIndexOf(text, before);
    }
}
