package io.nuthatch.server;

import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the server listens: bind, port, idle timeout. */
class ListeningTest {

    @Test
    void bindListensOnEveryAddressGivenAndNoOther() throws Exception {
        ServerConfig config = new ServerConfig();
        int port = RedisServerProcess.freePort();
        config.port.set(Integer.toString(port));
        config.exporter.exporterPort.set("0");
        config.bind.set(List.of("127.0.0.1", "127.0.0.2"));
        try (NuthatchServer server = NuthatchServer.start(config, quietLog())) {
            assertEquals(port, server.port());
            assertEquals("+PONG\r\n", ping("127.0.0.1", port));
            assertEquals("+PONG\r\n", ping("127.0.0.2", port));
            assertThrows(ConnectException.class, () -> ping("127.0.0.3", port));
        }
    }

    @Test
    void anOptionalAddressThatCannotBeBoundIsSkipped() throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        // 192.0.2.1 (TEST-NET-1) is not an address of this machine.
        config.bind.set(List.of("127.0.0.1", "-192.0.2.1"));
        try (NuthatchServer server = NuthatchServer.start(config, quietLog())) {
            assertEquals("+PONG\r\n", ping("127.0.0.1", server.port()));
        }
    }

    @Test
    void aMandatoryAddressThatCannotBeBoundFailsStartup() throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        config.bind.set(List.of("127.0.0.1", "192.0.2.1"));
        assertThrows(RuntimeException.class, () -> NuthatchServer.start(config, quietLog()).close());
    }

    @Test
    void portZeroListensOnNoTcpPort() throws Exception {
        ServerConfig config = new ServerConfig();
        config.port.set("0");
        config.exporter.exporterPort.set("0");
        try (NuthatchServer server = NuthatchServer.start(config, quietLog())) {
            assertEquals(-1, server.port());
        }
    }

    @Test
    void anIdleClientIsClosedAfterTimeoutSeconds() throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        config.bind.set("127.0.0.1");
        config.timeout.set("1");
        try (NuthatchServer server = NuthatchServer.start(config, quietLog());
             RawConnection idle = new RawConnection(server.port());
             RawConnection busy = new RawConnection(server.port())) {
            assertEquals("+PONG\r\n", new String(idle.call("PING")));
            long deadline = System.nanoTime() + 5_000_000_000L;
            boolean closed = false;
            while (!closed && System.nanoTime() < deadline) {
                assertEquals("+PONG\r\n", new String(busy.call("PING")));
                closed = idle.isClosedByServer(200);
            }
            assertTrue(closed, "the idle client should have been closed");
            assertEquals("+PONG\r\n", new String(busy.call("PING")), "an active client stays connected");
        }
    }

    private static String ping(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.getOutputStream().write("PING\r\n".getBytes());
            byte[] reply = new byte[7];
            int read = socket.getInputStream().readNBytes(reply, 0, 7);
            return new String(reply, 0, read);
        }
    }

    private static ServerLog quietLog() {
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.NOTHING);
        return log;
    }
}
