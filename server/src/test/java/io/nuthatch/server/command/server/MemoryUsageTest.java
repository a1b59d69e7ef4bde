package io.nuthatch.server.command.server;

import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MEMORY USAGE answers the memory estimate of the key: what the key adds to the dataset's memory,
 * kept current as its value changes, found without expiring the key. (Its replies' shape and
 * errors are compared with redis-server in memory.redis.)
 */
class MemoryUsageTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    private static Database database() {
        return nuthatch.server().engine().keyspace().database(0);
    }

    private static long usage(RawConnection connection, String key) throws IOException {
        return (Long) RespValue.parse(connection.call("MEMORY", "USAGE", key));
    }

    @Test
    void theUsageOfAKeyIsWhatItAddedToTheDataset() throws IOException {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("FLUSHALL");
            for (String[] command : new String[][] {{"SET", "s", "hello"}, {"SETRANGE", "big", "40000", "x"},
                {"PFADD", "h", "a", "b"}, {"SET", "n", "12345", "EX", "100"}}) {
                long before = database().datasetMemory();
                connection.call(command);
                assertEquals(database().datasetMemory() - before, usage(connection, command[1]), String.join(" ", command));
            }
        }
    }

    @Test
    void theUsageFollowsTheValueAsItChanges() throws IOException {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("FLUSHALL");
            connection.call("SET", "s", "x");
            long small = usage(connection, "s");
            connection.call("APPEND", "s", "y".repeat(1000));
            long grown = usage(connection, "s");
            // A string grown in place keeps room to grow again, as Redis's strings do: up to twice its length.
            assertTrue(grown >= small + 1000 && grown <= 2 * (small + 1000), small + " then " + grown);
            connection.call("PFADD", "h", "a");
            long sparse = usage(connection, "h");
            connection.call("PFDEBUG", "TODENSE", "h");
            assertTrue(usage(connection, "h") >= sparse + 12_000, "a dense HLL takes its 12 KB");
        }
    }

    @Test
    void aKeyPastItsExpiryStillHasItsSizeAndIsNotDeleted() throws Exception {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("FLUSHALL");
            connection.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            try {
                connection.call("SET", "k", "v", "PX", "1");
                Thread.sleep(20);
                assertTrue(usage(connection, "k") > 0);
                assertEquals(1L, RespValue.parse(connection.call("DBSIZE")));
            } finally {
                connection.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }
}
