package io.nuthatch.server.scripting;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real scripts that run long, on a server of each kind started for the case with
 * busy-reply-threshold 100: what the other clients get (-BUSY, then SCRIPT KILL or SHUTDOWN
 * NOSAVE), what the script's caller gets, and that the caller's pipelined requests run after it.
 * Replies are compared byte for byte with redis-server 7.0.15's.
 */
class LongScriptDifferentialTest {
    private static final String LOOP = "local i = 0 while true do i = i + 1 end";
    /** pcall cannot keep a killed script alive. */
    private static final String LOOP_IN_PCALL = "while true do pcall(function() local i = 0 while true do i = i + 1 end end) end";
    private static final String WRITE_THEN_LOOP = "redis.call('SET', KEYS[1], 'v')\nlocal i = 0\nwhile true do i = i + 1 end";
    private static final String[] THRESHOLD = {"busy-reply-threshold", "100"};

    /** A case: what it does with the server on {@code port}, as the replies it records. */
    private interface Case {
        List<String> run(int port, Runnable awaitStop) throws Exception;
    }

    @Test
    void aLoopingScriptIsBusyForOthersAndScriptKillStopsIt() throws Exception {
        compare((port, awaitStop) -> killedScript(port, LOOP));
    }

    @Test
    void aScriptKilledInsidePcallStillStops() throws Exception {
        compare((port, awaitStop) -> killedScript(port, LOOP_IN_PCALL));
    }

    @Test
    void aScriptThatWroteIsUnkillableAndShutdownNosaveStopsTheServer() throws Exception {
        compare((port, awaitStop) -> {
            List<String> replies = new ArrayList<>();
            try (RawConnection runner = new RawConnection(port); RawConnection other = new RawConnection(port)) {
                runner.send(Resp.request("EVAL", WRITE_THEN_LOOP, "1", "written"));
                replies.add("first busy: " + awaitBusy(other));
                replies.add("SCRIPT KILL: " + Resp.escape(other.call("SCRIPT", "KILL")));
                replies.add("SHUTDOWN: " + Resp.escape(other.call("SHUTDOWN")));
                replies.add("FLUSHALL: " + Resp.escape(other.call("FLUSHALL")));
                other.send(Resp.request("SHUTDOWN", "NOSAVE"));
                awaitStop.run();
                // redis-server exits, closing it; the embedded server's JVM goes on, so only the
                // absence of any reply to the script's caller is compared.
                replies.add("runner got no reply: " + (runner.awaitArrival(1000) != RawConnection.Arrival.DATA));
                replies.add("other closed: " + other.isClosedByServer(5000));
            }
            return replies;
        });
    }

    @Test
    void aLoopingScriptInsideEXECIsBusyForOthersAndScriptKillStopsItTheRestOfTheQueueRuns() throws Exception {
        compare((port, awaitStop) -> {
            List<String> replies = new ArrayList<>();
            try (RawConnection runner = new RawConnection(port); RawConnection other = new RawConnection(port)) {
                runner.send(Resp.request("MULTI"));
                runner.send(Resp.request("SET", "k", "1"));
                runner.send(Resp.request("EVAL", LOOP, "0"));
                runner.send(Resp.request("INCR", "k"));
                for (int i = 0; i < 4; i++) {
                    replies.add("queued: " + Resp.escape(runner.readReply()));
                }
                runner.send(Resp.request("EXEC"));
                runner.send(Resp.request("GET", "k"));
                replies.add("first busy: " + awaitBusy(other));
                replies.add("GET: " + Resp.escape(other.call("GET", "k")));
                replies.add("SCRIPT KILL: " + Resp.escape(other.call("SCRIPT", "KILL")));
                replies.add("EXEC: " + Resp.escape(runner.readReply()));
                replies.add("runner GET: " + Resp.escape(runner.readReply()));
                replies.add("other GET: " + Resp.escape(other.call("GET", "k")));
            }
            return replies;
        });
    }

    @Test
    void aScriptInsideEXECPastItsFirstSliceRepliesInRESP3AndTheServerGoesOn() throws Exception {
        String counting = "local t = 0 for i = 1, 5000000 do t = t + i % 7 end redis.call('SET', 'sum', t)"
                + " return {t, redis.call('HGETALL', 'h')}";
        compare((port, awaitStop) -> {
            List<String> replies = new ArrayList<>();
            try (RawConnection runner = new RawConnection(port); RawConnection other = new RawConnection(port)) {
                runner.socket().setSoTimeout(120_000);
                runner.call("HELLO", "3");
                replies.add("HSET: " + Resp.escape(other.call("HSET", "h", "f", "v")));
                runner.send(Resp.request("MULTI"));
                runner.send(Resp.request("EVAL", "redis.setresp(3) " + counting, "0"));
                runner.send(Resp.request("HGETALL", "h"));
                for (int i = 0; i < 3; i++) {
                    replies.add("queued: " + Resp.escape(runner.readReply()));
                }
                runner.send(Resp.request("EXEC"));
                runner.send(Resp.request("GET", "sum"));
                replies.add("EXEC: " + Resp.escape(runner.readReply()));
                replies.add("GET after: " + Resp.escape(runner.readReply()));
                replies.add("other GET: " + Resp.escape(other.call("GET", "sum")));
            }
            return replies;
        });
    }

    @Test
    void whatATransactionWhoseScriptIsStoppedBySHUTDOWNNOSAVEWroteIsNotInTheLogAfterARestart() throws Exception {
        assertSameDataAfterShutdownNosave(port -> {
            try (RawConnection runner = new RawConnection(port); RawConnection other = new RawConnection(port)) {
                other.call("SET", "before", "1");
                runner.send(Resp.request("MULTI"));
                runner.send(Resp.request("SET", "queued", "1"));
                runner.send(Resp.request("EVAL", WRITE_THEN_LOOP, "1", "written"));
                runner.send(Resp.request("EXEC"));
                awaitBusy(other);
                other.send(Resp.request("SHUTDOWN", "NOSAVE"));
                assertTrue(other.isClosedByServer(10_000), "SHUTDOWN NOSAVE did not close the connection");
            }
        }, "MGET", "before", "queued", "written");
    }

    @Test
    void whatAScriptStoppedBySHUTDOWNNOSAVEWroteIsNotInTheLogAfterARestart() throws Exception {
        assertSameDataAfterShutdownNosave(port -> {
            try (RawConnection runner = new RawConnection(port); RawConnection other = new RawConnection(port)) {
                other.call("SET", "before", "1");
                runner.send(Resp.request("EVAL", WRITE_THEN_LOOP, "1", "written"));
                awaitBusy(other);
                other.send(Resp.request("SHUTDOWN", "NOSAVE"));
                assertTrue(other.isClosedByServer(10_000), "SHUTDOWN NOSAVE did not close the connection");
            }
        }, "MGET", "before", "written");
    }

    /** Something that ends with SHUTDOWN NOSAVE, on a server with its port given. */
    private interface Stopping {
        void run(int port) throws IOException;
    }

    /**
     * Runs {@code stopping} on redis-server and on Nuthatch, each logging with appendfsync always,
     * restarts each on its directory and compares what {@code read} answers there.
     */
    private static void assertSameDataAfterShutdownNosave(Stopping stopping, String... read) throws Exception {
        Path redisDir = Files.createTempDirectory("redis-nosave");
        String[] redisArguments = {"--" + THRESHOLD[0], THRESHOLD[1], "--appendonly", "yes", "--appendfsync", "always",
            "--dir", redisDir.toString()};
        try (RedisServerProcess reference = RedisServerProcess.start(redisArguments)) {
            stopping.run(reference.port());
        }
        String redis;
        try (RedisServerProcess reference = RedisServerProcess.start(redisArguments);
                RawConnection client = new RawConnection(reference.port())) {
            redis = Resp.escape(client.call(read));
        }
        Path nuthatchDir = Files.createTempDirectory("nuthatch-nosave");
        String[] directives = {THRESHOLD[0], THRESHOLD[1], "appendonly", "yes", "appendfsync", "always",
            "dir", nuthatchDir.toString()};
        try (NuthatchServer server = ReferencePair.startNuthatch(directives)) {
            stopping.run(server.port());
            assertTrue(server.awaitStop(10, TimeUnit.SECONDS), "the server did not stop");
        }
        String nuthatch;
        try (NuthatchServer server = ReferencePair.startNuthatch(directives);
                RawConnection client = new RawConnection(server.port())) {
            awaitLoaded(client);
            nuthatch = Resp.escape(client.call(read));
        }
        assertEquals(redis, nuthatch);
    }

    private static void awaitLoaded(RawConnection client) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Resp.escape(client.call("PING")).startsWith("-LOADING")) {
            assertTrue(System.nanoTime() < deadline, "still loading");
        }
    }

    @Test
    void aScriptPastItsFirstSliceRepliesAndTheServerGoesOn() throws Exception {
        // Long enough to leave its caller's turn (100 ms), short enough to end by itself.
        String counting = "local t = 0 for i = 1, 5000000 do t = t + i % 7 end redis.call('SET', 'sum', t) return t";
        compare((port, awaitStop) -> {
            List<String> replies = new ArrayList<>();
            try (RawConnection runner = new RawConnection(port); RawConnection other = new RawConnection(port)) {
                runner.socket().setSoTimeout(120_000);
                runner.send(Resp.request("EVAL", counting, "0"));
                runner.send(Resp.request("GET", "sum"));
                replies.add("EVAL: " + Resp.escape(runner.readReply()));
                replies.add("GET after: " + Resp.escape(runner.readReply()));
                replies.add("other GET: " + Resp.escape(other.call("GET", "sum")));
                replies.add("PING: " + Resp.escape(other.call("PING")));
            }
            return replies;
        });
    }

    private static List<String> killedScript(int port, String script) throws IOException {
        List<String> replies = new ArrayList<>();
        try (RawConnection runner = new RawConnection(port); RawConnection other = new RawConnection(port)) {
            // The runner's PING waits behind its script, and runs once the script has ended.
            runner.send(Resp.request("EVAL", script, "0"));
            runner.send(Resp.request("PING"));
            replies.add("first busy: " + awaitBusy(other));
            replies.add("GET: " + Resp.escape(other.call("GET", "k")));
            replies.add("SCRIPT KILL: " + Resp.escape(other.call("SCRIPT", "KILL")));
            replies.add("script: " + Resp.escape(runner.readReply()));
            replies.add("runner PING: " + Resp.escape(runner.readReply()));
            replies.add("PING: " + Resp.escape(other.call("PING")));
            replies.add("SCRIPT KILL again: " + Resp.escape(other.call("SCRIPT", "KILL")));
            replies.add("EVAL after: " + Resp.escape(other.call("EVAL", "return 1", "0")));
        }
        return replies;
    }

    /** PINGs until the reply is -BUSY (a PING sent before the threshold waits, then gets it). */
    private static String awaitBusy(RawConnection client) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String reply = Resp.escape(client.call("PING"));
            if (reply.startsWith("-BUSY")) {
                return reply;
            }
            assertTrue(System.nanoTime() < deadline, "never busy; last reply " + reply);
        }
    }

    private static void compare(Case testCase) throws Exception {
        List<String> redis;
        try (RedisServerProcess reference = RedisServerProcess.start("--" + THRESHOLD[0], THRESHOLD[1])) {
            redis = testCase.run(reference.port(), () -> { });
        }
        List<String> nuthatch;
        try (NuthatchServer server = ReferencePair.startNuthatch(THRESHOLD)) {
            nuthatch = testCase.run(server.port(), () -> {
                try {
                    assertTrue(server.awaitStop(10, TimeUnit.SECONDS), "the server did not stop");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertEquals(String.join("\n", redis), String.join("\n", nuthatch));
    }
}
