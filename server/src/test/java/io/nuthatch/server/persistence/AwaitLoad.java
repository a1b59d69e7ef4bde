package io.nuthatch.server.persistence;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Waiting for a server started on a data directory to have loaded it and to serve commands. */
final class AwaitLoad {
    private AwaitLoad() {
    }

    /**
     * Returns once the log is open and the server answers PING: the log opens inside the last slice
     * of the load, while commands still get -LOADING, so the log being open is not enough.
     */
    static void of(NuthatchServer server) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!server.engine().persistence().aofEnabled()) {
            if (server.awaitStop(10, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the server stopped while loading");
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the load did not end");
            }
        }
        try (RawConnection connection = new RawConnection(server.port())) {
            while (!new String(connection.call("PING"), StandardCharsets.ISO_8859_1).equals("+PONG\r\n")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the server still answers -LOADING");
                }
                Thread.sleep(10);
            }
        }
    }
}
