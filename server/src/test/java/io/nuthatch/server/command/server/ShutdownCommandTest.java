package io.nuthatch.server.command.server;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SHUTDOWN stops an embedded server; with SAVE it writes a final snapshot first, and when that
 * fails the server goes on (unless FORCE), as Redis's prepareForShutdown decides.
 */
class ShutdownCommandTest {
    @TempDir
    Path dir;

    /** A server on {@code dir} whose next snapshot cannot be written: a file sits where its directory goes. */
    private NuthatchServer startWithSnapshotsBlocked() throws IOException {
        NuthatchServer server = ReferencePair.startNuthatch("dir", dir.toString());
        // No manifest yet: the first snapshot takes sequence 1.
        Files.writeString(dir.resolve("dump.rdb.1.snapshot"), "in the way");
        return server;
    }

    @Test
    void shutdownStopsTheServer() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection client = new RawConnection(server.port())) {
            client.send(Resp.request("SHUTDOWN"));
            assertTrue(server.awaitStop(10, TimeUnit.SECONDS), "the server did not stop");
            assertTrue(client.isClosedByServer(5000));
        }
    }

    @Test
    void shutdownNosaveNowStopsTheServer() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection client = new RawConnection(server.port())) {
            client.send(Resp.request("shutdown", "nosave", "now"));
            assertTrue(server.awaitStop(10, TimeUnit.SECONDS), "the server did not stop");
        }
    }

    @Test
    void shutdownSaveThatFailsLeavesTheServerRunning() throws Exception {
        try (NuthatchServer server = startWithSnapshotsBlocked();
             RawConnection client = new RawConnection(server.port())) {
            assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\\r\\n",
                    Resp.escape(client.call("SHUTDOWN", "SAVE")));
            assertEquals("-ERR No shutdown in progress.\\r\\n", Resp.escape(client.call("SHUTDOWN", "ABORT")));
            assertFalse(server.awaitStop(200, TimeUnit.MILLISECONDS), "the server stopped");
            assertEquals("+PONG\\r\\n", Resp.escape(client.call("PING")));
        }
    }

    @Test
    void shutdownSaveForceStopsEvenWhenTheSaveFails() throws Exception {
        try (NuthatchServer server = startWithSnapshotsBlocked();
             RawConnection client = new RawConnection(server.port())) {
            client.send(Resp.request("SHUTDOWN", "SAVE", "FORCE"));
            assertTrue(server.awaitStop(10, TimeUnit.SECONDS), "the server did not stop");
        }
    }

    @Test
    void requestsAfterShutdownAreNotRun() throws IOException, InterruptedException {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection client = new RawConnection(server.port())) {
            client.send("SHUTDOWN NOSAVE\r\nSET after-shutdown 1\r\n".getBytes());
            assertTrue(server.awaitStop(10, TimeUnit.SECONDS), "the server did not stop");
            assertEquals(0, server.engine().keyspace().database(0).size());
        }
    }
}
