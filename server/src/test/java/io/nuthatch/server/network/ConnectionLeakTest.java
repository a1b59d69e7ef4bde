package io.nuthatch.server.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Clients that leave in the middle of things (a request half sent, replies unread, a paused
 * connection) must leave no Netty buffer behind. Netty's leak detector tracks every buffer
 * (PARANOID) and reports one that is garbage collected without having been released.
 */
class ConnectionLeakTest {

    @ParameterizedTest
    @ValueSource(strings = {"event-loop", "dedicated"})
    void clientsThatLeaveMidRequestLeaveNoBuffersBehind(String executionModel) throws Exception {
        List<String> leaks = new CopyOnWriteArrayList<>();
        ResourceLeakDetector<ByteBuf> detector = byteBufLeakDetector();
        ResourceLeakDetector.Level previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        detector.setLeakListener((type, records) -> leaks.add(type + ": " + records));
        try {
            try (NuthatchServer server = ConnectionRobustnessTest.startNuthatch(executionModel)) {
                try (RawConnection setup = new RawConnection(server.port())) {
                    assertEquals("+OK\\r\\n", Resp.escape(setup.call("SET", "big", "b".repeat(1024 * 1024))));
                }
                String bigBulkHeader = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n";
                String[] leavings = {
                        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nabc",
                        "SET k abc",
                        bigBulkHeader + "x".repeat(50_000),
                        "PING\r\n".repeat(1000) + "*2\r\n$3\r\nGET",
                        "GET big\r\n".repeat(50),
                        "GET big\r\n".repeat(3000),
                        "*1\r\n$4\r\nPING\r\n*abc\r\n",
                        "QUIT\r\nGET big\r\n"};
                for (int round = 0; round < 5; round++) {
                    for (String leaving : leavings) {
                        sendAndLeave(server.port(), leaving, round % 2 == 0);
                    }
                }
                ConnectionRobustnessTest.awaitClientCount(server, 0);
                ConnectionRobustnessTest.assertPongOnAFreshConnection(server);
            }
            collectGarbageAndPollForLeaks();
        } finally {
            detector.setLeakListener(null);
            ResourceLeakDetector.setLevel(previous);
        }
        assertEquals(List.of(), leaks, "buffers never released");
    }

    /** Sends the bytes and closes at once, with a reset (linger 0) or an orderly close. */
    private static void sendAndLeave(int port, String bytes, boolean reset) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            if (!reset) {
                // Long enough for the server to start answering, not to finish.
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A leaked buffer is reported after it has been collected, when the detector next tracks a
     * buffer: so collect, allocate, repeat.
     */
    private static void collectGarbageAndPollForLeaks() throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(20);
            for (int j = 0; j < 100; j++) {
                ByteBufAllocator.DEFAULT.directBuffer(64).release();
                ByteBufAllocator.DEFAULT.heapBuffer(64).release();
            }
        }
    }

    /** The detector Netty's buffers report to (a static of AbstractByteBuf, reached by reflection). */
    @SuppressWarnings("unchecked")
    private static ResourceLeakDetector<ByteBuf> byteBufLeakDetector() throws ReflectiveOperationException {
        Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
        field.setAccessible(true);
        return (ResourceLeakDetector<ByteBuf>) field.get(null);
    }
}
