package io.nuthatch.server.command.server;

import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MEMORY USAGE of every type, as far as redis-server's figures are ours to match. They are not
 * byte-comparable (each server measures its own layout; memory.redis compares the replies' types,
 * nulls and errors), so what is held here is what both servers must agree on: a value of every
 * type and encoding has a size, a larger value of a type reports more than a smaller one, SAMPLES 0
 * and a SAMPLES count that reaches every element give the same figure, and SORT's conversion of a
 * sorted set to a skiplist makes it larger. On Nuthatch, the figure of a key is exactly what the key
 * adds to the dataset's memory, whatever the type, and stays so after SORT converts it.
 */
class MemoryUsageAcrossTypesTest {
    private RawConnection redis;
    private RawConnection nuthatch;

    @BeforeEach
    void open() throws IOException {
        ReferencePair servers = ReferencePair.shared();
        redis = new RawConnection(servers.redisPort());
        nuthatch = new RawConnection(servers.nuthatchPort());
        redis.call("FLUSHALL");
        nuthatch.call("FLUSHALL");
    }

    @AfterEach
    void close() throws IOException {
        redis.close();
        nuthatch.close();
    }

    /**
     * Makes {@code key} a value of {@code n} elements of a type: one command, or for a stream
     * {@code n} entries of one field (a stream's first node is allocated whole, so fields of one
     * entry would not show the value growing).
     */
    private static void make(RawConnection connection, String type, String key, int n) throws IOException {
        if (!type.equals("stream")) {
            connection.call(fill(type, key, n));
            return;
        }
        for (int i = 0; i < n; i++) {
            connection.call("XADD", key, "*", "field", "value" + i);
        }
    }

    private static String[] fill(String type, String key, int n) {
        List<String> command = new ArrayList<>();
        switch (type) {
            case "list" -> command.addAll(List.of("RPUSH", key));
            case "hash" -> command.addAll(List.of("HSET", key));
            case "intset", "set" -> command.addAll(List.of("SADD", key));
            case "zset" -> command.addAll(List.of("ZADD", key));
            default -> throw new IllegalArgumentException(type);
        }
        for (int i = 0; i < n; i++) {
            switch (type) {
                case "hash" -> command.addAll(List.of("field" + i, "value" + i));
                case "zset" -> command.addAll(List.of(Integer.toString(i), "member" + i));
                case "intset" -> command.add(Integer.toString(i));
                default -> command.add("member" + i);
            }
        }
        return command.toArray(String[]::new);
    }

    private static final List<String> TYPES = List.of("list", "hash", "intset", "set", "zset", "stream");

    private static long usage(RawConnection connection, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("MEMORY", "USAGE"));
        command.addAll(List.of(arguments));
        Object reply = RespValue.parse(connection.call(command.toArray(String[]::new)));
        assertTrue(reply instanceof Long, "MEMORY USAGE " + String.join(" ", arguments) + ": " + reply);
        return (Long) reply;
    }

    private static Database database() {
        return ReferencePair.shared().nuthatch().engine().keyspace().database(0);
    }

    @Test
    void aLargerValueOfEveryTypeReportsMoreOnBothServers() throws IOException {
        for (String type : TYPES) {
            for (RawConnection connection : List.of(redis, nuthatch)) {
                make(connection, type, "small", 10);
                make(connection, type, "large", 300);
                long small = usage(connection, "small");
                long large = usage(connection, "large");
                String server = connection == redis ? "redis-server" : "nuthatch";
                assertTrue(small > 0 && large > small, type + " on " + server + ": " + small + " then " + large);
                connection.call("DEL", "small", "large");
            }
        }
    }

    @Test
    void samplesThatReachEveryElementGiveTheExactFigureOnBothServers() throws IOException {
        for (String type : TYPES) {
            for (RawConnection connection : List.of(redis, nuthatch)) {
                make(connection, type, "k", 200);
                long exact = usage(connection, "k", "SAMPLES", "0");
                String server = connection == redis ? "redis-server" : "nuthatch";
                assertEquals(exact, usage(connection, "k", "SAMPLES", "1000"), type + " on " + server);
                connection.call("DEL", "k");
            }
        }
    }

    @Test
    void theUsageOfEveryTypeIsWhatTheKeyAddedToTheDataset() throws IOException {
        for (String type : TYPES) {
            for (int n : new int[] {3, 300}) {
                long before = database().datasetMemory();
                make(nuthatch, type, "k", n);
                assertEquals(database().datasetMemory() - before, usage(nuthatch, "k"), type + " of " + n);
                nuthatch.call("DEL", "k");
            }
        }
    }

    @Test
    void sortTurnsASortedSetIntoALargerSkiplistAndTheDatasetFollows() throws IOException {
        for (RawConnection connection : List.of(redis, nuthatch)) {
            make(connection, "zset", "z", 20);
            long packed = usage(connection, "z");
            connection.call("SORT", "z", "LIMIT", "0", "1");
            assertEquals("skiplist", String.valueOf(RespValue.parse(connection.call("OBJECT", "ENCODING", "z"))));
            long unpacked = usage(connection, "z");
            assertTrue(unpacked > packed, (connection == redis ? "redis-server" : "nuthatch") + ": " + packed
                    + " then " + unpacked);
        }
        nuthatch.call("DEL", "z");
        long before = database().datasetMemory();
        make(nuthatch, "zset", "z", 20);
        long packed = database().datasetMemory() - before;
        nuthatch.call("SORT_RO", "z", "BY", "nosort");
        assertEquals(database().datasetMemory() - before, usage(nuthatch, "z"));
        assertTrue(usage(nuthatch, "z") > packed);
    }
}
