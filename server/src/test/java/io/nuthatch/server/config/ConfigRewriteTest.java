package io.nuthatch.server.config;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisCommandLine;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CONFIG REWRITE: the same file, started by redis-server and by Nuthatch, changed by the same
 * CONFIG SET, must be rewritten the same way. Redis appends new lines in the order of its hash
 * table, so the appended part is compared as a set of lines; everything above it line for line.
 */
class ConfigRewriteTest {
    private static final String PASSWORD = "se cret";

    @TempDir
    Path directory;

    @Test
    void rewriteKeepsTheFileAndChangesLikeRedis() throws Exception {
        Files.writeString(directory.resolve("included.conf"), "maxmemory-samples 7\n");
        String original = """
                # The top comment stays
                include %s
                rename-command FLUSHDB ""

                save 900 1
                save 300 10

                   # an indented comment loses its blanks
                slave-read-only yes
                hash-max-ziplist-entries 100
                list-max-ziplist-entries 512
                maxmemory 100mb
                loglevel notice
                timeout 0
                logfile ""
                pidfile ""
                bind 127.0.0.1
                notify-keyspace-events ""
                client-output-buffer-limit pubsub 32mb 8mb 60
                requirepass "se cret"
                timeout 0
                activerehashing yes
                """.formatted(directory.resolve("included.conf"));
        String[] changes = {"CONFIG", "SET", "maxmemory", "200mb", "timeout", "5", "hz", "20",
            "zset-max-ziplist-value", "128", "save", "100 5", "loglevel", "verbose", "notify-keyspace-events", "KEA",
            "client-output-buffer-limit", "replica 1mb 1000 5", "maxmemory-clients", "5%",
            "proto-max-bulk-len", "1000000000", "masterauth", "x\"y", "tls-ciphers", "a b",
            "shutdown-on-sigterm", "nosave now", "latency-tracking-info-percentiles", "99", "activerehashing", "no",
            "lazyfree-lazy-expire", "yes", "oom-score-adj-values", "0 300 900"};
        compareRewrites(original, changes);
    }

    @Test
    void valuesBackAtTheirDefaultsStayOnlyWhereTheFileHadThem() throws Exception {
        String original = """
                maxmemory 100mb
                timeout 10
                save ""
                bind 127.0.0.1
                requirepass "se cret"
                """;
        compareRewrites(original, new String[] {"CONFIG", "SET", "maxmemory", "0", "timeout", "0", "hz", "10",
            "save", "3600 1 300 100 60 10000", "requirepass", ""});
    }

    @Test
    void aMissingFileIsWrittenAfresh() throws Exception {
        String original = "requirepass \"se cret\"\nbind 127.0.0.1\n";
        compareRewrites(original, new String[] {"CONFIG", "SET", "timeout", "9"}, true);
    }

    @Test
    void theRewrittenFileLoadsBackTheSameConfiguration() throws Exception {
        Path file = directory.resolve("nuthatch.conf");
        Files.writeString(file, "# mine\nsave 900 1\nsave 300 10\nmaxmemory 1gb\nbind 127.0.0.1\n"
                + "rename-command ECHO \"\"\n");
        ServerConfig config = start(file);
        try (NuthatchServer server = NuthatchServer.start(config, quietLog());
             RawConnection connection = new RawConnection(server.port())) {
            assertEquals("+OK\\r\\n", Resp.escape(connection.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu",
                    "client-output-buffer-limit", "normal 1 2 3", "bind", "127.0.0.1", "notify-keyspace-events", "Ex",
                    "save", "")));
            assertEquals("+OK\r\n", new String(connection.call("CONFIG", "REWRITE"), StandardCharsets.US_ASCII));
            String first = Files.readString(file);
            assertTrue(first.startsWith("# mine\nsave \"\"\n"), first);
            assertTrue(first.contains("rename-command ECHO \"\""), first);

            ServerConfig reloaded = start(file);
            for (ConfigDirective directive : config.directives()) {
                if (!directive.name().equals("port")) {
                    assertEquals(directive.get(), reloaded.find(directive.name()).get(), directive.name());
                }
            }
            assertEquals(config.renamedCommands(), reloaded.renamedCommands());
            // As Redis, a rewrite keeps the file's last newline as an empty line: the second rewrite adds
            // one blank line at the end, and from then on nothing changes.
            assertEquals("+OK\r\n", new String(connection.call("CONFIG", "REWRITE"), StandardCharsets.US_ASCII));
            String second = Files.readString(file);
            assertEquals(first + "\n", second);
            assertEquals("+OK\r\n", new String(connection.call("CONFIG", "REWRITE"), StandardCharsets.US_ASCII));
            assertEquals(second, Files.readString(file), "a third rewrite changes nothing");
        }
    }

    @Test
    void aConfigFileThatCannotBeWrittenIsReportedAsRedisReportsIt() throws Exception {
        Path redisDirectory = Files.createDirectories(directory.resolve("redis"));
        Path ourDirectory = Files.createDirectories(directory.resolve("ours"));
        Path redisFile = Files.writeString(redisDirectory.resolve("r.conf"), "bind 127.0.0.1\n");
        Path ourFile = Files.writeString(ourDirectory.resolve("n.conf"), "bind 127.0.0.1\n");
        try (RedisCommandLine.Started redis = RedisCommandLine.start(directory, List.of(redisFile.toString(), "--dir",
                directory.toString()));
             NuthatchServer server = NuthatchServer.start(start(ourFile), quietLog());
             RawConnection reference = new RawConnection(redis.port());
             RawConnection ours = new RawConnection(server.port())) {
            for (Path file : List.of(redisFile, ourFile)) {
                Files.delete(file);
                Files.delete(file.getParent());
            }
            assertEquals(Resp.escape(reference.call("CONFIG", "REWRITE")), Resp.escape(ours.call("CONFIG", "REWRITE")));
        }
    }

    // ------------------------------------------------------------------ helpers

    private void compareRewrites(String original, String[] changes) throws Exception {
        compareRewrites(original, changes, false);
    }

    private void compareRewrites(String original, String[] changes, boolean deleteFirst) throws Exception {
        Path redisFile = directory.resolve("redis.conf");
        Path ourFile = directory.resolve("nuthatch.conf");
        Files.writeString(redisFile, original);
        Files.writeString(ourFile, original);
        int ourPort = RedisServerProcess.freePort();
        ServerConfig config = start(ourFile, "--port", Integer.toString(ourPort), "--dir", directory.toString());
        try (RedisCommandLine.Started redis = RedisCommandLine.start(directory, List.of(redisFile.toString(), "--dir",
                directory.toString()));
             NuthatchServer server = NuthatchServer.start(config, quietLog());
             RawConnection reference = new RawConnection(redis.port());
             RawConnection ours = new RawConnection(server.port())) {
            if (original.contains("requirepass")) {
                reference.call("HELLO", "2", "AUTH", "default", PASSWORD);
                ours.call("HELLO", "2", "AUTH", "default", PASSWORD);
            }
            assertEquals(Resp.escape(reference.call(changes)), Resp.escape(ours.call(changes)), "CONFIG SET");
            if (deleteFirst) {
                Files.delete(redisFile);
                Files.delete(ourFile);
            }
            assertEquals(Resp.escape(reference.call("CONFIG", "REWRITE")), Resp.escape(ours.call("CONFIG", "REWRITE")));
        }
        assertSameRewrite(Files.readString(redisFile), Files.readString(ourFile));
    }

    private static void assertSameRewrite(String expected, String actual) {
        List<String> expectedLines = withoutPort(expected);
        List<String> actualLines = withoutPort(actual);
        int expectedSignature = expectedLines.indexOf(ConfigRewrite.SIGNATURE);
        int actualSignature = actualLines.indexOf(ConfigRewrite.SIGNATURE);
        assertEquals(expectedSignature, actualSignature, "where the generated part starts\n" + actual);
        int split = expectedSignature < 0 ? expectedLines.size() : expectedSignature;
        assertEquals(String.join("\n", expectedLines.subList(0, split)), String.join("\n", actualLines.subList(0, split)),
                "the file's own lines");
        List<String> expectedAppended = new ArrayList<>(expectedLines.subList(split, expectedLines.size()));
        List<String> actualAppended = new ArrayList<>(actualLines.subList(split, actualLines.size()));
        expectedAppended.sort(null);
        actualAppended.sort(null);
        assertEquals(String.join("\n", expectedAppended), String.join("\n", actualAppended), "the appended lines");
        assertEquals(expected.endsWith("\n"), actual.endsWith("\n"));
    }

    /** The lines, without the port each server was given on its command line. */
    private static List<String> withoutPort(String content) {
        List<String> lines = new ArrayList<>();
        for (String line : content.split("\n", -1)) {
            if (!line.startsWith("port ")) {
                lines.add(line);
            }
        }
        return lines;
    }

    private ServerConfig start(Path file, String... options) throws ConfigFileError {
        List<String> arguments = new ArrayList<>(List.of(file.toString()));
        arguments.addAll(List.of(options));
        if (options.length == 0) {
            arguments.addAll(List.of("--port", "0"));
        }
        CommandLine commandLine = CommandLine.parse(arguments, directory);
        ServerConfig config = new ServerConfig();
        if (options.length == 0) {
            config.useFreePort();
        }
        config.configFile(commandLine.configFile());
        new ConfigLoader(config, ConfigFileTest.commandNames()).load(commandLine.configFile(), null, commandLine.options());
        return config;
    }

    private static ServerLog quietLog() {
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        return log;
    }
}
