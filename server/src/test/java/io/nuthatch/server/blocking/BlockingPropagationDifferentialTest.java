package io.nuthatch.server.blocking;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.testing.AppendOnlyLogUnits;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What blocked clients propagate, and when, compared with what redis-server 7.0.15 writes to its
 * append-only file for the same steps (appendonly yes, appendfsync always): a served waiter's pop
 * is a unit of its own after the push that fed it, in the form Redis rewrites it to, and waiters
 * are served in the order their keys became ready and, per key, in the order they blocked.
 *
 * <p>Steps: {@code "@B> BLPOP k 0"} sends on connection B of both servers and waits until both list
 * one more blocked client; {@code "@B<"} reads B's reply on both and compares them; any other step
 * runs on connection A and compares the replies.
 */
class BlockingPropagationDifferentialTest {
    private static RedisServerProcess redis;
    private static Path redisLog;
    private static NuthatchServer nuthatch;
    private static final List<String> nuthatchUnits = new ArrayList<>();
    private static final WritePropagation.UnitListener RECORDER = unit -> {
        synchronized (nuthatchUnits) {
            nuthatchUnits.addAll(AppendOnlyLogUnits.of(unit));
        }
    };
    private final Map<String, RawConnection[]> connections = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
        try (RawConnection connection = new RawConnection(redis.port())) {
            String dir = ((List<?>) RespValue.parse(connection.call("CONFIG", "GET", "dir"))).get(1).toString();
            try (Stream<Path> files = Files.list(Path.of(dir, "appendonlydir"))) {
                redisLog = files.filter(file -> file.getFileName().toString().endsWith(".incr.aof")).findFirst()
                        .orElseThrow(() -> new AssertionError("redis-server wrote no incremental AOF file"));
            }
        }
        nuthatch = ReferencePair.startNuthatch();
        nuthatch.engine().propagation().addListener(RECORDER);
    }

    @AfterAll
    static void stop() {
        nuthatch.engine().propagation().removeListener(RECORDER);
        nuthatch.close();
        redis.close();
    }

    @BeforeEach
    void flush() throws IOException {
        connection("A")[0].call("FLUSHALL");
        connection("A")[1].call("FLUSHALL");
    }

    @AfterEach
    void closeConnections() throws IOException {
        for (RawConnection[] pair : connections.values()) {
            pair[0].close();
            pair[1].close();
        }
        connections.clear();
    }

    @Test
    void aServedBlpopIsAnLpopAfterThePush() throws Exception {
        assertSameUnits("@B> BLPOP k 0", "RPUSH k a", "@B<");
        assertSameUnits("@B> BRPOP k1 k2 0", "RPUSH k2 a b", "@B<");
    }

    @Test
    void waitersOfOneKeyAreServedInTheOrderTheyBlocked() throws Exception {
        assertSameUnits("@B> BLPOP k 0", "@C> BRPOP k 0", "@D> BLMPOP 0 1 k LEFT COUNT 2", "RPUSH k a b c d e",
                "@B<", "@C<", "@D<");
    }

    @Test
    void servedMovesAreLmoveWithLowercaseSidesAndRpoplpush() throws Exception {
        assertSameUnits("@B> BLMOVE k d LEFT RIGHT 0", "RPUSH k a", "@B<");
        assertSameUnits("@B> BLMOVE k d right left 0", "RPUSH k a", "@B<");
        assertSameUnits("@B> BRPOPLPUSH k d 0", "RPUSH k a", "@B<");
    }

    @Test
    void aServedBlmpopIsAPopOfTheNumberPopped() throws Exception {
        assertSameUnits("@B> BLMPOP 0 2 x k RIGHT COUNT 5", "RPUSH k a b c", "@B<");
        assertSameUnits("@B> BLMPOP 0 1 k LEFT", "RPUSH k a b", "@B<", "DEL k");
    }

    @Test
    void aMoveThatCreatesTheDestinationFeedsItsWaiterNext() throws Exception {
        assertSameUnits("@B> BLMOVE s d LEFT RIGHT 0", "@C> BLPOP d 0", "RPUSH s a", "@B<", "@C<");
    }

    @Test
    void keysAreServedInTheOrderTheyBecameReady() throws Exception {
        assertSameUnits("@B> BLPOP a 0", "@C> BLPOP b 0", "MSET x 1 y 2", "RPUSH b 1", "@C<", "RPUSH a 1", "@B<");
        assertSameUnits("@B> BLPOP a 0", "@C> BLPOP b 0", "@D> BLMOVE c a LEFT LEFT 0", "RPUSH c 1", "@D<", "@B<",
                "RPUSH b 2", "@C<");
    }

    @Test
    void aWaiterInAnotherDatabaseIsServedThere() throws Exception {
        assertSameUnits("@B> SELECT 3", "@B<", "@B> BLPOP k 0", "SELECT 3", "RPUSH k a", "@B<", "SELECT 0");
    }

    @Test
    void aServedBlmoveOntoAnotherTypePropagatesNothing() throws Exception {
        assertSameUnits("@B> BLMOVE s d LEFT RIGHT 0", "SET d v", "RPUSH s a", "@B<", "DEL s d");
    }

    @Test
    void renameAndMoveWakeWaitersWithThePopAfterThem() throws Exception {
        assertSameUnits("@B> BLPOP k 0", "RPUSH src a b", "RENAME src k", "@B<", "DEL k");
        assertSameUnits("@B> BLPOP k 0", "SELECT 4", "RPUSH k a", "MOVE k 0", "SELECT 0", "@B<");
    }

    @Test
    void blockingCommandsThatRunAtOncePropagateTheirNonBlockingForms() throws Exception {
        assertSameUnits("RPUSH k a b c d e f g h", "BLPOP k 0", "BRPOP x k 0", "BLMOVE k d LEFT right 0",
                "BRPOPLPUSH k d 0", "BLMPOP 0 1 k RIGHT COUNT 2", "LMPOP 2 x k LEFT", "LMPOP 1 k LEFT COUNT 9",
                "LPOP d 5", "DEL d");
    }

    @Test
    void listCommandsThatChangeNothingPropagateNothing() throws Exception {
        assertSameUnits("RPUSH k a b c", "LTRIM k 0 -1", "LINSERT k BEFORE nosuch x", "LREM k 0 nosuch", "LPOP k 0",
                "LPUSHX nokey a", "LMOVE nokey d LEFT LEFT", "LSET k 0 z", "LTRIM k 5 10");
    }

    // ---------------------------------------------------------------- steps

    private void assertSameUnits(String... steps) throws Exception {
        int redisBefore = AppendOnlyLogUnits.read(redisLog).size();
        int nuthatchBefore;
        synchronized (nuthatchUnits) {
            nuthatchBefore = nuthatchUnits.size();
        }
        for (String step : steps) {
            run(step);
        }
        List<String> redisUnits = AppendOnlyLogUnits.read(redisLog);
        List<String> expected = redisUnits.subList(redisBefore, redisUnits.size());
        List<String> actual;
        synchronized (nuthatchUnits) {
            actual = new ArrayList<>(nuthatchUnits.subList(nuthatchBefore, nuthatchUnits.size()));
        }
        assertFalse(expected.isEmpty(), "redis-server propagated nothing: the case shows nothing");
        assertEquals(expected, actual, String.join("; ", steps));
    }

    private void run(String step) throws Exception {
        if (step.startsWith("@")) {
            String name = step.substring(1, 2);
            RawConnection[] pair = connection(name);
            if (step.charAt(2) == '>') {
                String[] command = step.substring(3).trim().split(" ");
                boolean blocks = command[0].toUpperCase().startsWith("B");
                long redisBlocked = blockedClients(redis.port());
                long nuthatchBlocked = blockedClients(nuthatch.port());
                pair[0].send(Resp.request(command));
                pair[1].send(Resp.request(command));
                if (blocks) {
                    awaitBlocked(redis.port(), redisBlocked + 1);
                    awaitBlocked(nuthatch.port(), nuthatchBlocked + 1);
                }
            } else {
                assertEquals(text(pair[0].readReply()), text(pair[1].readReply()), step);
            }
            return;
        }
        RawConnection[] pair = connection("A");
        String[] command = step.split(" ");
        assertEquals(text(pair[0].call(command)), text(pair[1].call(command)), step);
    }

    private RawConnection[] connection(String name) throws IOException {
        RawConnection[] pair = connections.get(name);
        if (pair == null) {
            pair = new RawConnection[] {new RawConnection(redis.port()), new RawConnection(nuthatch.port())};
            connections.put(name, pair);
        }
        return pair;
    }

    private static long blockedClients(int port) throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            String info = text(connection.call("INFO", "clients"));
            int at = info.indexOf("blocked_clients:");
            int end = info.indexOf('\r', at);
            return Long.parseLong(info.substring(at + "blocked_clients:".length(), end));
        }
    }

    private static void awaitBlocked(int port, long count) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (blockedClients(port) < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no client blocked on port " + port);
            }
            Thread.sleep(5);
        }
    }

    private static String text(byte[] reply) {
        return reply == null ? "<closed>" : new String(reply, StandardCharsets.ISO_8859_1);
    }
}
