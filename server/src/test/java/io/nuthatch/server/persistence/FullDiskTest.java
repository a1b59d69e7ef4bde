package io.nuthatch.server.persistence;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The disk fills while clients write: the write that did not fit is held (its reply does not
 * leave), other writes get Redis's MISCONF error, reads keep being answered, INFO says so, and once
 * space returns the held write is written, its reply leaves and writes are accepted again; nothing
 * acknowledged is lost across a restart. The data directory is a 1 MB tmpfs mounted for the test,
 * which needs root: without it the test is skipped.
 */
class FullDiskTest {
    private static final String VALUE = "v".repeat(1000);

    @TempDir
    Path directory;
    private Path mount;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = Files.createDirectories(directory.resolve("disk"));
        Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean mounted = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        assumeTrue(mounted, "a tmpfs can be mounted (root): " + new String(process.getInputStream().readAllBytes()));
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void writesGetMisconfReadsWorkAndTheServerRecoversWhenSpaceReturns() throws Exception {
        AtomicLong acknowledged = new AtomicLong(-1);
        Path filler = mount.resolve("filler");
        try (NuthatchServer server = start()) {
            AwaitLoad.of(server);
            long free = Files.getFileStore(mount).getUsableSpace();
            Files.write(filler, new byte[(int) (free - 40 * 1024)]);

            Thread writer = new Thread(() -> {
                try (RawConnection connection = new RawConnection(server.port())) {
                    connection.socket().setSoTimeout(60_000);
                    for (int i = 0; i < 200; i++) {
                        byte[] reply = connection.call("SET", "k:" + i, VALUE);
                        if (!new String(reply, StandardCharsets.ISO_8859_1).equals("+OK\r\n")) {
                            return;
                        }
                        acknowledged.set(i);
                    }
                } catch (IOException e) {
                    // the test fails on the counts below
                }
            }, "writer");
            writer.start();

            try (RawConnection client = new RawConnection(server.port())) {
                long deadline = System.currentTimeMillis() + 30_000;
                while (!info(client).contains("aof_last_write_status:err")) {
                    assertTrue(System.currentTimeMillis() < deadline, "the disk never filled: " + info(client));
                    Thread.sleep(20);
                }
                long held = acknowledged.get();
                Thread.sleep(300);
                assertEquals(held, acknowledged.get(), "the write that did not fit is not acknowledged");
                assertTrue(held >= 10, "writes were acknowledged before the disk filled: " + held);

                assertEquals("-MISCONF Errors writing to the AOF file: No space left on device\r\n",
                        text(client.call("SET", "other", "x")));
                assertEquals("-MISCONF Errors writing to the AOF file: No space left on device\r\n",
                        text(client.call("PING")));
                assertEquals("$1000\r\n" + VALUE + "\r\n", text(client.call("GET", "k:0")));
                assertTrue(text(client.call("DBSIZE")).startsWith(":"));
                assertTrue(logged.toString(StandardCharsets.UTF_8).contains("No space left on device"));

                Files.delete(filler);
                writer.join(30_000);
                assertEquals(199, acknowledged.get(), "the writer went on once space returned");
                assertEquals("+OK\r\n", text(client.call("SET", "other", "x")));
                assertTrue(info(client).contains("aof_last_write_status:ok"));
            }
        }
        try (NuthatchServer server = start()) {
            AwaitLoad.of(server);
            try (RawConnection client = new RawConnection(server.port())) {
                assertEquals(":201\r\n", text(client.call("DBSIZE")));
                assertEquals("$1000\r\n" + VALUE + "\r\n", text(client.call("GET", "k:199")));
            }
        }
    }

    private NuthatchServer start() throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        config.dir.set(mount.toString());
        config.persistence.appendonly.set("yes");
        return NuthatchServer.start(config, new ServerLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
    }

    private static String info(RawConnection client) throws IOException {
        return text(client.call("INFO", "persistence"));
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
