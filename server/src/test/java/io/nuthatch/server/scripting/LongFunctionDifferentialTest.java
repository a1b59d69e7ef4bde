package io.nuthatch.server.scripting;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Functions that run long, on a server of each kind started for the case with
 * busy-reply-threshold 100: other clients get FUNCTION's -BUSY, FUNCTION STATS names the function
 * and its command, FUNCTION KILL stops it while SCRIPT KILL may not, and the other way round for
 * EVAL's scripts. Replies are compared byte for byte with redis-server 7.0.15's (the running time
 * masked).
 */
class LongFunctionDifferentialTest {
    private static final String SPIN_LIBRARY = "#!lua name=spinlib\n"
            + "redis.register_function('spin', function(keys, args)\n  local i = 0\n  while true do i = i + 1 end\nend)";
    private static final String LOOP = "local i = 0 while true do i = i + 1 end";
    private static final String[] THRESHOLD = {"busy-reply-threshold", "100"};

    private interface Case {
        List<String> run(int port) throws Exception;
    }

    @Test
    void aLoopingFunctionIsBusyForOthersAndFunctionKillStopsIt() throws Exception {
        compare(port -> {
            List<String> replies = new ArrayList<>();
            try (RawConnection runner = new RawConnection(port); RawConnection other = new RawConnection(port)) {
                replies.add("LOAD: " + Resp.escape(runner.call("FUNCTION", "LOAD", SPIN_LIBRARY)));
                runner.send(Resp.request("FCALL", "spin", "1", "key", "argument"));
                runner.send(Resp.request("PING"));
                replies.add("first busy: " + awaitBusy(other));
                replies.add("GET: " + Resp.escape(other.call("GET", "k")));
                replies.add("SCRIPT KILL: " + Resp.escape(other.call("SCRIPT", "KILL")));
                replies.add("FUNCTION STATS: " + Resp.escape(other.call("FUNCTION", "STATS"))
                        .replaceAll("duration_ms\\\\r\\\\n:\\d+", "duration_ms\\\\r\\\\n:N"));
                replies.add("FUNCTION KILL: " + Resp.escape(other.call("FUNCTION", "KILL")));
                replies.add("function: " + Resp.escape(runner.readReply()));
                replies.add("runner PING: " + Resp.escape(runner.readReply()));
                replies.add("FUNCTION KILL again: " + Resp.escape(other.call("FUNCTION", "KILL")));
                replies.add("FUNCTION STATS after: " + Resp.escape(other.call("FUNCTION", "STATS")));
            }
            return replies;
        });
    }

    @Test
    void functionKillAndStatsRefuseWhileAScriptRuns() throws Exception {
        compare(port -> {
            List<String> replies = new ArrayList<>();
            try (RawConnection runner = new RawConnection(port); RawConnection other = new RawConnection(port)) {
                runner.send(Resp.request("EVAL", LOOP, "0"));
                replies.add("first busy: " + awaitBusy(other));
                replies.add("FUNCTION KILL: " + Resp.escape(other.call("FUNCTION", "KILL")));
                replies.add("FUNCTION STATS: " + Resp.escape(other.call("FUNCTION", "STATS")));
                replies.add("SCRIPT KILL: " + Resp.escape(other.call("SCRIPT", "KILL")));
                replies.add("script: " + Resp.escape(runner.readReply()));
            }
            return replies;
        });
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
            redis = testCase.run(reference.port());
        }
        List<String> nuthatch;
        try (NuthatchServer server = ReferencePair.startNuthatch(THRESHOLD)) {
            nuthatch = testCase.run(server.port());
        }
        assertEquals(String.join("\n", redis), String.join("\n", nuthatch));
    }
}
