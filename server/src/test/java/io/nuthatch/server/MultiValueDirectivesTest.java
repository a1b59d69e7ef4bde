package io.nuthatch.server;

import io.nuthatch.server.config.ConfigDirective;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.testing.ConfigReplies;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Directives of several values given the ways charts, compose files and shell scripts give them:
 * as one quoted argument ({@code --save "3600 1 300 100"}), as several, repeated, empty, with
 * quotes inside, on the command line, in a file and in CONFIG SET. Each command line goes to
 * redis-server and to Nuthatch's startup; they must both start with the same values (CONFIG GET
 * over a socket) or both refuse with the same words.
 *
 * <p>Which directives take several values is Redis's MULTI_ARG_CONFIG flag; ConfigDirectivesTest
 * pins ours to it for every directive (CONFIG SET splits "1 2" only for those), and
 * {@link #everyDirectiveOfSeveralValuesHasItsCasesHere} makes sure each one has cases here.
 */
class MultiValueDirectivesTest {
    /** The directives of several values that the cases below cover. */
    private static final Set<String> COVERED = Set.of("save", "bind", "client-output-buffer-limit",
            "oom-score-adj-values", "latency-tracking-info-percentiles", "replicaof", "shutdown-on-sigint",
            "shutdown-on-sigterm");

    @TempDir
    Path directory;

    @Test
    void everyDirectiveOfSeveralValuesHasItsCasesHere() {
        Set<String> several = new TreeSet<>();
        for (ConfigDirective directive : new ServerConfig().directives()) {
            // Hidden ones are Nuthatch's own (maxmemory-policy-db), tested with their feature.
            if (directive.takesMultipleArguments() && !directive.isHidden()) {
                several.add(directive.name());
            }
        }
        assertEquals(new TreeSet<>(COVERED), several);
    }

    @Test
    void saveRulesGivenAsOneArgumentAreSplit() throws Exception {
        assertStartsAsRedis(List.of("--save", "3600 1 300 100"), "save");
        assertStartsAsRedis(List.of("--save", "3600 1", "--save", "300 100"), "save");
        assertStartsAsRedis(List.of("--save", "3600", "1", "--save", "300 100 60 5"), "save");
        assertStartsAsRedis(List.of("--save", "'3600' \"1\""), "save");
        assertStartsAsRedis(List.of("--save", "3600 1 300 100", "--save", ""), "save");
        assertStartsAsRedis(List.of("--save", "3600 1 300 100", "--save", "60 5", "--save"), "save");
    }

    @Test
    void emptyAndBlankSaveArgumentsClearTheRulesAsInRedis() throws Exception {
        assertStartsAsRedis(List.of("--save", ""), "save");
        assertStartsAsRedis(List.of("--save", " "), "save");
        assertStartsAsRedis(List.of("--save", "3600 \"1"), "save");
        assertStartsAsRedis(List.of("--save", "--maxmemory", "1mb"), "save", "maxmemory");
    }

    @Test
    void badSaveArgumentsAreRefusedAsInRedis() throws Exception {
        assertStartsAsRedis(List.of("--save", "3600 1 300"));
        assertStartsAsRedis(List.of("--save", "3600 1", "300", "100"));
        assertStartsAsRedis(List.of("--save", "0 1"));
        assertStartsAsRedis(List.of("--save", "3600 x"));
    }

    @Test
    void bindAddressesGivenAsOneArgumentAreSplit() throws Exception {
        assertStartsAsRedis(List.of("--bind", "127.0.0.1 ::1"), "bind");
        assertStartsAsRedis(List.of("--bind", "127.0.0.1 -::1"), "bind");
        assertStartsAsRedis(List.of("--bind", "::1", "--bind", "-::1 127.0.0.1"), "bind");
        assertStartsAsRedis(List.of("--bind", "127.0.0.1", "-::1"), "bind");
    }

    @Test
    void noBindAddressAtAllStopsStartupAsInRedis() throws Exception {
        assertStartsAsRedis(List.of("--bind", ""));
        assertStartsAsRedis(List.of("--bind", " "));
        assertStartsAsRedis(List.of("--bind", "127.0.0.1 \"::1"));
        assertStartsAsRedis(List.of("--bind", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"));
    }

    @Test
    void clientOutputBufferLimitsGivenAsOneArgumentAreSplit() throws Exception {
        assertStartsAsRedis(List.of("--client-output-buffer-limit", "pubsub 1mb 0 0"), "client-output-buffer-limit");
        assertStartsAsRedis(List.of("--client-output-buffer-limit", "normal 1mb 2mb 3 replica 1gb 512mb 60",
                "--client-output-buffer-limit", "pubsub 32mb 8mb 60"), "client-output-buffer-limit");
        assertStartsAsRedis(List.of("--client-output-buffer-limit", "pubsub 1mb 0"));
        assertStartsAsRedis(List.of("--client-output-buffer-limit", ""));
        assertStartsAsRedis(List.of("--client-output-buffer-limit", "master 1 2 3"));
    }

    @Test
    void theOtherListsGivenAsOneArgumentAreSplit() throws Exception {
        assertStartsAsRedis(List.of("--oom-score-adj-values", "0 200 800",
                "--latency-tracking-info-percentiles", "50 99 99.9",
                "--shutdown-on-sigterm", "nosave now", "--shutdown-on-sigint", "save", "now",
                "--replicaof", "no one"),
                "oom-score-adj-values", "latency-tracking-info-percentiles", "shutdown-on-sigterm",
                "shutdown-on-sigint", "replicaof");
        assertStartsAsRedis(List.of("--latency-tracking-info-percentiles", "", "--slaveof", "no one"),
                "latency-tracking-info-percentiles", "replicaof");
        assertStartsAsRedis(List.of("--latency-tracking-info-percentiles", " "), "latency-tracking-info-percentiles");
    }

    @Test
    void badListsAreRefusedAsInRedis() throws Exception {
        assertStartsAsRedis(List.of("--oom-score-adj-values", "10 20"));
        assertStartsAsRedis(List.of("--latency-tracking-info-percentiles", "50 101"));
        assertStartsAsRedis(List.of("--shutdown-on-sigterm", "save nosave"));
        assertStartsAsRedis(List.of("--shutdown-on-sigint", ""));
        assertStartsAsRedis(List.of("--slaveof", "no one", "x"));
    }

    @Test
    void aFileLineWithOneQuotedArgumentIsSplitToo() throws Exception {
        assertStartsAsRedis("save \"3600 1 300 100\"\nbind '127.0.0.1 -::1'\n"
                + "client-output-buffer-limit \"pubsub 1mb 0 0\"\nshutdown-on-sigterm \"nosave now\"\n", List.of(),
                "save", "bind", "client-output-buffer-limit", "shutdown-on-sigterm");
        assertStartsAsRedis("save \"3600 1\"\nsave \"300 100\"\n", List.of("--save", "60 5"), "save");
    }

    @Test
    void aSingleValueKeepsItsBlanks() throws Exception {
        assertStartsAsRedis(List.of("--logfile", "a b.log", "--requirepass", "a b",
                "--proc-title-template", "{title} {port}", "--ignore-warnings", "ARM64-COW-BUG x",
                "--dbfilename", "a b.rdb", "--notify-keyspace-events", "KEA"),
                "logfile", "requirepass", "proc-title-template", "ignore-warnings", "dbfilename",
                "notify-keyspace-events");
        assertStartsAsRedis(List.of("--notify-keyspace-events", "K E"));
        assertStartsAsRedis(List.of("--maxmemory", "1 gb"));
        assertStartsAsRedis(List.of("--maxmemory-policy", "allkeys-lru "));
    }

    @Test
    void fileOnlyDirectivesOfSeveralArgumentsAreNotSplit() throws Exception {
        assertStartsAsRedis(List.of("--rename-command", "get fetch"));
        assertStartsAsRedis(List.of("--user", "alice on nopass"));
        assertStartsAsRedis(List.of("--user", "alice on", "nopass"));
        assertStartsAsRedis(List.of("--user", "alice", "on", "nopass", "--rename-command", "get", "fetch"),
                "maxmemory");
    }

    /**
     * CONFIG SET takes one string and splits it at every single space, quotes and all, where a
     * config line is split by the line's rules: so "3600  1" has an empty word and '"3600" 1' a
     * quoted one.
     */
    @Test
    void configSetSplitsEveryValueOfSeveralAsRedis() throws Exception {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put("save", List.of("3600 1 300 100", "3600  1", " 3600 1", "3600 1 ", "", " ", "\"3600\" 1",
                "3600 1 300", "60 5"));
        values.put("client-output-buffer-limit", List.of("pubsub 1mb 0 0", "pubsub  1mb 0 0",
                "normal 1 2 3 pubsub 1mb 0 0 ", "", " ", "replica 1gb 512mb 60 pubsub 0 0 0"));
        values.put("latency-tracking-info-percentiles", List.of("50 99 99.9", "50  99", "", " ", "50 ", "99.99"));
        values.put("oom-score-adj-values", List.of("0 200 800", "0  200 800", "", " 0 200 800", "10 20 30"));
        values.put("shutdown-on-sigterm", List.of("nosave now", "nosave  now", "", " ", "force"));
        values.put("shutdown-on-sigint", List.of("save now", "Save NOW", "default save"));
        values.put("replicaof", List.of("no one", "no  one", ""));
        values.put("slaveof", List.of("no one"));
        // bind last: the final "" leaves each server listening nowhere, with this connection open
        values.put("bind", List.of("127.0.0.1 ::1", "127.0.0.1  -::1", " 127.0.0.1", "127.0.0.1 \"::1\"",
                "-127.0.0.2 127.0.0.1", "127.0.0.1 -::1", " ", ""));
        try (RedisServerProcess redis = RedisServerProcess.start();
             NuthatchServer nuthatch = ReferencePair.startNuthatch();
             RawConnection reference = new RawConnection(redis.port());
             RawConnection ours = new RawConnection(nuthatch.port())) {
            List<String> differences = new ArrayList<>();
            for (Map.Entry<String, List<String>> entry : values.entrySet()) {
                String name = entry.getKey();
                for (String value : entry.getValue()) {
                    String expected = Resp.escape(reference.call("CONFIG", "SET", name, value))
                            + Resp.escape(reference.call("CONFIG", "GET", name));
                    String actual = Resp.escape(ours.call("CONFIG", "SET", name, value))
                            + Resp.escape(ours.call("CONFIG", "GET", name));
                    if (!expected.equals(actual)) {
                        differences.add("CONFIG SET " + name + " '" + value + "': redis-server " + expected
                                + ", nuthatch " + actual);
                    }
                }
            }
            assertEquals(List.of(), differences);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void assertStartsAsRedis(List<String> arguments, String... names) throws Exception {
        assertStartsAsRedis(null, arguments, names);
    }

    /**
     * Starts redis-server with the config file (when not null) and the arguments, and runs
     * Nuthatch's startup with the same ones, each in a directory of its own. Either both refuse,
     * with the same status, standard error and last log line, or both start and CONFIG GET shows
     * the same value for each name.
     */
    private void assertStartsAsRedis(String fileText, List<String> arguments, String... names) throws Exception {
        int port = RedisServerProcess.freePort();
        Path redisDirectory = Files.createTempDirectory(directory, "redis");
        Path ourDirectory = Files.createTempDirectory(directory, "nuthatch");
        List<String> common = new ArrayList<>();
        if (fileText != null) {
            Path file = directory.resolve("multi.conf");
            Files.writeString(file, fileText, StandardCharsets.ISO_8859_1);
            common.add(file.toString());
        }
        common.addAll(List.of("--port", Integer.toString(port)));
        String shown = (fileText == null ? "" : fileText.replace("\n", "; ") + " + ") + arguments;

        List<String> ourArguments = new ArrayList<>(common);
        ourArguments.addAll(List.of("--dir", ourDirectory.toString()));
        ourArguments.addAll(arguments);
        ByteArrayOutputStream ourOut = new ByteArrayOutputStream();
        ByteArrayOutputStream ourErr = new ByteArrayOutputStream();
        Main.Startup ours = Main.prepare(ourArguments.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                new PrintStream(ourOut, true, StandardCharsets.UTF_8), new PrintStream(ourErr, true, StandardCharsets.UTF_8));

        List<String> redisArguments = new ArrayList<>(List.of(RedisServerProcess.executable()));
        redisArguments.addAll(common);
        redisArguments.addAll(List.of("--dir", redisDirectory.toString()));
        redisArguments.addAll(arguments);
        Path redisOut = directory.resolve("redis.out");
        Path redisErr = directory.resolve("redis.err");
        Process redis = new ProcessBuilder(redisArguments).directory(redisDirectory.toFile())
                .redirectOutput(redisOut.toFile()).redirectError(redisErr.toFile()).start();
        try {
            if (!awaitStartOrExit(redis, port)) {
                assertNull(ours.config(), "redis-server refused, nuthatch started: " + shown);
                assertEquals(redis.exitValue(), ours.exitStatus(), shown);
                String expectedErr = Files.readString(redisErr, StandardCharsets.ISO_8859_1);
                assertEquals(expectedErr, ourErr.toString(StandardCharsets.UTF_8), shown);
                if (expectedErr.isEmpty()) {
                    assertEquals(lastLogMessage(Files.readString(redisOut, StandardCharsets.ISO_8859_1)),
                            lastLogMessage(ourOut.toString(StandardCharsets.UTF_8)), shown);
                }
                return;
            }
            assertNotNull(ours.config(), () -> "redis-server started, nuthatch refused: " + shown + "\n" + ourErr
                    + ourOut);
            try (NuthatchServer server = NuthatchServer.start(ours.config().useFreePort(), ours.log())) {
                String password = ours.config().requirepass.value();
                assertEquals(configGet(port, password, names), configGet(server.port(), password, names), shown);
            }
        } finally {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                redis.destroyForcibly();
            }
        }
    }

    /** Whether redis-server answers on the port (true) or exits first (false). */
    private static boolean awaitStartOrExit(Process redis, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (redis.waitFor(20, TimeUnit.MILLISECONDS)) {
                return false;
            }
            try (RawConnection connection = new RawConnection(port)) {
                if (connection.call("PING") != null) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
        }
        throw new AssertionError("redis-server neither started nor exited");
    }

    private static Map<String, String> configGet(int port, String password, String... names) throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            if (!password.isEmpty()) {
                connection.call(List.of("AUTH".getBytes(StandardCharsets.US_ASCII),
                        password.getBytes(StandardCharsets.ISO_8859_1)));
            }
            Map<String, String> values = new TreeMap<>();
            for (String name : names) {
                values.putAll(ConfigReplies.configGet(connection, name));
            }
            return values;
        }
    }

    /** The message of a log's last line, without "pid:role date time". */
    private static String lastLogMessage(String log) {
        String[] lines = log.split("\n");
        return MainTest.withoutLogPrefix(lines[lines.length - 1]);
    }
}
