package io.nuthatch.server.command.server;

import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MEMORY STATS has redis-server's fields in its order, a db.N entry per database holding keys, and
 * figures from the account INFO memory prints; MEMORY DOCTOR answers a text that follows the
 * account (the figures differ from Redis's, so these are not differential cases).
 */
class MemoryStatsTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> stats(RawConnection connection) throws IOException {
        connection.call("HELLO", "3");
        Map<Object, Object> stats = (Map<Object, Object>) RespValue.parse(connection.call("MEMORY", "STATS"));
        connection.call("HELLO", "2");
        return stats;
    }

    private static List<String> names(Map<Object, Object> stats) {
        List<String> names = new ArrayList<>();
        stats.forEach((name, value) -> {
            names.add((String) name);
            if (value instanceof Map<?, ?> nested) {
                nested.keySet().forEach(inner -> names.add(name + "/" + inner));
            }
        });
        return names;
    }

    @Test
    void theFieldsAreRedissInItsOrder() throws IOException {
        try (RawConnection ours = nuthatch.connect(); RawConnection theirs = new RawConnection(redis.port())) {
            for (RawConnection connection : List.of(ours, theirs)) {
                connection.call("FLUSHALL");
                connection.call("SET", "a", "1");
                connection.call("SELECT", "2");
                connection.call("SET", "b", "2", "EX", "100");
                connection.call("SELECT", "0");
            }
            assertEquals(names(stats(theirs)), names(stats(ours)));
        }
    }

    @Test
    void theFiguresAreTheAccountInfoMemoryPrints() throws IOException {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("FLUSHALL");
            for (int i = 0; i < 100; i++) {
                connection.call("SET", "key" + i, "v".repeat(100));
            }
            Map<Object, Object> stats = stats(connection);
            String info = (String) RespValue.parse(connection.call("INFO", "memory"));
            assertEquals(100L, stats.get("keys.count"));
            assertEquals(infoField(info, "used_memory_dataset"), stats.get("dataset.bytes"));
            assertEquals(infoField(info, "used_memory_startup"), stats.get("startup.allocated"));
            long used = (Long) stats.get("total.allocated");
            assertEquals(used - (Long) stats.get("startup.allocated"), 100 * (Long) stats.get("keys.bytes-per-key"),
                    100.0, "bytes per key: what the keys added, shared out");
            assertTrue((Long) stats.get("peak.allocated") >= used);
            assertEquals(used - (Long) stats.get("dataset.bytes"), stats.get("overhead.total"));
        }
    }

    private static long infoField(String info, String field) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError(field);
    }

    @Test
    void theDoctorReportsAMaxmemoryTheHeapCannotHold() throws IOException {
        try (RawConnection connection = nuthatch.connect()) {
            String healthy = (String) RespValue.parse(connection.call("MEMORY", "DOCTOR"));
            connection.call("CONFIG", "SET", "maxmemory", Long.toString(Runtime.getRuntime().maxMemory()));
            try {
                String report = (String) RespValue.parse(connection.call("MEMORY", "DOCTOR"));
                assertTrue(report.contains("more than the JVM heap can hold"), report);
                assertTrue(!healthy.contains("more than the JVM heap can hold"), healthy);
            } finally {
                connection.call("CONFIG", "SET", "maxmemory", "0");
            }
            assertInstanceOf(RespValue.Error.class, RespValue.parse(connection.call("MEMORY", "DOCTOR", "x")));
        }
    }
}
