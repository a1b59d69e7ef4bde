package io.nuthatch.server.persistence;

import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A machine that fails loses what was never fsynced: the test simulates it by cutting the segment,
 * after a SIGKILL, to the length the server last reported as fsynced (INFO aof_fsynced_size), then
 * restarts and checks that with appendfsync everysec no more than about the last 2 seconds of
 * acknowledged writes are lost (and, as always, that what is left is a prefix of what was sent).
 */
class LostFsyncTest {
    /** everysec's second, Redis's 2-second rule, and the polling period of this test. */
    private static final long LOSS_BOUND_MILLIS = 2_500;

    @TempDir
    Path directory;

    @Test
    void everysecLosesAtMostAboutTwoSecondsWhenTheUnsyncedTailIsLost() throws Exception {
        Path data = Files.createDirectories(directory.resolve("data"));
        Path log = directory.resolve("server.log");
        WrittenHistory writer = new WrittenHistory(WrittenHistory.Kind.LIST, "fsync-list");
        long synced = -1;
        String segment = null;
        long killedAt;
        try (ServerProcess server = ServerProcess.start(data, log, "--appendonly", "yes", "--appendfsync", "everysec")) {
            server.awaitReady(60_000);
            writer.port(server.port());
            Thread thread = new Thread(writer, "writer");
            thread.start();
            try (RawConnection info = new RawConnection(server.port())) {
                long until = System.currentTimeMillis() + 4_000;
                while (System.currentTimeMillis() < until) {
                    String text = new String(info.call("INFO", "persistence"), StandardCharsets.ISO_8859_1);
                    synced = Long.parseLong(field(text, "aof_fsynced_size"));
                    segment = field(text, "aof_current_segment");
                    Thread.sleep(20);
                }
            }
            killedAt = System.currentTimeMillis();
            server.kill();
            thread.join(30_000);
        }
        Path file = data.resolve("appendonlydir").resolve(segment);
        long written = Files.size(file);
        assertTrue(synced > 0 && synced < written, "fsynced " + synced + " of " + written + " bytes");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(synced);
        }

        try (ServerProcess server = ServerProcess.start(data, log, "--appendonly", "yes", "--appendfsync", "everysec")) {
            server.awaitReady(60_000);
            List<long[]> acknowledgements = writer.acknowledgements();
            long found = writer.verifyPrefixOnly(server.port());
            long firstLostAt = Long.MAX_VALUE;
            for (long[] acknowledgement : acknowledgements) {
                if (acknowledgement[0] >= found) {
                    firstLostAt = Math.min(firstLostAt, acknowledgement[1]);
                }
            }
            long lostWindow = firstLostAt == Long.MAX_VALUE ? 0 : killedAt - firstLostAt;
            assertTrue(lostWindow <= LOSS_BOUND_MILLIS, "lost the acknowledged writes of the last " + lostWindow
                    + " ms (" + (acknowledgements.size() - found) + " of " + acknowledgements.size() + ")");
            assertTrue(found > 0, "something was fsynced");
        }
    }

    private static String field(String info, String name) {
        int at = info.indexOf("\r\n" + name + ":");
        if (at < 0) {
            throw new AssertionError("no " + name + " in INFO: " + info);
        }
        int start = at + 2 + name.length() + 1;
        return info.substring(start, info.indexOf("\r\n", start));
    }
}
