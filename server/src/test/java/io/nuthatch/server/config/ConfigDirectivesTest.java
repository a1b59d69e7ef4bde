package io.nuthatch.server.config;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.ConfigReplies;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every directive of redis-server 7.0.15 against the real thing: the same names and aliases, the
 * same defaults, the same answer to CONFIG SET of its own value (immutable, protected or fine),
 * and the same answer to a series of odd values, reply for reply.
 */
class ConfigDirectivesTest {
    /** Values that depend on how each server was started, not on the directive. */
    private static final Set<String> STARTUP_DEPENDENT = Set.of("port", "dir", "logfile", "bind");
    /** Directives the sweep does not change on a running reference: it would stop answering or start work. */
    private static final Set<String> NOT_SWEPT = Set.of("port", "bind", "requirepass", "appendonly");
    private static final List<String> ODD_VALUES = List.of("abc", "-1", "", "99999999999999999999", "yes", "0", "7",
            "1 2", "5%", "10mb", "no one");

    private static RedisServerProcess redis;
    private static NuthatchServer nuthatch;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServerProcess.start();
        nuthatch = ReferencePair.startNuthatch();
    }

    @AfterAll
    static void stop() {
        nuthatch.close();
        redis.close();
    }

    @Test
    void everyDirectiveAndAliasHasRedisDefault() throws IOException {
        Map<String, String> expected = ConfigReplies.configGet(redis.port(), "*");
        Map<String, String> actual = ConfigReplies.configGet(nuthatch.port(), "*");
        assertEquals(expected.keySet(), actual.keySet(), "CONFIG GET * names");
        List<String> differences = new ArrayList<>();
        for (String name : expected.keySet()) {
            if (!STARTUP_DEPENDENT.contains(name) && !expected.get(name).equals(actual.get(name))) {
                differences.add(name + ": redis-server '" + expected.get(name) + "', nuthatch '" + actual.get(name) + "'");
            }
        }
        assertEquals(List.of(), differences);
    }

    @Test
    void hiddenDirectivesAnswerOnlyToTheirName() throws IOException {
        for (String name : List.of("use-exit-on-panic", "rdb-key-save-delay", "key-load-delay", "watchdog-period",
                "loading-process-events-interval-bytes")) {
            assertEquals(ConfigReplies.configGet(redis.port(), name), ConfigReplies.configGet(nuthatch.port(), name), name);
            assertEquals(Map.of(), ConfigReplies.configGet(nuthatch.port(), name + "*"), name + "*");
        }
    }

    @Test
    void configSetAnswersAsRedisForEveryDirectiveAndValue() throws IOException {
        Map<String, String> redisBefore = ConfigReplies.configGet(redis.port(), "*");
        Map<String, String> nuthatchBefore = ConfigReplies.configGet(nuthatch.port(), "*");
        List<String> differences = new ArrayList<>();
        try (RawConnection reference = new RawConnection(redis.port());
             RawConnection ours = new RawConnection(nuthatch.port())) {
            for (String name : new TreeSet<>(redisBefore.keySet())) {
                if (NOT_SWEPT.contains(name)) {
                    continue;
                }
                List<String> values = new ArrayList<>(ODD_VALUES);
                values.add(0, redisBefore.get(name));
                for (String value : values) {
                    String expected = Resp.escape(reference.call("CONFIG", "SET", name, value));
                    String actual = Resp.escape(ours.call("CONFIG", "SET", name, value));
                    if (!expected.equals(actual)) {
                        differences.add("CONFIG SET " + name + " '" + value + "': redis-server " + expected
                                + ", nuthatch " + actual);
                    }
                    reference.call("CONFIG", "SET", name, redisBefore.get(name));
                    ours.call("CONFIG", "SET", name, nuthatchBefore.get(name));
                }
            }
        }
        assertEquals(List.of(), differences);
        assertEquals(redisBefore, ConfigReplies.configGet(redis.port(), "*"), "redis-server restored");
        assertEquals(nuthatchBefore, ConfigReplies.configGet(nuthatch.port(), "*"), "nuthatch restored");
    }

    @Test
    void everyDirectiveIsDeclaredOnceWithARedisName() throws IOException {
        Map<String, String> names = ConfigReplies.configGet(redis.port(), "*");
        ServerConfig config = new ServerConfig();
        Set<String> declared = new TreeSet<>();
        for (ConfigDirective directive : config.directives()) {
            assertTrue(declared.add(directive.name()), directive.name());
            if (!directive.isHidden()) {
                assertTrue(names.containsKey(directive.name()), directive.name() + " is not a Redis 7.0.15 directive");
            }
        }
    }
}
