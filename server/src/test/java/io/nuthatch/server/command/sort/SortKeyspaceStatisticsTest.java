package io.nuthatch.server.command.sort;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * keyspace_hits and keyspace_misses after each SORT, on both servers: the key sorted and every key
 * a BY or GET pattern names count as reads, also when the result is stored; the destination does
 * not count.
 */
class SortKeyspaceStatisticsTest {
    private static final List<String[]> COMMANDS = List.of(
            new String[] {"RPUSH", "l", "1", "2", "3"},
            new String[] {"SET", "w_1", "5"},
            new String[] {"HSET", "h_2", "f", "1"},
            new String[] {"SORT", "l"},
            new String[] {"SORT", "nokey"},
            new String[] {"SORT", "l", "BY", "w_*", "GET", "g_*"},
            new String[] {"SORT", "l", "BY", "w_*", "GET", "g_*", "STORE", "d"},
            new String[] {"SORT", "l", "BY", "h_*->f", "GET", "#", "GET", "h_*->g", "STORE", "d"},
            new String[] {"SORT", "nokey", "STORE", "d"},
            new String[] {"SORT", "l", "BY", "nosort", "GET", "w_*"},
            new String[] {"SORT_RO", "l", "BY", "w_*", "ALPHA", "LIMIT", "0", "1"});

    @Test
    void patternsCountAsReadsWhetherTheResultIsRepliedOrStored() throws IOException {
        ReferencePair pair = ReferencePair.shared();
        try (RawConnection redis = new RawConnection(pair.redisPort());
             RawConnection nuthatch = new RawConnection(pair.nuthatchPort())) {
            for (RawConnection connection : List.of(redis, nuthatch)) {
                connection.call("FLUSHALL");
                connection.call("CONFIG", "RESETSTAT");
            }
            for (String[] command : COMMANDS) {
                redis.call(command);
                nuthatch.call(command);
                assertEquals(counters(redis), counters(nuthatch), String.join(" ", command));
            }
            assertTrue(counters(redis).matches("keyspace_hits:\\d\\d+ keyspace_misses:\\d\\d+ "),
                    "the commands should hit and miss often: " + counters(redis));
        }
    }

    private static String counters(RawConnection connection) throws IOException {
        String info = new String(connection.call("INFO", "stats"), StandardCharsets.ISO_8859_1);
        StringBuilder counters = new StringBuilder();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("keyspace_hits:") || line.startsWith("keyspace_misses:")) {
                counters.append(line).append(' ');
            }
        }
        return counters.toString();
    }
}
