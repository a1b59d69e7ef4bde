package io.nuthatch.server.network;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the server does with clients that misbehave: broken requests, huge announcements, requests
 * that never end, clients that never read, too many clients.
 */
class ConnectionRobustnessTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void protocolErrorIsAnsweredThenTheConnectionClosed() throws IOException {
        try (NuthatchServer server = ReferencePair.startNuthatch()) {
            String[][] cases = {
                    {"*abc\r\n", "-ERR Protocol error: invalid multibulk length\\r\\n"},
                    {"*1\r\n$x\r\n", "-ERR Protocol error: invalid bulk length\\r\\n"},
                    {"*1\r\n+PING\r\n", "-ERR Protocol error: expected '$', got '+'\\r\\n"},
                    {"ECHO \"abc\r\n", "-ERR Protocol error: unbalanced quotes in request\\r\\n"}};
            for (String[] c : cases) {
                try (RawConnection connection = new RawConnection(server.port())) {
                    connection.send(c[0].getBytes(StandardCharsets.ISO_8859_1));
                    assertEquals(c[1], Resp.escape(connection.readReply()), c[0]);
                    assertTrue(connection.isClosedByServer(5000), "closed after: " + c[1]);
                }
            }
            assertPongOnAFreshConnection(server);
            awaitClientCount(server, 0);
        }
    }

    @Test
    void quitClosesAfterOk() throws IOException {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            connection.send("QUIT\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK\\r\\n", Resp.escape(connection.readReply()));
            assertTrue(connection.isClosedByServer(5000));
            awaitClientCount(server, 0);
        }
    }

    @Test
    void maxclientsRefusesTheConnectionBeyondTheLimit() throws IOException {
        try (NuthatchServer server = ReferencePair.startNuthatch("maxclients", "2");
             RawConnection second = new RawConnection(server.port())) {
            RawConnection first = new RawConnection(server.port());
            assertEquals("+PONG\\r\\n", Resp.escape(first.call("PING")));
            assertEquals("+PONG\\r\\n", Resp.escape(second.call("PING")));
            try (RawConnection third = new RawConnection(server.port())) {
                assertEquals("-ERR max number of clients reached\\r\\n", Resp.escape(third.readReply()));
                assertTrue(third.isClosedByServer(5000));
            }
            first.close();
            awaitClientCount(server, 1);
            try (RawConnection again = new RawConnection(server.port())) {
                assertEquals("+PONG\\r\\n", Resp.escape(again.call("PING")), "a slot freed is usable again");
            }
        }
    }

    /**
     * A bulk of 512 MB (proto-max-bulk-len) announced and never sent: the server must not reserve it.
     * Several such clients at once would need gigabytes if it did; the heap must not grow so, the
     * connections stay open, other clients are served, and a client that leaves is forgotten.
     */
    @Test
    void hugeAnnouncedLengthIsNotAllocatedUpFront() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch()) {
            long heapBefore = usedHeapAfterGc();
            List<RawConnection> announcers = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    RawConnection connection = new RawConnection(server.port());
                    announcers.add(connection);
                    connection.send(("*3\r\n$3\r\nSET\r\n$4\r\nhuge\r\n$536870912\r\n" + "x".repeat(100_000))
                            .getBytes(StandardCharsets.US_ASCII));
                }
                assertPongOnAFreshConnection(server);
                for (RawConnection connection : announcers) {
                    assertFalse(connection.isClosedByServer(100), "a valid announcement keeps the connection");
                }
                long grown = usedHeapAfterGc() - heapBefore;
                assertTrue(grown < 256 * MIB, "heap grew by " + grown / MIB + " MiB for 6 announced 512 MB bulks");
            } finally {
                for (RawConnection connection : announcers) {
                    connection.close();
                }
            }
            awaitClientCount(server, 0);
            assertPongOnAFreshConnection(server);
        }
    }

    /** Over client-query-buffer-limit with a request that never ends: closed, with no reply (as Redis). */
    @Test
    void queryBufferLimitClosesTheConnectionWithoutReply() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch("client-query-buffer-limit", "1mb")) {
            StringBuilder manySmallArguments = new StringBuilder("*200000\r\n");
            while (manySmallArguments.length() < 2 * MIB) {
                manySmallArguments.append("$10\r\n0123456789\r\n");
            }
            String[] unfinished = {
                    "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n" + "v".repeat((int) (2 * MIB)),
                    manySmallArguments.toString()};
            for (String request : unfinished) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                    socket.setSoTimeout(10_000);
                    CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> sendQuietly(socket,
                            request.getBytes(StandardCharsets.US_ASCII)));
                    Exchange exchange = Exchange.readUntilEnd(socket.getInputStream(), false);
                    assertEquals(List.of(), exchange.replies(), "no reply before closing");
                    assertTrue(exchange.closed(), exchange.toString());
                    sending.get(10, TimeUnit.SECONDS);
                }
            }
            assertPongOnAFreshConnection(server);
            awaitClientCount(server, 0);
        }
    }

    /** Within the limit, the same sizes are fine once the request completes. */
    @Test
    void requestsUnderTheQueryBufferLimitAreServed() throws IOException {
        try (NuthatchServer server = ReferencePair.startNuthatch("client-query-buffer-limit", "1mb");
             RawConnection connection = new RawConnection(server.port())) {
            String value = "v".repeat(900_000);
            assertEquals("+OK\\r\\n", Resp.escape(connection.call("SET", "k", value)));
            assertEquals("$900000\\r\\n" + value + "\\r\\n", Resp.escape(connection.call("GET", "k")));
        }
    }

    /**
     * A client that pipelines GETs of a 1 MB value and never reads: the server stops reading from it
     * once its replies back up, so memory stays bounded, and other clients go on being served.
     */
    @ParameterizedTest
    @ValueSource(strings = {"event-loop", "dedicated"})
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void clientThatNeverReadsIsNotServedIntoMemory(String executionModel) throws Exception {
        try (NuthatchServer server = startNuthatch(executionModel)) {
            try (RawConnection setup = new RawConnection(server.port())) {
                assertEquals("+OK\\r\\n", Resp.escape(setup.call("SET", "big", "b".repeat((int) MIB))));
            }
            long before = serverBufferMemory();
            try (Socket slow = new Socket()) {
                slow.setReceiveBufferSize(64 * 1024);
                slow.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                // GETs for as long as the server reads them: gigabytes of replies if it produced them all.
                byte[] gets = "GET big\r\n".repeat(4000).getBytes(StandardCharsets.US_ASCII);
                Thread sender = new Thread(() -> {
                    for (int i = 0; i < 100 && !slow.isClosed(); i++) {
                        sendQuietly(slow, gets);
                    }
                }, "never-reading client");
                sender.setDaemon(true);
                sender.start();
                long peak = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < deadline) {
                    peak = Math.max(peak, serverBufferMemory() - before);
                    long started = System.nanoTime();
                    assertPongOnAFreshConnection(server);
                    long pingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    assertTrue(pingMillis < 5000, "PING took " + pingMillis + " ms while a client did not read");
                    Thread.sleep(50);
                }
                peak = Math.max(peak, serverBufferMemory() - before);
                assertTrue(peak < 64 * MIB, "server buffers grew by " + peak / MIB + " MiB for a client that never reads");
            }
            awaitClientCount(server, 0);
            assertPongOnAFreshConnection(server);
        }
    }

    /**
     * The other half of back pressure: a client that sends a pipeline of large replies and then
     * reads slowly gets every reply, in order, in both execution models (the server pauses and
     * resumes decoding many times along the way).
     */
    @ParameterizedTest
    @ValueSource(strings = {"event-loop", "dedicated"})
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void clientThatReadsSlowlyGetsEveryReply(String executionModel) throws Exception {
        try (NuthatchServer server = startNuthatch(executionModel);
             RawConnection connection = new RawConnection(server.port())) {
            int count = 400;
            String value = "0123456789abcdef".repeat(16 * 1024);
            assertEquals("+OK\\r\\n", Resp.escape(connection.call("SET", "big", value)));
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < count; i++) {
                pipeline.append("GET big\r\nECHO ").append(i).append("\r\n");
            }
            pipeline.append("PING\r\n");
            connection.send(pipeline.toString().getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(300);
            String expectedValue = "$" + value.length() + "\\r\\n" + value + "\\r\\n";
            for (int i = 0; i < count; i++) {
                assertEquals(expectedValue, Resp.escape(connection.readReply()), "GET number " + i);
                String echo = Integer.toString(i);
                assertEquals("$" + echo.length() + "\\r\\n" + echo + "\\r\\n", Resp.escape(connection.readReply()));
                if (i % 100 == 0) {
                    Thread.sleep(100);
                }
            }
            assertEquals("+PONG\\r\\n", Resp.escape(connection.readReply()));
            assertEquals("+PONG\\r\\n", Resp.escape(connection.call("PING")), "the connection goes on");
        }
    }

    /** A server whose requests run on the event loops or on one dedicated thread. */
    static NuthatchServer startNuthatch(String executionModel) {
        String previous = System.setProperty(NuthatchServer.EXECUTION_PROPERTY, executionModel);
        try {
            return ReferencePair.startNuthatch();
        } finally {
            if (previous == null) {
                System.clearProperty(NuthatchServer.EXECUTION_PROPERTY);
            } else {
                System.setProperty(NuthatchServer.EXECUTION_PROPERTY, previous);
            }
        }
    }

    static void assertPongOnAFreshConnection(NuthatchServer server) throws IOException {
        try (RawConnection connection = new RawConnection(server.port())) {
            assertEquals("+PONG\\r\\n", Resp.escape(connection.call("PING")));
        }
    }

    /** Waits until the server has forgotten closed connections, down to {@code count} clients. */
    static void awaitClientCount(NuthatchServer server, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.engine().clients().count() != count && System.nanoTime() < deadline) {
            sleep(10);
        }
        assertEquals(count, server.engine().clients().count(), "connected clients");
    }

    private static void sendQuietly(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException closedByServer) {
            // Expected when the server drops the connection.
        }
    }

    /** Bytes the server's Netty allocator holds, heap and direct. */
    private static long serverBufferMemory() {
        ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        if (allocator instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric metric = provider.metric();
            return metric.usedDirectMemory() + metric.usedHeapMemory();
        }
        throw new AssertionError("the default allocator reports no metrics: " + allocator);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
