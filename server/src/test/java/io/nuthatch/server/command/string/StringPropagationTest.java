package io.nuthatch.server.command.string;

import io.nuthatch.server.NuthatchServer;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How string commands are propagated (what the append-only log will write). The expected forms
 * are those redis-server 7.0.15 wrote to its AOF for the same commands (appendonly yes,
 * appendfsync always): relative and second-based expiries become absolute milliseconds, INCRBYFLOAT
 * becomes SET ... KEEPTTL, GETSET becomes SET, GETDEL becomes DEL, GETEX becomes PEXPIREAT,
 * PERSIST or DEL, and commands that changed nothing are not propagated at all.
 */
class StringPropagationTest {
    private static NuthatchServer server;
    private static final List<String> records = new ArrayList<>();
    private static final WritePropagation.Listener LISTENER = (database, arguments) -> {
        StringBuilder line = new StringBuilder();
        for (byte[] argument : arguments) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(new String(argument, StandardCharsets.ISO_8859_1));
        }
        synchronized (records) {
            records.add(line.toString());
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
        synchronized (records) {
            records.clear();
        }
    }

    /** Runs the commands ('' is an empty argument) and returns what was propagated meanwhile. */
    private static List<String> propagated(String... commands) throws IOException {
        try (RawConnection connection = new RawConnection(server.port())) {
            for (String command : commands) {
                String[] arguments = command.split(" ");
                for (int i = 0; i < arguments.length; i++) {
                    arguments[i] = arguments[i].equals("''") ? "" : arguments[i];
                }
                connection.call(arguments);
            }
        }
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    /** The absolute time at the end of a record, checked to be {@code ttl} after a moment in [before, after]. */
    private static void assertAbsolute(String record, String prefix, long before, long after, long ttl) {
        assertTrue(record.startsWith(prefix), record);
        long at = Long.parseLong(record.substring(prefix.length()));
        assertTrue(at >= before + ttl && at <= after + ttl, record + " not within [" + (before + ttl) + ", "
                + (after + ttl) + "]");
    }

    @Test
    void relativeExpiriesBecomeAbsolute() throws IOException {
        long before = System.currentTimeMillis();
        List<String> records = propagated("SET k v EX 100", "SETEX k 100 v", "PSETEX k 5000 v",
                "SET k v PX 100 GET");
        long after = System.currentTimeMillis();
        assertEquals(4, records.size(), records.toString());
        assertAbsolute(records.get(0), "SET k v PXAT ", before, after, 100_000);
        assertAbsolute(records.get(1), "SET k v PXAT ", before, after, 100_000);
        assertAbsolute(records.get(2), "SET k v PXAT ", before, after, 5_000);
        assertAbsolute(records.get(3), "SET k v PXAT ", before, after, 100);
    }

    @Test
    void absoluteSecondsBecomeMilliseconds() throws IOException {
        assertEquals(List.of("SET k v PXAT 99999999999000"), propagated("SET k v EXAT 99999999999"));
    }

    @Test
    void setWithoutExpiryDropsOnlyGet() throws IOException {
        assertEquals(List.of("SET k v", "SET k w KEEPTTL", "SET k x XX"),
                propagated("SET k v GET", "SET k w KEEPTTL", "SET k x XX GET get"));
    }

    @Test
    void incrbyfloatBecomesSetWithKeepttl() throws IOException {
        assertEquals(List.of("SET k 1.5 KEEPTTL", "SET k 1.6 KEEPTTL"),
                propagated("INCRBYFLOAT k 1.5", "INCRBYFLOAT k 0.1", "INCRBYFLOAT k abc"));
    }

    @Test
    void getsetBecomesSetAndGetdelBecomesDel() throws IOException {
        assertEquals(List.of("SET k v", "DEL k"), propagated("GETSET k v", "GETDEL k", "GETDEL k"));
    }

    @Test
    void getexBecomesPexpireatPersistOrDel() throws IOException {
        long before = System.currentTimeMillis();
        List<String> records = propagated("SET k v", "GETEX k EX 100", "GETEX k PXAT 99999999999999",
                "GETEX k PERSIST", "GETEX k PERSIST", "GETEX k", "GETEX k PXAT 1", "GETEX k EX 100");
        long after = System.currentTimeMillis();
        assertEquals(5, records.size(), records.toString());
        assertEquals("SET k v", records.get(0));
        assertAbsolute(records.get(1), "PEXPIREAT k ", before, after, 100_000);
        assertEquals(List.of("PEXPIREAT k 99999999999999", "PERSIST k", "DEL k"), records.subList(2, 5));
    }

    @Test
    void getexOfAPastTimeFollowsLazyfreeLazyExpire() throws IOException {
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.call("SET", "k", "v");
        }
        server.engine().lock().lock();
        try {
            server.engine().config().lazyfreeLazyExpire.set("yes");
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            server.engine().lock().unlock();
        }
        try {
            assertEquals(List.of("SET k v", "UNLINK k"), propagated("GETEX k EXAT 1"));
        } finally {
            server.engine().lock().lock();
            try {
                server.engine().config().lazyfreeLazyExpire.set("no");
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                server.engine().lock().unlock();
            }
        }
    }

    @Test
    void otherWritesPropagateAsSent() throws IOException {
        assertEquals(List.of("INCR n", "INCRBY n 5", "DECR n", "DECRBY n 2", "APPEND a x", "SETRANGE a 0 y",
                        "MSET a 1 b 2", "SETNX c 1", "MSETNX d 1 e 2"),
                propagated("INCR n", "INCRBY n 5", "DECR n", "DECRBY n 2", "APPEND a x", "SETRANGE a 0 y",
                        "MSET a 1 b 2", "SETNX c 1", "MSETNX d 1 e 2"));
    }

    @Test
    void commandsThatChangeNothingAreNotPropagated() throws IOException {
        assertEquals(List.of("SET k v"), propagated("SET k v", "SET k w NX", "SET other w XX", "SETNX k x",
                "MSETNX k 1 z 2", "SETRANGE k 0 ''", "SETRANGE missing 0 ''", "GETDEL missing", "GETEX k",
                "GETEX k PERSIST", "INCR k", "INCRBY k 9223372036854775807", "SETRANGE k -1 x", "GET k",
                "MGET k k", "STRLEN k", "GETRANGE k 0 -1", "LCS k k"));
    }
}
