package io.nuthatch.server.command.key;

import io.nuthatch.server.Engine;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * keyspace_hits and keyspace_misses count the lookups of reading commands only, as Redis counts
 * them: EXISTS, TYPE, TTL, OBJECT, TOUCH, COPY's source and SCAN TYPE count; DEL, EXPIRE, RENAME,
 * MOVE, PERSIST do not. The same commands run on both servers and the counters must move alike.
 */
class KeyspaceStatisticsTest {
    private static final List<String[]> COMMANDS = List.of(
            new String[] {"SET", "a", "1"},
            new String[] {"SET", "b", "2"},
            new String[] {"EXISTS", "a", "missing", "a"},
            new String[] {"TYPE", "a"},
            new String[] {"TYPE", "missing"},
            new String[] {"TTL", "a"},
            new String[] {"PTTL", "missing"},
            new String[] {"EXPIRETIME", "a"},
            new String[] {"OBJECT", "ENCODING", "a"},
            new String[] {"OBJECT", "REFCOUNT", "missing"},
            new String[] {"TOUCH", "a", "missing"},
            new String[] {"COPY", "a", "c"},
            new String[] {"COPY", "missing", "c"},
            new String[] {"SCAN", "0", "TYPE", "string"},
            new String[] {"SCAN", "0", "MATCH", "a"},
            new String[] {"KEYS", "*"},
            new String[] {"RANDOMKEY"},
            new String[] {"EXPIRE", "a", "100"},
            new String[] {"EXPIRE", "missing", "100"},
            new String[] {"PERSIST", "a"},
            new String[] {"RENAME", "a", "d"},
            new String[] {"RENAMENX", "d", "b"},
            new String[] {"MOVE", "d", "1"},
            new String[] {"DEL", "b", "missing"},
            new String[] {"UNLINK", "c"});

    @Test
    void hitsAndMissesMoveAsInRedis() throws Exception {
        ReferencePair pair = ReferencePair.shared();
        long[] redis = run(pair.redisPort(), connection -> redisCounters(connection));
        long[] nuthatch = run(pair.nuthatchPort(), connection -> nuthatchCounters(pair));
        assertTrue(redis[0] >= 5 && redis[1] >= 5, "the commands should both hit and miss");
        assertEquals(redis[0], nuthatch[0], "keyspace_hits");
        assertEquals(redis[1], nuthatch[1], "keyspace_misses");
    }

    private interface Counters {
        long[] read(RawConnection connection) throws IOException;
    }

    private static long[] run(int port, Counters counters) throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            connection.call("FLUSHALL");
            long[] before = counters.read(connection);
            for (String[] command : COMMANDS) {
                connection.call(command);
            }
            long[] after = counters.read(connection);
            return new long[] {after[0] - before[0], after[1] - before[1]};
        }
    }

    private static long[] redisCounters(RawConnection connection) throws IOException {
        byte[] reply = connection.call("INFO", "stats");
        String info = new String(reply, StandardCharsets.ISO_8859_1);
        return new long[] {field(info, "keyspace_hits"), field(info, "keyspace_misses")};
    }

    private static long field(String info, String name) {
        int start = info.indexOf(name + ":");
        if (start < 0) {
            throw new AssertionError("no " + name + " in " + Resp.escape(info.getBytes(StandardCharsets.ISO_8859_1)));
        }
        int end = info.indexOf('\r', start);
        return Long.parseLong(info.substring(start + name.length() + 1, end));
    }

    private static long[] nuthatchCounters(ReferencePair pair) {
        Engine engine = pair.nuthatch().engine();
        engine.lock().lock();
        try {
            return new long[] {engine.stats().keyspaceHits, engine.stats().keyspaceMisses};
        } finally {
            engine.lock().unlock();
        }
    }
}
