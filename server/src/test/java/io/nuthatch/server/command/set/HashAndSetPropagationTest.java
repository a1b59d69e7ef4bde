package io.nuthatch.server.command.set;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.propagation.PropagatedUnit;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How hash and set commands are propagated (what the append-only log will write). The expected
 * forms are those redis-server 7.0.15 wrote to its AOF for the same commands: HINCRBYFLOAT becomes
 * HSET with the text stored; SPOP becomes one SREM per member popped, several of them wrapped in
 * MULTI/EXEC, or DEL when it pops the whole set (even under lazyfree-lazy-server-del); a STORE of
 * an empty result is propagated only when it deleted a destination; commands that changed nothing
 * are not propagated at all.
 */
class HashAndSetPropagationTest {
    private static NuthatchServer server;
    private static final List<String> units = new ArrayList<>();
    private static final WritePropagation.UnitListener LISTENER = unit -> {
        synchronized (units) {
            units.add(describe(unit));
        }
    };

    @BeforeAll
    static void start() {
        server = ReferencePair.startNuthatch();
        server.engine().propagation().addListener(LISTENER);
    }

    @AfterAll
    static void stop() {
        server.engine().propagation().removeListener(LISTENER);
        server.close();
    }

    @BeforeEach
    void flush() throws IOException {
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.call("FLUSHALL");
        }
        synchronized (units) {
            units.clear();
        }
    }

    /** A unit as its records, "; " between them. */
    private static String describe(PropagatedUnit unit) {
        StringBuilder text = new StringBuilder(unit.isWrapped() ? "MULTI: " : "");
        for (int r = 0; r < unit.recordCount(); r++) {
            if (r > 0) {
                text.append("; ");
            }
            for (int a = 0; a < unit.argumentCount(r); a++) {
                if (a > 0) {
                    text.append(' ');
                }
                text.append(new String(unit.copyArgument(r, a), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }

    /** Runs the commands and returns the units propagated meanwhile. */
    private static List<String> propagated(String... commands) throws IOException {
        try (RawConnection connection = new RawConnection(server.port())) {
            for (String command : commands) {
                connection.call(command.split(" "));
            }
        }
        synchronized (units) {
            return new ArrayList<>(units);
        }
    }

    @Test
    void hincrbyfloatBecomesHsetOfTheStoredText() throws IOException {
        assertEquals(List.of("HSET h f 1.5", "HSET h f 1.6"),
                propagated("HINCRBYFLOAT h f 1.5", "HINCRBYFLOAT h f 0.1", "HINCRBYFLOAT h f abc"));
    }

    @Test
    void spopOfOneMemberBecomesSrem() throws IOException {
        List<String> records = propagated("SADD s only", "SPOP s", "SPOP s");
        assertEquals(List.of("SADD s only", "SREM s only"), records);
    }

    @Test
    void spopWithACountBecomesOneSremPerMemberInOneUnit() throws IOException {
        List<String> records = propagated("SADD s 1 2 3 4 5 6 7 8 9 10", "SPOP s 3", "SPOP s 1");
        assertEquals(3, records.size(), records.toString());
        assertTrue(records.get(1).startsWith("MULTI: "), records.get(1));
        String[] three = records.get(1).substring("MULTI: ".length()).split("; ");
        assertEquals(3, three.length, records.get(1));
        Set<String> popped = new HashSet<>();
        for (String record : three) {
            assertTrue(record.matches("SREM s (10|[1-9])"), record);
            popped.add(record);
        }
        assertEquals(3, popped.size(), "a member popped twice: " + records.get(1));
        assertTrue(records.get(2).matches("SREM s (10|[1-9])") && !popped.contains(records.get(2)), records.get(2));
    }

    @Test
    void spopOfTheWholeSetBecomesDel() throws IOException {
        assertEquals(List.of("SADD s a b", "DEL s"), propagated("SADD s a b", "SPOP s 2", "SPOP s 2", "SPOP s 0"));
    }

    @Test
    void spopOfTheWholeSetBecomesDelEvenUnderLazyfree() throws IOException {
        try {
            assertEquals(List.of("SADD t 1", "DEL t"),
                    propagated("CONFIG SET lazyfree-lazy-server-del yes", "SADD t 1", "SPOP t 5"));
        } finally {
            propagated("CONFIG SET lazyfree-lazy-server-del no");
        }
    }

    @Test
    void storesOfAnEmptyResultArePropagatedOnlyWhenTheyDeletedTheDestination() throws IOException {
        assertEquals(List.of("SADD s 1", "SET d x", "SINTERSTORE d s nokey", "SUNIONSTORE d s"),
                propagated("SADD s 1", "SINTERSTORE d s nokey", "SET d x", "SINTERSTORE d s nokey",
                        "SDIFFSTORE d s s", "SUNIONSTORE d s"));
    }

    @Test
    void otherWritesPropagateAsSent() throws IOException {
        assertEquals(List.of("HSET h a 1", "HSET h a 1", "HSETNX h b 2", "HINCRBY h n 3", "HDEL h a b n",
                        "HMSET h a 1", "SADD s 1 2", "SMOVE s t 1", "SREM s 2"),
                propagated("HSET h a 1", "HSET h a 1", "HSETNX h b 2", "HINCRBY h n 3", "HDEL h a b n",
                        "HMSET h a 1", "SADD s 1 2", "SMOVE s t 1", "SREM s 2"));
    }

    @Test
    void commandsThatChangeNothingAreNotPropagated() throws IOException {
        assertEquals(List.of("HSET h a 1", "SADD s 1"),
                propagated("HSET h a 1", "SADD s 1", "HSETNX h a 2", "HDEL h nosuch", "HDEL nokey a", "SADD s 1",
                        "SREM s 9", "SREM nokey 1", "SMOVE s t 9", "SMOVE s s 1", "SMOVE nokey t 1", "SPOP nokey",
                        "SPOP nokey 2", "SPOP s 0", "HINCRBY h a x", "HGET h a", "SMEMBERS s", "SRANDMEMBER s 2",
                        "HRANDFIELD h 2", "SINTERSTORE d s nokey", "SDIFFSTORE d s s"));
    }
}
