package io.nuthatch.server.gate;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The execution gate seen by real clients: long work holds the engine on a thread of its own (as a
 * script or a load will), and the connected clients get what Redis gives them in each state
 * (nothing yet before the busy threshold, -BUSY after it, -LOADING while loading, the commands
 * each state allows), while no thread that serves them waits behind the work.
 */
class ExecutionGateTest {
    private static final long QUIET_MILLIS = 300;

    private NuthatchServer server;
    private final List<RawConnection> connections = new ArrayList<>();

    private NuthatchServer start(String... directives) {
        server = ReferencePair.startNuthatch(directives);
        return server;
    }

    private RawConnection connect() throws IOException {
        RawConnection connection = new RawConnection(server.port());
        connections.add(connection);
        return connection;
    }

    @AfterEach
    void stop() throws IOException {
        for (RawConnection connection : connections) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String reply(RawConnection connection) throws IOException {
        return Resp.escape(connection.readReply());
    }

    /** Asserts the connection receives nothing for a while. */
    private static void assertNoReplyYet(RawConnection connection) throws Exception {
        Thread.sleep(QUIET_MILLIS);
        InputStream in = connection.socket().getInputStream();
        assertEquals(0, in.available(), "a reply arrived while the engine was held");
    }

    private static String errorstat(RawConnection connection, String code) throws IOException {
        String info = (String) RespValue.parse(connection.call("INFO", "errorstats"));
        for (String line : info.split("\r\n")) {
            if (line.startsWith("errorstat_" + code + ":")) {
                return line;
            }
        }
        return "errorstat_" + code + ": none";
    }

    @Test
    void requestsSentBeforeTheBusyThresholdWaitAndRunInOrderOnceTheWorkEnds() throws Exception {
        start("busy-reply-threshold", "60000");
        RawConnection first = connect();
        RawConnection second = connect();
        HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.SCRIPT);
        assertEquals(ExecutionGate.State.HELD, server.gate().state());
        first.send("SET k 1\r\nINCR k\r\nGET k\r\n".getBytes());
        Thread.sleep(50);
        second.send(Resp.request("INCR", "k"));
        RawConnection latecomer = connect();
        latecomer.send(Resp.request("PING"));
        assertNoReplyYet(first);
        assertNoReplyYet(second);
        assertNoReplyYet(latecomer);

        work.release();
        assertEquals("+OK\\r\\n", reply(first));
        assertEquals(":2\\r\\n", reply(first));
        assertEquals("$1\\r\\n2\\r\\n", reply(first));
        assertEquals(":3\\r\\n", reply(second));
        assertEquals("+PONG\\r\\n", reply(latecomer));
    }

    @Test
    void aClientThatKeepsSendingWhileTheEngineIsHeldIsServedInFullOnceItIsFree() throws Exception {
        start("busy-reply-threshold", "60000");
        RawConnection client = connect();
        HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.SCRIPT);
        int requests = 20_000;
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < requests; i += 1000) {
                    client.send("INCR n\r\n".repeat(1000).getBytes());
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        sender.start();
        assertNoReplyYet(client);
        work.release();
        for (int i = 1; i <= requests; i++) {
            assertEquals(":" + i + "\\r\\n", reply(client));
        }
        sender.join(10_000);
    }

    @Test
    void pastTheBusyThresholdClientsAreAnsweredBusyWhileTheWorkGoesOn() throws Exception {
        start("busy-reply-threshold", "100");
        RawConnection client = connect();
        RawConnection other = connect();
        client.call("SET", "k", "before");
        HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.SCRIPT);
        // Sent before the threshold: answered once it passes, with the work still running.
        client.send(Resp.request("GET", "k"));
        String busy = reply(client);
        assertTrue(busy.startsWith("-BUSY "), busy);
        assertEquals(ExecutionGate.State.BUSY, server.gate().state());
        assertFalse(work.hasEnded());
        int busyReplies = 1;
        for (String[] command : List.of(new String[] {"SET", "k", "during"}, new String[] {"PING"},
                new String[] {"CLIENT", "ID"}, new String[] {"INFO"})) {
            assertEquals(busy, Resp.escape(other.call(command)), String.join(" ", command));
            busyReplies++;
        }
        // Commands flagged allow-busy run.
        assertTrue(reply(other.call("HELLO", "2")).startsWith("*"), "HELLO is allowed while busy");
        RawConnection quitter = connect();
        assertEquals("+OK\\r\\n", Resp.escape(quitter.call("QUIT")));
        assertTrue(quitter.isClosedByServer(5000));
        assertFalse(work.hasEnded());

        work.release();
        assertEquals("$6\\r\\nbefore\\r\\n", Resp.escape(client.call("GET", "k")));
        assertEquals("errorstat_BUSY:count=" + busyReplies, errorstat(other, "BUSY"));
    }

    private static String reply(byte[] raw) {
        return Resp.escape(raw);
    }

    @Test
    void theBusyReplyNamesTheKindOfWork() throws Exception {
        start("busy-reply-threshold", "0");
        RawConnection client = connect();
        for (ExecutionGate.LongKind kind : ExecutionGate.LongKind.values()) {
            HeldEngine work = HeldEngine.holdLong(server.gate(), kind);
            HeldEngine.awaitState(server.gate(), ExecutionGate.State.BUSY);
            assertEquals("-" + kind.busyReply() + "\\r\\n", Resp.escape(client.call("GET", "k")));
            work.release();
        }
        assertEquals("$-1\\r\\n", Resp.escape(client.call("GET", "k")));
    }

    @Test
    void whileLoadingOnlyLoadingOkCommandsRunBetweenSlices() throws Exception {
        start();
        RawConnection client = connect();
        HeldEngine loading = HeldEngine.holdLoading(server.gate());
        assertEquals(ExecutionGate.State.LOADING, server.gate().state());
        String loadingError = "-LOADING Redis is loading the dataset in memory\\r\\n";
        assertEquals(loadingError, Resp.escape(client.call("GET", "k")));
        assertEquals(loadingError, Resp.escape(client.call("SET", "k", "v")));
        // PING is not flagged loading-ok in Redis 7.0: it gets -LOADING there too.
        assertEquals(loadingError, Resp.escape(client.call("PING")));
        assertTrue(((String) RespValue.parse(client.call("INFO", "server"))).contains("tcp_port:"));
        assertEquals("$2\\r\\nhi\\r\\n", Resp.escape(client.call("ECHO", "hi")));
        assertEquals("+OK\\r\\n", Resp.escape(client.call("SELECT", "1")));
        RawConnection latecomer = connect();
        assertEquals(loadingError, Resp.escape(latecomer.call("DBSIZE")));
        assertFalse(loading.hasEnded());

        loading.release();
        assertEquals("+PONG\\r\\n", Resp.escape(client.call("PING")));
        assertEquals("+OK\\r\\n", Resp.escape(client.call("SET", "k", "v")));
        assertEquals("errorstat_LOADING:count=4", errorstat(latecomer, "LOADING"));
    }

    @Test
    void aBlockedClientWhoseTimeoutPassesDuringLongWorkIsAnsweredOnceItEnds() throws Exception {
        start("busy-reply-threshold", "100");
        RawConnection waiter = connect();
        RawConnection observer = connect();
        long waiterId = (Long) RespValue.parse(waiter.call("CLIENT", "ID"));
        waiter.send(Resp.request("WAIT", "1", "150"));
        awaitFlag(observer, waiterId, "b");
        HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.SCRIPT);
        // The timeout passes while the work runs, first before the threshold, then after it.
        assertNoReplyYet(waiter);
        assertEquals(ExecutionGate.State.BUSY, server.gate().state());
        work.release();
        assertEquals(":0\\r\\n", reply(waiter));
        assertEquals("+PONG\\r\\n", Resp.escape(waiter.call("PING")));
    }

    @Test
    void clientKillRunsWhileLoadingAndClosesABlockedClient() throws Exception {
        start();
        RawConnection waiter = connect();
        RawConnection killer = connect();
        long waiterId = (Long) RespValue.parse(waiter.call("CLIENT", "ID"));
        waiter.send(Resp.request("WAIT", "1", "0"));
        awaitFlag(killer, waiterId, "b");
        HeldEngine loading = HeldEngine.holdLoading(server.gate());
        assertEquals(":1\\r\\n", Resp.escape(killer.call("CLIENT", "KILL", "ID", Long.toString(waiterId))));
        assertTrue(waiter.isClosedByServer(5000));
        assertFalse(loading.hasEnded());
        loading.release();
        String list = (String) RespValue.parse(killer.call("CLIENT", "LIST"));
        assertFalse(list.contains("id=" + waiterId + " "), list);
    }

    @Test
    void clientsThatConnectAndLeaveDuringLongWorkAreRegisteredAndForgotten() throws Exception {
        start("busy-reply-threshold", "60000");
        RawConnection observer = connect();
        HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.SCRIPT);
        RawConnection passing = new RawConnection(server.port());
        passing.send(Resp.request("CLIENT", "SETNAME", "passing"));
        Thread.sleep(50);
        passing.close();
        RawConnection staying = connect();
        staying.send(Resp.request("CLIENT", "SETNAME", "staying"));
        Thread.sleep(100);
        work.release();
        assertEquals("+OK\\r\\n", reply(staying));
        String list = (String) RespValue.parse(observer.call("CLIENT", "LIST"));
        assertTrue(list.contains("name=staying "), list);
        assertFalse(list.contains("name=passing "), list);
    }

    @Test
    void noThreadServingClientsNorTheCronWaitsWhileLongWorkHoldsTheEngine() throws Exception {
        start("busy-reply-threshold", "60000", "hz", "100", "io-threads", "2");
        List<RawConnection> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(connect());
        }
        HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.SCRIPT);
        for (RawConnection client : clients) {
            client.send(Resp.request("INCR", "n"));
        }
        // A cron tick that read the state just before the long work took the engine waits one
        // quantum (100 us) in tryLock, then sees the state and gives up: not a wait for the
        // engine. Sampling starts once any such tick is over (CI caught one on a loaded machine).
        Thread.sleep(50);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        int samples = 0;
        while (System.nanoTime() < deadline) {
            for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
                String name = thread.getKey().getName();
                if (name.startsWith("nuthatch-io") || name.startsWith("nuthatch-cron")) {
                    // A lock taken from our code; an idle cron's executor queue takes locks of its own.
                    boolean inOurCode = false;
                    boolean inALock = false;
                    for (StackTraceElement frame : thread.getValue()) {
                        inALock |= frame.getClassName().contains("ReentrantLock")
                                || (frame.getClassName().contains("AbstractQueuedSynchronizer")
                                        && frame.getMethodName().startsWith("acquire"));
                        inOurCode |= frame.getClassName().startsWith("io.nuthatch.");
                    }
                    assertFalse(inALock && inOurCode, name + " waits for the engine: " + List.of(thread.getValue()));
                }
            }
            samples++;
            Thread.sleep(5);
        }
        assertTrue(samples > 10);
        work.release();
        List<String> replies = new ArrayList<>();
        for (RawConnection client : clients) {
            replies.add(reply(client));
        }
        assertTrue(replies.containsAll(List.of(":1\\r\\n", ":2\\r\\n", ":3\\r\\n", ":4\\r\\n")), replies.toString());
    }

    @Test
    void theExportersReadIsAnsweredWhileLongWorkHoldsTheEngine() throws Exception {
        start("busy-reply-threshold", "60000");
        connect().call("CLIENT", "SETNAME", "counted");
        HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.SCRIPT);
        long started = System.nanoTime();
        Map<String, Map<String, String>> snapshot = server.engine().info().snapshot("clients");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals("1", snapshot.get("clients").get("connected_clients"));
        assertTrue(millis < 1000, "the read took " + millis + " ms");
        assertFalse(work.hasEnded());
        work.release();
    }

    @Test
    void shutdownNosaveStopsTheServerWhileBusyAndShutdownAloneIsRefused() throws Exception {
        start("busy-reply-threshold", "0");
        RawConnection client = connect();
        HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.SCRIPT);
        HeldEngine.awaitState(server.gate(), ExecutionGate.State.BUSY);
        String busy = "-" + ExecutionGate.LongKind.SCRIPT.busyReply() + "\\r\\n";
        assertEquals(busy, Resp.escape(client.call("SHUTDOWN")));
        assertEquals(busy, Resp.escape(client.call("SHUTDOWN", "SAVE")));
        client.send(Resp.request("SHUTDOWN", "NOSAVE"));
        assertTrue(server.awaitStop(10, TimeUnit.SECONDS), "the server did not stop");
        assertTrue(work.hasEnded());
        assertTrue(work.stoppedOnRequest());
    }

    @Test
    void severalEventLoopsRunCommandsOneAtATimeAcrossLongWork() throws Exception {
        start("busy-reply-threshold", "60000", "io-threads", "3");
        int clients = 6;
        int increments = 3000;
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Long>> lasts = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                RawConnection connection = connect();
                lasts.add(senders.submit(() -> {
                    long last = 0;
                    for (int i = 0; i < increments; i += 100) {
                        connection.send("INCR n\r\n".repeat(100).getBytes());
                        for (int r = 0; r < 100; r++) {
                            last = (Long) RespValue.parse(connection.readReply());
                        }
                    }
                    return last;
                }));
            }
            Thread.sleep(20);
            HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.SCRIPT);
            Thread.sleep(100);
            work.release();
            long highest = 0;
            for (Future<Long> last : lasts) {
                highest = Math.max(highest, last.get(60, TimeUnit.SECONDS));
            }
            assertEquals((long) clients * increments, highest);
            String total = Long.toString((long) clients * increments);
            assertEquals("$" + total.length() + "\\r\\n" + total + "\\r\\n", Resp.escape(connect().call("GET", "n")));
        } finally {
            senders.shutdownNow();
        }
    }

    /** Polls CLIENT LIST until the client's flags contain the flag. */
    private static void awaitFlag(RawConnection observer, long id, String flag) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String line = (String) RespValue.parse(observer.call("CLIENT", "LIST", "ID", Long.toString(id)));
            if (line.replaceAll("(?s).* flags=(\\S+) .*", "$1").contains(flag)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("client " + id + " never showed flag " + flag);
    }
}
