package io.nuthatch.server.gate;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client gets while the server is busy with a long script or loading its dataset, compared
 * byte for byte with redis-server 7.0.15 put in the same state: a Lua script that loops (EVAL, and
 * FCALL of a function), and DEBUG RELOAD of a dataset loading slowly (key-load-delay). Nuthatch is
 * put in the state through its execution gate, as scripting and persistence will.
 */
class GateDifferentialTest {
    private static final String SPIN_SCRIPT = "while true do end";
    private static final String SPIN_LIBRARY =
            "#!lua name=spinlib\nredis.register_function('spin', function() while true do end end)";

    /** Commands a busy server answers; QUIT last, since it closes the connection. */
    private static final List<String[]> WHILE_BUSY = List.of(
            new String[] {"GET", "k"}, new String[] {"SET", "k", "v"}, new String[] {"PING"},
            new String[] {"SELECT", "1"}, new String[] {"CLIENT", "ID"}, new String[] {"INFO"},
            new String[] {"DEBUG", "SLEEP", "0"}, new String[] {"WAIT", "0", "0"}, new String[] {"SHUTDOWN"},
            new String[] {"SHUTDOWN", "SAVE"}, new String[] {"CONFIG", "GET", "maxmemory"},
            new String[] {"NOSUCHCOMMAND", "x"}, new String[] {"GET"}, new String[] {"ECHO", "hi"},
            new String[] {"QUIT"});

    /** Commands a loading server answers; QUIT last. */
    private static final List<String[]> WHILE_LOADING = List.of(
            new String[] {"GET", "k"}, new String[] {"SET", "k", "v"}, new String[] {"PING"},
            new String[] {"ECHO", "hi"}, new String[] {"SELECT", "1"}, new String[] {"DBSIZE"},
            new String[] {"EXISTS", "k"}, new String[] {"CONFIG", "GET", "maxmemory-policy"},
            new String[] {"DEBUG", "SLEEP", "0"}, new String[] {"SHUTDOWN", "ABORT"},
            new String[] {"CLIENT", "GETNAME"}, new String[] {"NOSUCHCOMMAND"}, new String[] {"GET"},
            new String[] {"WAIT", "0", "0"}, new String[] {"QUIT"});

    @Test
    void whileAScriptIsBusy() throws Exception {
        List<String> redis;
        try (RedisServerProcess reference = RedisServerProcess.start("--busy-reply-threshold", "100");
             RawConnection runner = new RawConnection(reference.port())) {
            runner.send(Resp.request("EVAL", SPIN_SCRIPT, "0"));
            redis = answersWhileBusy(reference.port());
            try (RawConnection killer = new RawConnection(reference.port())) {
                assertEquals("+OK\\r\\n", Resp.escape(killer.call("SCRIPT", "KILL")));
            }
            assertTrue(Resp.escape(runner.readReply()).startsWith("-ERR Script killed"));
            redis.add(busyErrorCount(reference.port()));
        }
        List<String> nuthatch;
        try (NuthatchServer server = ReferencePair.startNuthatch("busy-reply-threshold", "100")) {
            HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.SCRIPT);
            nuthatch = answersWhileBusy(server.port());
            work.release();
            nuthatch.add(busyErrorCount(server.port()));
        }
        assertEquals(redis, nuthatch);
    }

    @Test
    void whileAFunctionIsBusy() throws Exception {
        List<String> redis;
        try (RedisServerProcess reference = RedisServerProcess.start("--busy-reply-threshold", "100");
             RawConnection runner = new RawConnection(reference.port())) {
            assertEquals("$7\\r\\nspinlib\\r\\n", Resp.escape(runner.call("FUNCTION", "LOAD", SPIN_LIBRARY)));
            runner.send(Resp.request("FCALL", "spin", "0"));
            redis = answersWhileBusy(reference.port());
            try (RawConnection killer = new RawConnection(reference.port())) {
                assertEquals("+OK\\r\\n", Resp.escape(killer.call("FUNCTION", "KILL")));
            }
            runner.readReply();
            redis.add(busyErrorCount(reference.port()));
        }
        List<String> nuthatch;
        try (NuthatchServer server = ReferencePair.startNuthatch("busy-reply-threshold", "100")) {
            HeldEngine work = HeldEngine.holdLong(server.gate(), ExecutionGate.LongKind.FUNCTION);
            nuthatch = answersWhileBusy(server.port());
            work.release();
            nuthatch.add(busyErrorCount(server.port()));
        }
        assertEquals(redis, nuthatch);
    }

    /**
     * Waits (with one PING, answered once the threshold passes) until the server answers -BUSY,
     * then sends each command, and returns the replies and the BUSY error count once the work ends.
     */
    private static List<String> answersWhileBusy(int port) throws IOException {
        List<String> replies = new ArrayList<>();
        try (RawConnection client = new RawConnection(port)) {
            String first = Resp.escape(client.call("PING"));
            assertTrue(first.startsWith("-BUSY"), first);
            replies.add("PING -> " + first);
            for (String[] command : WHILE_BUSY) {
                replies.add(String.join(" ", command) + " -> " + Resp.escape(client.call(command)));
            }
        }
        return replies;
    }

    /** The errorstat_BUSY line of INFO errorstats. */
    private static String busyErrorCount(int port) throws IOException {
        try (RawConnection client = new RawConnection(port)) {
            String errorstats = (String) RespValue.parse(client.call("INFO", "errorstats"));
            return errorstats.lines().filter(line -> line.startsWith("errorstat_BUSY:")).findFirst().orElse("none");
        }
    }

    @Test
    void whileTheDatasetLoads() throws Exception {
        List<String> redis;
        try (RedisServerProcess reference = RedisServerProcess.start();
             RawConnection loader = new RawConnection(reference.port())) {
            loader.call("DEBUG", "POPULATE", "50000");
            loader.call("CONFIG", "SET", "key-load-delay", "100");
            loader.call("CONFIG", "SET", "loading-process-events-interval-bytes", "1024");
            loader.send(Resp.request("DEBUG", "RELOAD"));
            redis = answersWhileLoading(reference.port());
        }
        List<String> nuthatch;
        try (NuthatchServer server = ReferencePair.startNuthatch()) {
            HeldEngine loading = HeldEngine.holdLoading(server.gate());
            nuthatch = answersWhileLoading(server.port());
            loading.release();
        }
        assertEquals(redis, nuthatch);
    }

    /**
     * Waits until GET is answered -LOADING, resets the statistics, sends each command, and adds the
     * error statistics (INFO errorstats is allowed while loading).
     */
    private static List<String> answersWhileLoading(int port) throws Exception {
        List<String> replies = new ArrayList<>();
        try (RawConnection client = new RawConnection(port); RawConnection stats = new RawConnection(port)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Resp.escape(client.call("GET", "k")).startsWith("-LOADING")) {
                assertTrue(System.nanoTime() < deadline, "the server never started loading");
                Thread.sleep(5);
            }
            assertEquals("+OK\\r\\n", Resp.escape(stats.call("CONFIG", "RESETSTAT")));
            for (String[] command : WHILE_LOADING) {
                replies.add(String.join(" ", command) + " -> " + Resp.escape(client.call(command)));
            }
            String errorstats = (String) RespValue.parse(stats.call("INFO", "errorstats"));
            replies.add(errorstats.trim());
        }
        return replies;
    }
}
