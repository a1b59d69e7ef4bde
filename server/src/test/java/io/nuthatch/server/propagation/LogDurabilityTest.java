package io.nuthatch.server.propagation;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seam appendfsync always will use, driven by a listener that makes units durable only when
 * the test says so: real clients see that a reply showing a write leaves only once the write's unit
 * is durable, whoever wrote it, and that nothing else is held.
 */
class LogDurabilityTest {
    private static final long QUIET_MILLIS = 250;

    private NuthatchServer server;
    private WritePropagation propagation;
    private final List<Long> offsets = new CopyOnWriteArrayList<>();
    private final List<RawConnection> connections = new ArrayList<>();

    @BeforeEach
    void start() {
        server = ReferencePair.startNuthatch();
        propagation = server.engine().propagation();
        propagation.addListener((WritePropagation.UnitListener) unit -> offsets.add(unit.logOffset()));
        propagation.awaitDurability(true);
    }

    @AfterEach
    void stop() throws IOException {
        for (RawConnection connection : connections) {
            connection.close();
        }
        server.close();
    }

    private RawConnection connect() throws IOException {
        RawConnection connection = new RawConnection(server.port());
        connections.add(connection);
        return connection;
    }

    private static void assertNothingArrives(RawConnection connection) throws Exception {
        Thread.sleep(QUIET_MILLIS);
        InputStream in = connection.socket().getInputStream();
        assertEquals(0, in.available(), "a reply left before the log was durable");
    }

    private void awaitUnits(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (offsets.size() < count) {
            assertTrue(System.nanoTime() < deadline, "only " + offsets.size() + " of " + count + " units came");
            Thread.sleep(1);
        }
    }

    private long lastOffset() {
        return offsets.get(offsets.size() - 1);
    }

    @Test
    void aWriteIsAnsweredOnceItsUnitIsDurable() throws Exception {
        RawConnection writer = connect();
        writer.send(Resp.request("SET", "k", "v"));
        assertNothingArrives(writer);
        assertEquals(1, offsets.size());
        propagation.durableThrough(lastOffset());
        assertEquals("+OK\\r\\n", Resp.escape(writer.readReply()));
    }

    @Test
    void aReadThatCouldShowTheWriteWaitsForItToo() throws Exception {
        RawConnection writer = connect();
        RawConnection reader = connect();
        assertEquals("+PONG\\r\\n", Resp.escape(reader.call("PING")), "nothing was written yet");
        writer.send(Resp.request("SET", "k", "v"));
        awaitUnits(1);
        reader.send(Resp.request("GET", "k"));
        assertNothingArrives(reader);
        assertNothingArrives(writer);
        propagation.durableThrough(lastOffset());
        assertEquals("$1\\r\\nv\\r\\n", Resp.escape(reader.readReply()));
        assertEquals("+OK\\r\\n", Resp.escape(writer.readReply()));
        assertEquals("$1\\r\\nv\\r\\n", Resp.escape(reader.call("GET", "k")), "durable writes hold nothing");
    }

    /**
     * How the requests split into read batches is the server's business (a batch also ends early
     * when another thread waits for the engine), so this follows the units as they come: a held
     * connection runs nothing more, so every unit created since the last release belongs to the
     * one batch held, and that batch must not be answered until its last unit is durable.
     */
    @Test
    void aBatchWaitsForItsLastUnitAndTheRequestsAfterItWaitTheirTurn() throws Exception {
        RawConnection writer = connect();
        List<String> arrived = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                for (int i = 0; i < 4; i++) {
                    arrived.add(Resp.escape(writer.readReply()));
                }
            } catch (IOException e) {
                arrived.add(e.toString());
            }
        });
        reader.start();
        writer.send("SET a 1\r\nSET b 2\r\nSET c 3\r\nGET c\r\n".getBytes());
        for (int unit = 1; unit <= 3; unit++) {
            awaitUnits(unit);
            Thread.sleep(QUIET_MILLIS);
            int repliesBefore = arrived.size();
            assertTrue(repliesBefore < unit, "a reply left before its unit was durable: " + arrived);
            int heldUnits = offsets.size();
            propagation.durableThrough(offsets.get(unit - 1));
            if (heldUnits > unit) {
                Thread.sleep(QUIET_MILLIS);
                assertEquals(repliesBefore, arrived.size(), "a batch left before its last unit was durable");
            }
        }
        reader.join(10_000);
        assertEquals(List.of("+OK\\r\\n", "+OK\\r\\n", "+OK\\r\\n", "$1\\r\\n3\\r\\n"), arrived);
        assertEquals(List.of(offsets.get(0), offsets.get(0) + 1, offsets.get(0) + 2), offsets,
                "offsets grow by one per unit");
    }

    @Test
    void aCommandThatWritesSeveralRecordsIsOneUnit() throws Exception {
        RawConnection writer = connect();
        writer.send(Resp.request("MSET", "a", "1", "b", "2"));
        assertNothingArrives(writer);
        propagation.durableThrough(lastOffset());
        assertEquals("+OK\\r\\n", Resp.escape(writer.readReply()));
        assertEquals(1, offsets.size());
    }

    @Test
    void turningTheWaitOffReleasesTheHeldReplies() throws Exception {
        RawConnection writer = connect();
        writer.send(Resp.request("INCR", "n"));
        assertNothingArrives(writer);
        propagation.awaitDurability(false);
        assertEquals(":1\\r\\n", Resp.escape(writer.readReply()));
        assertEquals(":2\\r\\n", Resp.escape(writer.call("INCR", "n")));
        assertTrue(offsets.size() == 2);
    }
}
