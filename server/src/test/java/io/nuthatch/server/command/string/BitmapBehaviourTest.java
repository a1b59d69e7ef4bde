package io.nuthatch.server.command.string;

import io.nuthatch.server.Engine;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the bit commands do besides their replies: propagation, dirty counter, encoding, statistics. */
class BitmapBehaviourTest {
    private NuthatchServer server;
    private RawConnection connection;
    private final List<String> propagated = new ArrayList<>();
    private final WritePropagation.Listener listener = (database, arguments) -> {
        synchronized (propagated) {
            propagated.add(String.join(" ", Arrays.stream(arguments)
                    .map(a -> new String(a, StandardCharsets.ISO_8859_1)).toList()));
        }
    };

    @BeforeEach
    void start() throws IOException {
        server = ReferencePair.startNuthatch();
        server.engine().propagation().addListener(listener);
        connection = new RawConnection(server.port());
    }

    @AfterEach
    void stop() throws IOException {
        connection.close();
        server.close();
    }

    private String call(String... arguments) throws IOException {
        return Resp.escape(connection.call(arguments));
    }

    /** Runs a command and returns what it propagated. */
    private List<String> propagatedBy(String... arguments) throws IOException {
        synchronized (propagated) {
            propagated.clear();
        }
        call(arguments);
        synchronized (propagated) {
            return List.copyOf(propagated);
        }
    }

    private <T> T underLock(Supplier<T> read) {
        Engine engine = server.engine();
        engine.lock().lock();
        try {
            return read.get();
        } finally {
            engine.lock().unlock();
        }
    }

    private KeyEntry stored(String key) {
        return underLock(() -> {
            var entry = server.engine().keyspace().database(0).peek(key.getBytes(StandardCharsets.ISO_8859_1));
            return entry;
        });
    }

    @Test
    void setbitThatChangesNothingIsNotPropagated() throws IOException {
        call("SET", "k", "\u0001");
        assertEquals(List.of(), propagatedBy("SETBIT", "k", "7", "1"));
        assertEquals(List.of(), propagatedBy("SETBIT", "k", "0", "0"));
    }

    @Test
    void setbitThatFlipsGrowsOrCreatesPropagatesVerbatim() throws IOException {
        assertEquals(List.of("SETBIT new 3 0"), propagatedBy("SETBIT", "new", "3", "0"));
        assertEquals(List.of("SETBIT new 100 0"), propagatedBy("SETBIT", "new", "100", "0"));
        assertEquals(List.of("setbit new 5 1"), propagatedBy("setbit", "new", "5", "1"));
    }

    @Test
    void bitfieldReadsPropagateNothingAndCreateNoKey() throws IOException {
        assertEquals(List.of(), propagatedBy("BITFIELD", "k", "GET", "u8", "0", "GET", "i64", "100"));
        assertNull(stored("k"));
    }

    @Test
    void bitfieldWritingSameValuesIsNotPropagated() throws IOException {
        call("SET", "k", "a");
        assertEquals(List.of(), propagatedBy("BITFIELD", "k", "SET", "u8", "0", "97", "INCRBY", "i4", "0", "0"));
        assertEquals(List.of(), propagatedBy("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000"));
        assertEquals(List.of("BITFIELD k SET u8 0 98"), propagatedBy("BITFIELD", "k", "SET", "u8", "0", "98"));
    }

    @Test
    void bitfieldCountsOneChangePerChangedField() throws IOException {
        // redis-server 7.0.15 moves rdb_changes_since_last_save by 2 here: the string grows, so both count.
        call("SET", "k", "a");
        long before = underLock(() -> server.engine().dirty());
        call("BITFIELD", "k", "SET", "u8", "0", "0", "SET", "u8", "8", "0");
        assertEquals(2, underLock(() -> server.engine().dirty()) - before);
    }

    @Test
    void bitfieldFailingOnMissingKeyStillCreatesAndPropagatesIt() throws IOException {
        // Redis creates the key without propagating it; we propagate so that replay has the key too.
        assertEquals(List.of("BITFIELD k OVERFLOW FAIL INCRBY u2 0 100"),
                propagatedBy("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "100"));
        assertEquals("$1\\r\\n\\x00\\r\\n", call("GET", "k"));
    }

    @Test
    void bitopPropagatesVerbatimOnlyWhenItChangesSomething() throws IOException {
        call("SET", "a", "x");
        assertEquals(List.of("BITOP OR d a missing"), propagatedBy("BITOP", "OR", "d", "a", "missing"));
        assertEquals(List.of(), propagatedBy("BITOP", "AND", "none", "missing"));
        assertEquals(List.of("BITOP XOR d missing"), propagatedBy("BITOP", "XOR", "d", "missing"));
        assertNull(stored("d"));
    }

    @Test
    void writtenStringsAreRawEncoded() throws IOException {
        // OBJECT ENCODING in redis-server 7.0.15 says "raw" for each of these.
        call("SET", "n", "123");
        call("SETBIT", "n", "0", "0");
        call("SETBIT", "fresh", "0", "0");
        call("SET", "m", "7");
        call("BITFIELD", "m", "GET", "u8", "0");
        call("BITOP", "OR", "d", "m");
        call("SET", "f", "12");
        call("BITFIELD", "f", "SET", "u1", "0", "0");
        assertEquals("raw", stored("n").encoding());
        assertEquals("raw", stored("fresh").encoding());
        assertEquals("int", stored("m").encoding());
        assertEquals("raw", stored("d").encoding());
        assertEquals("raw", stored("f").encoding());
    }

    @Test
    void readsCountKeyspaceHitsAndMissesOnceWritesNot() throws IOException {
        call("SET", "a", "x");
        long hits = underLock(() -> server.engine().stats().keyspaceHits);
        long misses = underLock(() -> server.engine().stats().keyspaceMisses);
        call("GETBIT", "missing", "0");
        call("BITOP", "OR", "d", "a", "missing");
        call("SETBIT", "a", "1", "1");
        call("BITFIELD", "a", "SET", "u8", "0", "1");
        call("BITFIELD", "a", "GET", "u8", "0");
        assertEquals(hits + 2, underLock(() -> server.engine().stats().keyspaceHits));
        assertEquals(misses + 2, underLock(() -> server.engine().stats().keyspaceMisses));
    }

    @Test
    void bitOffsetsFollowProtoMaxBulkLen() throws IOException {
        String[][] commands = {
                {"SETBIT", "k", "8388608", "1"},
                {"SETBIT", "k", "8388607", "1"},
                {"GETBIT", "k", "8388608"},
                {"BITFIELD", "k", "SET", "u8", "8388601", "1"},
                {"BITFIELD", "k", "SET", "i64", "8388607", "1"},
                {"BITFIELD", "k", "GET", "u8", "#1048576"},
                {"BITFIELD", "k", "GET", "u8", "#1048575"},
                {"BITCOUNT", "k"},
                {"BITPOS", "k", "1", "1048000"},
        };
        try (RedisServerProcess redis = RedisServerProcess.start("--proto-max-bulk-len", "1mb");
             NuthatchServer small = ReferencePair.startNuthatch("proto-max-bulk-len", "1mb");
             RawConnection expected = new RawConnection(redis.port());
             RawConnection actual = new RawConnection(small.port())) {
            for (String[] command : commands) {
                assertEquals(Resp.escape(expected.call(command)), Resp.escape(actual.call(command)),
                        String.join(" ", command));
            }
            assertNotNull(actual.call("PING"));
        }
    }
}
