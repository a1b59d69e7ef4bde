package io.nuthatch.server.command.server;

import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WAIT without replicas parks its client (see BlockedClient): the client waits, nobody else does,
 * and what it sent afterwards runs once the wait is over.
 */
class WaitCommandTest {
    private static final long DEADLINE_NANOS = 10_000_000_000L;
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    @Test
    void waitForOneReplicaRepliesZeroOnceTheTimeoutHasPassed() throws IOException {
        try (RawConnection waiter = nuthatch.connect()) {
            long started = System.nanoTime();
            assertEquals(":0\\r\\n", Resp.escape(waiter.call("WAIT", "1", "100")));
            assertTrue(System.nanoTime() - started >= 100_000_000L, "replied before its timeout");
        }
    }

    @Test
    void aWaitingClientDoesNotHoldUpOthers() throws IOException {
        try (RawConnection waiter = nuthatch.connect(); RawConnection other = nuthatch.connect()) {
            long waiterId = clientId(waiter);
            waiter.send(Resp.request("WAIT", "1", "1500"));
            awaitBlocked(other, waiterId, true);
            assertEquals("+PONG\\r\\n", Resp.escape(other.call("PING")));
            assertEquals("+OK\\r\\n", Resp.escape(other.call("SET", "k", "v")));
            assertEquals(0, waiter.socket().getInputStream().available(), "the waiter has no reply yet");
            assertEquals(":0\\r\\n", Resp.escape(waiter.readReply()));
        }
    }

    @Test
    void requestsSentBehindAWaitRunAfterItInOrder() throws IOException {
        try (RawConnection waiter = nuthatch.connect()) {
            waiter.send("WAIT 1 50\r\nSET after-wait 1\r\nGET after-wait\r\nWAIT 1 20\r\nPING\r\n".getBytes());
            assertEquals(":0\\r\\n", Resp.escape(waiter.readReply()));
            assertEquals("+OK\\r\\n", Resp.escape(waiter.readReply()));
            assertEquals("$1\\r\\n1\\r\\n", Resp.escape(waiter.readReply()));
            assertEquals(":0\\r\\n", Resp.escape(waiter.readReply()));
            assertEquals("+PONG\\r\\n", Resp.escape(waiter.readReply()));
        }
    }

    @Test
    void clientReplySkipDropsTheDeferredReply() throws IOException {
        try (RawConnection waiter = nuthatch.connect()) {
            waiter.send("CLIENT REPLY SKIP\r\nWAIT 1 30\r\nPING\r\n".getBytes());
            assertEquals("+PONG\\r\\n", Resp.escape(waiter.readReply()));
        }
    }

    @Test
    void waitWithoutTimeoutBlocksUntilTheClientIsKilled() throws IOException {
        try (RawConnection waiter = nuthatch.connect(); RawConnection other = nuthatch.connect()) {
            long waiterId = clientId(waiter);
            waiter.send(Resp.request("WAIT", "1", "0"));
            awaitBlocked(other, waiterId, true);
            assertEquals(1L, RespValue.parse(other.call("CLIENT", "KILL", "ID", Long.toString(waiterId))));
            assertTrue(waiter.isClosedByServer(5000));
            assertEquals("+PONG\\r\\n", Resp.escape(other.call("PING")));
        }
    }

    @Test
    void aHugeTimeoutIsAsGoodAsNone() throws IOException {
        try (RawConnection waiter = nuthatch.connect(); RawConnection other = nuthatch.connect()) {
            long waiterId = clientId(waiter);
            waiter.send(Resp.request("WAIT", "1", Long.toString(Long.MAX_VALUE)));
            awaitBlocked(other, waiterId, true);
            assertEquals(1L, RespValue.parse(other.call("CLIENT", "KILL", "ID", Long.toString(waiterId))));
            assertTrue(waiter.isClosedByServer(5000));
        }
    }

    @Test
    void aWaitingClientThatDisconnectsIsForgotten() throws Exception {
        long waiterId;
        try (RawConnection waiter = nuthatch.connect()) {
            waiterId = clientId(waiter);
            waiter.send(Resp.request("WAIT", "1", "0"));
            try (RawConnection other = nuthatch.connect()) {
                awaitBlocked(other, waiterId, true);
            }
        }
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (isRegistered(waiterId) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(!isRegistered(waiterId), "the closed client is still registered");
    }

    private static boolean isRegistered(long id) {
        ReentrantLock lock = nuthatch.server().engine().lock();
        lock.lock();
        try {
            return nuthatch.server().engine().clients().find(id) != null;
        } finally {
            lock.unlock();
        }
    }

    private static long clientId(RawConnection connection) throws IOException {
        return (Long) RespValue.parse(connection.call("CLIENT", "ID"));
    }

    /** Polls CLIENT LIST until the client shows (or no longer shows) the blocked flag. */
    private static void awaitBlocked(RawConnection observer, long id, boolean blocked) throws IOException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (System.nanoTime() < deadline) {
            String line = (String) RespValue.parse(observer.call("CLIENT", "LIST", "ID", Long.toString(id)));
            String flags = line.replaceAll("(?s).* flags=(\\S+) .*", "$1");
            if (flags.contains("b") == blocked) {
                return;
            }
        }
        throw new AssertionError("client " + id + " did not become " + (blocked ? "blocked" : "unblocked"));
    }
}
