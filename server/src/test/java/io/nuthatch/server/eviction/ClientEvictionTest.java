package io.nuthatch.server.eviction;

import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxmemory-clients over real sockets: connections that hold memory are made by sending the start
 * of a SET whose value is announced but not sent (the server keeps an argument of 32 KB or more in
 * an array of the announced size while it arrives, as Redis preallocates a big argument). The
 * control connection has CLIENT NO-EVICT on, so only the connections under test can be closed.
 */
class ClientEvictionTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    /** Long enough for the cron (hz 10) to have run a few times; an eviction should come much sooner. */
    private static final int EVICTION_WAIT_MILLIS = 2_000;
    /** How long a connection that must stay open is watched. */
    private static final int STAYS_OPEN_MILLIS = 500;

    private RawConnection control;
    private final List<RawConnection> opened = new ArrayList<>();

    @BeforeEach
    void connect() throws IOException {
        control = nuthatch.connect();
        assertEquals("OK", call("CLIENT", "NO-EVICT", "ON"));
        call("CONFIG", "RESETSTAT");
    }

    @AfterEach
    void restore() throws IOException {
        call("CONFIG", "SET", "maxmemory-clients", "0");
        call("CONFIG", "SET", "maxmemory", "0");
        for (RawConnection connection : opened) {
            connection.close();
        }
        control.close();
    }

    private Object call(String... arguments) throws IOException {
        return RespValue.parse(control.call(arguments));
    }

    private long evictedClients() throws IOException {
        String text = (String) call("INFO", "stats");
        for (String line : text.split("\r\n")) {
            if (line.startsWith("evicted_clients:")) {
                return Long.parseLong(line.substring("evicted_clients:".length()));
            }
        }
        throw new AssertionError("no evicted_clients in INFO stats");
    }

    /** A connection holding a SET whose value of {@code bytes} bytes is announced and not yet sent. */
    private RawConnection holding(int bytes) throws IOException {
        RawConnection connection = nuthatch.connect();
        opened.add(connection);
        // All but the last byte of the value: the server's buffer follows the bytes that arrived,
        // not the length announced.
        connection.send(("*3\r\n$3\r\nSET\r\n$4\r\nheld\r\n$" + bytes + "\r\n").getBytes(StandardCharsets.US_ASCII));
        connection.send("x".repeat(bytes - 1).getBytes(StandardCharsets.US_ASCII));
        return connection;
    }

    /** Waits until CLIENT LIST shows a connection's announced value in its tot-mem. */
    private void awaitHeld(RawConnection connection, int bytes) throws IOException, InterruptedException {
        String port = ":" + connection.localPort() + " ";
        long deadline = System.nanoTime() + EVICTION_WAIT_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : ((String) call("CLIENT", "LIST")).split("\n")) {
                if (line.contains(port) && totalMemory(line) >= bytes) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server never showed the " + bytes + " bytes held by port" + port);
    }

    private static long totalMemory(String clientListLine) {
        for (String field : clientListLine.strip().split(" ")) {
            if (field.startsWith("tot-mem=")) {
                return Long.parseLong(field.substring("tot-mem=".length()));
            }
        }
        throw new AssertionError("no tot-mem in " + clientListLine);
    }

    @Test
    void aConnectionWhoseBuffersPassTheLimitIsClosedAndCounted() throws IOException {
        call("CONFIG", "SET", "maxmemory-clients", "1mb");
        RawConnection big = holding(2_000_000);
        assertTrue(big.isClosedByServer(EVICTION_WAIT_MILLIS));
        assertEquals(1, evictedClients());
        assertEquals("PONG", call("PING"));
    }

    @Test
    void totMemCountsTheConnectionAndWhatItsUnfinishedRequestHolds() throws IOException, InterruptedException {
        RawConnection connection = holding(300_000);
        awaitHeld(connection, 300_000);
    }

    @Test
    void theBiggestConnectionGoesFirstAndOnlyAsManyAsNeeded() throws IOException, InterruptedException {
        call("CONFIG", "SET", "maxmemory-clients", "1mb");
        RawConnection small = holding(250_000);
        RawConnection biggest = holding(550_000);
        awaitHeld(small, 250_000);
        awaitHeld(biggest, 550_000);
        assertEquals(0, evictedClients(), "800 KB of clients fit a 1 MB limit");
        RawConnection newest = holding(350_000);
        assertTrue(biggest.isClosedByServer(EVICTION_WAIT_MILLIS));
        assertFalse(small.isClosedByServer(STAYS_OPEN_MILLIS));
        assertFalse(newest.isClosedByServer(STAYS_OPEN_MILLIS));
        assertEquals(1, evictedClients());
    }

    @Test
    void aConnectionWithNoEvictStaysOpenAndFinishesItsCommand() throws IOException {
        RawConnection exempt = nuthatch.connect();
        opened.add(exempt);
        assertEquals("OK", RespValue.parse(exempt.call("CLIENT", "NO-EVICT", "ON")));
        call("CONFIG", "SET", "maxmemory-clients", "1mb");
        int size = 2_000_000;
        exempt.send(("*3\r\n$3\r\nSET\r\n$6\r\nexempt\r\n$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
        exempt.send("x".repeat(size - 1).getBytes(StandardCharsets.US_ASCII));
        assertFalse(exempt.isClosedByServer(STAYS_OPEN_MILLIS));
        exempt.send("x\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("OK", RespValue.parse(exempt.readReply()));
        assertEquals((long) size, call("STRLEN", "exempt"));
        call("DEL", "exempt");
    }

    @Test
    void aPercentageIsOfMaxmemoryAndMeansNoLimitWhileMaxmemoryIsZero() throws IOException {
        call("CONFIG", "SET", "maxmemory-clients", "10%");
        assertEquals(List.of("maxmemory-clients", "10%"), call("CONFIG", "GET", "maxmemory-clients"));
        RawConnection big = holding(2_000_000);
        assertFalse(big.isClosedByServer(STAYS_OPEN_MILLIS));
        call("CONFIG", "SET", "maxmemory", "10mb");
        assertTrue(big.isClosedByServer(EVICTION_WAIT_MILLIS), "10% of 10 MB is 1 MB");
        assertEquals(1, evictedClients());
    }

    @Test
    void aTinyLimitStillLetsIdleConnectionsWork() throws IOException {
        call("CONFIG", "SET", "maxmemory-clients", "1");
        List<RawConnection> idle = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RawConnection connection = nuthatch.connect();
            opened.add(connection);
            idle.add(connection);
        }
        for (RawConnection connection : idle) {
            assertEquals("PONG", RespValue.parse(connection.call("PING")));
        }
        assertEquals(0, evictedClients(), "six idle connections are far under the 128 KB floor");
        RawConnection big = holding(200_000);
        assertTrue(big.isClosedByServer(EVICTION_WAIT_MILLIS), "200 KB is over the 128 KB floor");
    }

    @Test
    void limitOfFollowsRedis() {
        assertEquals(0, ClientEviction.limitOf(0, 1 << 30));
        assertEquals(0, ClientEviction.limitOf(-10, 0));
        assertEquals(104_857_600L, ClientEviction.limitOf(-10, 1_048_576_000L));
        assertEquals(ClientEviction.MINIMUM_LIMIT, ClientEviction.limitOf(1, 0));
        assertEquals(5_000_000L, ClientEviction.limitOf(5_000_000L, 0));
    }
}
