package io.nuthatch.server.blocking;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.DetachedTransport;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.testing.AppendOnlyLogUnits;
import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiters are served after the outermost execution unit, not after each command in it. Nothing in
 * this server runs commands inside an outer unit yet (MULTI/EXEC and scripts come later), so the
 * test drives the unit API as they will: with the engine held, it opens a unit, runs commands
 * through the dispatcher with blocking denied, and closes the unit; the next command run at the
 * outermost level serves what became ready, as EXEC's own end will. The waiter is a real client
 * parked in BLPOP on a socket.
 */
class OuterUnitServingTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    private final List<String> units = new ArrayList<>();
    private final WritePropagation.UnitListener recorder = unit -> {
        synchronized (units) {
            units.addAll(AppendOnlyLogUnits.of(unit));
        }
    };
    private Engine engine;
    private CommandContext transaction;
    private ByteBuf replies;

    @BeforeEach
    void setUp() throws IOException {
        engine = nuthatch.server().engine();
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("FLUSHALL");
        }
        ClientSession session = new ClientSession(-1, new DetachedTransport("127.0.0.1:0"), System.currentTimeMillis());
        replies = Unpooled.buffer();
        session.reply().target(replies);
        transaction = engine.dispatcher().newContext(session);
        engine.propagation().addListener(recorder);
    }

    @AfterEach
    void tearDown() {
        engine.propagation().removeListener(recorder);
        replies.release();
    }

    @Test
    void aPushPoppedInTheSameUnitFeedsNoWaiter() throws Exception {
        try (RawConnection waiter = nuthatch.connect()) {
            block(waiter, "BLPOP", "l", "0");
            inOneUnit("LPUSH l a", "LPOP l");
            atTheOutermostLevel("PING");
            assertEquals(RawConnection.Arrival.NOTHING, waiter.awaitArrival(100));
            assertEquals(List.of("MULTI [0 LPUSH l a, 0 LPOP l] EXEC"), recorded());
            atTheOutermostLevel("RPUSH l b");
            assertEquals("*2\r\n$1\r\nl\r\n$1\r\nb\r\n", text(waiter.readReply()));
        }
    }

    @Test
    void aWaiterIsServedOnlyOnceTheUnitHasEnded() throws Exception {
        try (RawConnection waiter = nuthatch.connect()) {
            block(waiter, "BLPOP", "l", "0");
            engine.gate().runExclusive(() -> {
                engine.propagation().beginUnit();
                transaction.denyBlocking(true);
                execute("LPUSH l a b");
                execute("SET z 1");
                // Still inside the unit: the dispatcher must not have served anyone.
                assertTrue(engine.blocking().hasReadyKeys());
                transaction.denyBlocking(false);
                engine.propagation().endUnit();
            }, 5000);
            // What serves it here is the next command at the outermost level (or the cron, which
            // serves what expiry made ready): in EXEC, the end of EXEC's own command.
            atTheOutermostLevel("PING");
            assertEquals("*2\r\n$1\r\nl\r\n$1\r\nb\r\n", text(waiter.readReply()));
            assertEquals(List.of("MULTI [0 LPUSH l a b, 0 SET z 1] EXEC", "0 LPOP l"), recorded());
        }
    }

    @Test
    void blockingCommandsInsideTheUnitReplyAsATimeoutWould() throws Exception {
        inOneUnit("BLPOP l 0", "BRPOPLPUSH l m 0", "BLMOVE l m LEFT RIGHT 0", "BLMPOP 0 1 l LEFT", "RPUSH l a",
                "BLPOP l 0");
        assertEquals("*-1\r\n$-1\r\n$-1\r\n*-1\r\n:1\r\n*2\r\n$1\r\nl\r\n$1\r\na\r\n",
                replies.toString(StandardCharsets.ISO_8859_1));
        assertEquals(List.of("MULTI [0 RPUSH l a, 0 LPOP l] EXEC"), recorded());
    }

    // ---------------------------------------------------------------- helpers

    private void block(RawConnection waiter, String... command) throws Exception {
        waiter.send(io.nuthatch.server.testing.Resp.request(command));
        long deadline = System.currentTimeMillis() + 5000;
        while (engine.blocking().keyCount() == 0) {
            assertTrue(System.currentTimeMillis() < deadline, "the client never blocked");
            Thread.sleep(2);
        }
    }

    private void inOneUnit(String... commands) {
        engine.gate().runExclusive(() -> {
            engine.propagation().beginUnit();
            transaction.denyBlocking(true);
            for (String command : commands) {
                execute(command);
            }
            transaction.denyBlocking(false);
            engine.propagation().endUnit();
        }, 5000);
    }

    private void atTheOutermostLevel(String command) {
        engine.gate().runExclusive(() -> execute(command), 5000);
    }

    private void execute(String command) {
        engine.dispatcher().execute(transaction, RequestArguments.of(command.split(" ")));
    }

    private List<String> recorded() {
        synchronized (units) {
            return new ArrayList<>(units);
        }
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
