package io.nuthatch.server.command.sort;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.testing.AppendOnlyLogUnits;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What SORT propagates, compared unit by unit with what redis-server 7.0.15 writes to its own
 * append-only log for the same commands (appendonly yes, appendfsync always). What 7.0.15 showed:
 * SORT ... STORE goes as it was sent, also when its empty result deleted the destination; a STORE
 * of an empty result onto a missing key, a SORT without STORE (even one that turned a sorted set
 * into a skiplist), SORT_RO and a SORT whose scores failed are not propagated at all.
 */
class SortPropagationTest {
    private static RedisServerProcess redis;
    private static Path redisLog;
    private static RawConnection redisConnection;
    private static NuthatchServer nuthatch;
    private static RawConnection nuthatchConnection;
    private static final List<String> nuthatchUnits = new ArrayList<>();
    private static final WritePropagation.UnitListener RECORDER = unit -> {
        synchronized (nuthatchUnits) {
            nuthatchUnits.addAll(AppendOnlyLogUnits.of(unit));
        }
    };

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
        redisConnection = new RawConnection(redis.port());
        String dir = ((List<?>) RespValue.parse(redisConnection.call("CONFIG", "GET", "dir"))).get(1).toString();
        try (Stream<Path> files = Files.list(Path.of(dir, "appendonlydir"))) {
            redisLog = files.filter(file -> file.getFileName().toString().endsWith(".incr.aof")).findFirst()
                    .orElseThrow(() -> new AssertionError("redis-server wrote no incremental AOF file"));
        }
        nuthatch = ReferencePair.startNuthatch();
        nuthatch.engine().propagation().addListener(RECORDER);
        nuthatchConnection = new RawConnection(nuthatch.port());
    }

    @AfterAll
    static void stop() throws IOException {
        redisConnection.close();
        nuthatchConnection.close();
        nuthatch.engine().propagation().removeListener(RECORDER);
        nuthatch.close();
        redis.close();
    }

    @BeforeEach
    void flush() throws IOException {
        redisConnection.call("FLUSHALL");
        nuthatchConnection.call("FLUSHALL");
    }

    /** Runs the commands on both servers, comparing replies, then the units each propagated meanwhile. */
    private static void assertSameUnits(String... commands) throws IOException {
        int redisBefore = AppendOnlyLogUnits.read(redisLog).size();
        int nuthatchBefore;
        synchronized (nuthatchUnits) {
            nuthatchBefore = nuthatchUnits.size();
        }
        for (String command : commands) {
            String[] arguments = command.split(" ");
            assertEquals(text(redisConnection.call(arguments)), text(nuthatchConnection.call(arguments)), command);
        }
        List<String> all = AppendOnlyLogUnits.read(redisLog);
        List<String> expected = all.subList(redisBefore, all.size());
        List<String> actual;
        synchronized (nuthatchUnits) {
            actual = new ArrayList<>(nuthatchUnits.subList(nuthatchBefore, nuthatchUnits.size()));
        }
        assertFalse(expected.isEmpty(), "redis-server propagated nothing: the case shows nothing");
        assertEquals(expected, actual, String.join("; ", commands));
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    @Test
    void storeGoesAsItWasSent() throws IOException {
        assertSameUnits("RPUSH l 3 1 2", "SORT l STORE d", "SORT l DESC LIMIT 0 2 STORE d",
                "SADD s b a c", "SORT s BY nosort STORE e", "SET w_a 2", "SORT s BY w_* GET # GET w_* STORE f",
                "SORT l STORE l");
    }

    @Test
    void anEmptyResultIsPropagatedOnlyWhenItDeletedTheDestination() throws IOException {
        assertSameUnits("RPUSH l 1", "SORT nokey STORE d", "SET d x", "SORT nokey STORE d", "SORT l LIMIT 1 1 STORE d",
                "RPUSH d 1", "SORT l LIMIT 5 5 STORE d", "SET marker 1");
    }

    @Test
    void readsAndFailuresAreNotPropagated() throws IOException {
        assertSameUnits("ZADD z 1 a 2 b", "RPUSH l 1 x", "SORT z ALPHA", "SORT_RO z BY nosort", "SORT l",
                "SORT l STORE d", "SORT l LIMIT a b STORE d", "SORT_RO l STORE d", "SET marker 1");
    }
}
