package io.nuthatch.server.config;

import io.nuthatch.server.StandardCommands;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.testing.ConfigReplies;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * redis.conf's grammar: each configuration here is given to the real redis-server and to our
 * loader, and what they report must be the same, byte for byte.
 */
class ConfigFileTest {
    @TempDir
    Path directory;

    // ------------------------------------------------------------------ errors, against redis-server

    @Test
    void quotingErrorsAreReportedAsRedisReportsThem() throws Exception {
        for (String text : List.of("port \"7000\n", "port 'ab'c\n", "port \"ab\"c\n", "port \"7000\" x\"\n",
                "requirepass \"a\\\"\n")) {
            assertSameError(text);
        }
    }

    @Test
    void badValuesAreReportedWithTheirLine() throws Exception {
        for (String text : List.of("port 1 2\n", "PORT abc\n", "\"port\" abc\n", "port \"\\x41\"\n", "requirepass\n",
                "   \n  # comment\n\tport x\n", "hz abc\n", "maxmemory-policy lru\n", "appendfsync sometimes\n",
                "activedefrag yes\n", "notify-keyspace-events Q\n", "client-output-buffer-limit master 1 2 3\n",
                "client-output-buffer-limit normal 1 2\n", "save 0 1\n", "save 10\n",
                "latency-tracking-info-percentiles 101\n", "oom-score-adj-values 1 2\n", "shutdown-on-sigterm\n",
                "replicaof localhost abc\n", "slaveof localhost 70000\n", "appendfilename a/b\n", "dbfilename a/b\n",
                "proc-title-template {x}\n", "cluster-announce-hostname a_b\n", "unixsocketperm 999\n",
                "maxmemory 1gb # one gigabyte\n", "maxmemory-clients 200%\n", "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n",
                "list-max-ziplist-entries 512 3\n", "no-such-directive yes\n", "maxclients 0\n", "loglevel nothing\n")) {
            assertSameError(text);
        }
    }

    @Test
    void fileOnlyDirectivesAreCheckedAsRedisChecksThem() throws Exception {
        for (String text : List.of("rename-command FOO bar\n", "rename-command get set\n",
                "rename-command get \"\"\nrename-command get x\n", "rename-command get x\nrename-command x y\nport z\n",
                "rename-command get\n", "sentinel monitor x\n", "foo.bar\n", "include\n", "include a b\n")) {
            assertSameError(text);
        }
    }

    @Test
    void directoriesAndLogFilesMustBeUsable() throws Exception {
        for (String text : List.of("dir /nonexistent\n", "dir /etc/passwd\n", "dir /etc/passwd/x\n", "dir \"\"\n",
                "logfile /nonexistent/x.log\n", "port 7000\nlogfile /nonexistent/x.log\nport abc\n")) {
            assertSameError(text);
        }
    }

    @Test
    void commandLineOptionsAreLinesAfterTheFile() throws Exception {
        assertSameError("port 7000\n", "--maxmemory", "abc");
        assertSameError("port 7000", "--maxmemory", "abc");
        assertSameError("port 7000\n", "--port", "7000", "7001");
        assertSameError("port 7000\n", "x");
        assertSameError("port 7000\n", "--save", "--port", "abc");
        assertSameError("port 7000\n", "--port abc");
        assertSameError("port 7000\n", "--bind", "a b", "--port", "a\"b");
        assertSameError("port 7000\n", "--maxmemory", "--port");
        assertSameError("port 7000\n", "-", "--port", "x");
    }

    @Test
    void includedFilesAreReadWhereTheyAreIncluded() throws Exception {
        Files.writeString(directory.resolve("other.conf"), "maxmemory 1mb\nport abc\n");
        assertSameError("dir " + directory + "\ninclude other.conf\n");
        assertSameError("include /nonexistent.conf\n");
        assertSameError("dir " + directory + "\ninclude missing.conf\n");
    }

    @Test
    void includePatternsReadEveryMatchAsOneText() throws Exception {
        Path confd = Files.createDirectories(directory.resolve("conf.d"));
        Files.writeString(confd.resolve("a.conf"), "maxmemory 1mb\n");
        Files.writeString(confd.resolve("b.conf"), "timeout 5\ntimeout x\n");
        Files.writeString(confd.resolve("c.txt"), "timeout y\n");
        assertSameError("include " + confd + "/*.conf\n");
        assertSameError("include " + directory + "/nothing-*.conf\nport abc\n");
    }

    @Test
    void standardInputComesAfterTheFile() throws Exception {
        Path file = directory.resolve("stdin.conf");
        Files.writeString(file, "port 1\n");
        String expected = redisServerError(file, "port abc\n", file.toString(), "-");
        assertEquals(expected, ourError(file, "port abc\n", file.toString(), "-"));
    }

    @Test
    void theCommentHintNamesTheCommentAndTheDirective() throws Exception {
        ConfigFileError error = load("port 7000\nsave 900 1      # After 900 sec\n");
        assertEquals(2, error.lineNumber());
        assertEquals("Hint: redis.conf does not allow a comment after a directive; a comment must go on a line of its"
                + " own. Move '# After 900 sec' to its own line above 'save 900 1'.", error.hint());
        assertNull(load("port abc\n").hint());
        assertNull(load("requirepass \"a #b\" c\n").hint());
    }

    // ------------------------------------------------------------------ values, against redis-server

    @Test
    void loadedValuesAreRedisValues() throws Exception {
        assertSameValues("save 900 1\nsave 300 10\n", List.of(), "save");
        assertSameValues("save 900 1\nsave \"\"\nsave 60 5\n", List.of(), "save");
        assertSameValues("save 900 1\nsave\nsave 60 5\n", List.of(), "save");
        assertSameValues("save\nsave 60 5\n", List.of(), "save");
        assertSameValues("save 900 1\n", List.of("--save", "--timeout", "5"), "save", "timeout");
        assertSameValues("save 900 1\n", List.of("--save", "60", "5"), "save");
        assertSameValues("save 900 1\n", List.of("--save"), "save");
        assertSameValues("timeout 5\ntimeout 7\n", List.of("--timeout", "9"), "timeout");
        assertSameValues("requirepass \"a\\x41\\n\\t\\\\\\\"'b\"\nmasterauth 'x\\'y \"z'\n", List.of(),
                "requirepass", "masterauth");
        assertSameValues("bind 127.0.0.1 -::1\nnotify-keyspace-events KEA\n", List.of(), "bind", "notify-keyspace-events");
        assertSameValues("hash-max-ziplist-entries 100\nslave-read-only no\nlua-time-limit 100\n", List.of(),
                "hash-max-listpack-entries", "replica-read-only", "busy-reply-threshold");
        assertSameValues("client-output-buffer-limit replica 1mb 2mb 3\nclient-output-buffer-limit pubsub 0 0 0\n",
                List.of(), "client-output-buffer-limit");
        assertSameValues("hz 0\nmaxmemory 1GB\nmaxmemory-clients 10%\nlist-max-ziplist-entries 512\n", List.of(),
                "hz", "maxmemory", "maxmemory-clients");
        assertSameValues("shutdown-on-sigterm nosave now\noom-score-adj-values 1 2 3\nunixsocketperm 700\n", List.of(),
                "shutdown-on-sigterm", "oom-score-adj-values", "unixsocketperm");
    }

    @Test
    void saveLinesAfterAnIncludeReplaceTheRulesAsInRedis() throws Exception {
        Files.writeString(directory.resolve("inc.conf"), "maxmemory-samples 7\n");
        assertSameValues("save 900 1\ninclude " + directory.resolve("inc.conf") + "\nsave 300 10\nsave 60 5\n",
                List.of(), "save", "maxmemory-samples");
    }

    @Test
    void renameCommandIsRecordedInOrder() throws Exception {
        ServerConfig config = new ServerConfig();
        new ConfigLoader(config, commandNames()).loadText("rename-command CONFIG \"\"\nrename-command get fetch\n");
        assertEquals(Map.of("CONFIG", "", "get", "fetch"), config.renamedCommands());
    }

    @Test
    void usersAreKeptForTheAcl() throws Exception {
        ServerConfig config = new ServerConfig();
        new ConfigLoader(config, commandNames()).loadText("user alice on >secret ~* +@all\n");
        assertEquals(List.of(List.of("alice", "on", ">secret", "~*", "+@all")), config.declaredUsers());
    }

    @Test
    void modulesAreRefusedClearly() {
        ConfigFileError error = load("loadmodule /usr/lib/redis/modules/redisearch.so\n");
        assertEquals("Nuthatch does not load Redis modules; remove 'loadmodule /usr/lib/redis/modules/redisearch.so'",
                error.reason());
        assertTrue(load("search.timeout 100\n").reason().contains("no module configuration 'search.timeout'"));
    }

    @Test
    void aReplicaOrAClusterIsRefusedClearly() {
        assertTrue(load("replicaof 10.0.0.1 6379\n").reason().startsWith("Nuthatch does not replicate"));
        assertTrue(load("cluster-enabled yes\n").reason().startsWith("Nuthatch does not run in cluster mode"));
        assertNull(loadOk("replicaof no one\ncluster-enabled no\n").replication.replicaof.host());
    }

    @Test
    void dirIsKeptAbsoluteAndResolvesRelativePaths() throws Exception {
        Path data = Files.createDirectories(directory.resolve("data"));
        ServerConfig config = loadOk("dir " + directory + "\ndir data\nlogfile nuthatch.log\n");
        assertEquals(data.toRealPath().toString(), config.dir.value());
        assertEquals(data.toRealPath().resolve("nuthatch.log"), config.resolvePath(config.logfile.value()));
        assertTrue(Files.exists(data.resolve("nuthatch.log")), "the log file is opened as Redis opens it");
    }

    @Test
    void anyValueQuotedAsRewriteQuotesItReadsBackUnchanged() {
        java.util.Random random = new java.util.Random(7);
        String awkward = " \"'\\#\t\nax";
        for (int round = 0; round < 2000; round++) {
            char[] chars = new char[random.nextInt(12)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = random.nextBoolean() ? (char) (1 + random.nextInt(255))
                        : awkward.charAt(random.nextInt(awkward.length()));
            }
            String value = new String(chars);
            assertEquals(List.of("name", value), ConfigSyntax.splitArguments("name " + ConfigSyntax.quote(value)),
                    ConfigSyntax.quote(value));
        }
    }

    // ------------------------------------------------------------------ helpers

    private void assertSameError(String text, String... arguments) throws Exception {
        Path file = directory.resolve("test.conf");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        List<String> all = new ArrayList<>(List.of(file.toString()));
        all.addAll(List.of(arguments));
        all.addAll(List.of("--port", "0"));
        String[] argv = all.toArray(String[]::new);
        String expected = redisServerError(file, null, argv);
        assertNotNull(expected, "redis-server accepted: " + text);
        assertEquals(expected, ourError(file, null, argv), "configuration:\n" + text + String.join(" ", arguments));
    }

    /** What redis-server reports before exiting: standard error, or the fatal log line without its prefix. */
    private String redisServerError(Path file, String standardInput, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(RedisServerProcess.executable()));
        command.addAll(List.of(arguments));
        Path out = directory.resolve("redis.out");
        Path err = directory.resolve("redis.err");
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (standardInput != null) {
            process.getOutputStream().write(standardInput.getBytes(StandardCharsets.ISO_8859_1));
        }
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("redis-server did not exit");
        }
        String error = Files.readString(err, StandardCharsets.ISO_8859_1);
        if (!error.isEmpty()) {
            return error;
        }
        for (String line : Files.readAllLines(out, StandardCharsets.ISO_8859_1)) {
            if (line.contains("# Fatal error")) {
                return line.substring(line.indexOf("# Fatal error") + 2);
            }
        }
        return null;
    }

    private String ourError(Path file, String standardInput, String... arguments) {
        CommandLine commandLine = CommandLine.parse(List.of(arguments), directory);
        ServerConfig config = new ServerConfig();
        try {
            InputStream in = standardInput == null ? null
                    : new ByteArrayInputStream(standardInput.getBytes(StandardCharsets.ISO_8859_1));
            new ConfigLoader(config, commandNames()).load(commandLine.configFile(),
                    commandLine.configFromStandardInput() ? in : null, commandLine.options());
        } catch (ConfigFileError e) {
            return e.isUnreadableFile() ? e.getMessage() : e.report();
        }
        return null;
    }

    private void assertSameValues(String text, List<String> arguments, String... names) throws Exception {
        Path file = directory.resolve("values.conf");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        int port = RedisServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of(RedisServerProcess.executable(), file.toString()));
        command.addAll(arguments);
        command.addAll(List.of("--port", Integer.toString(port), "--dir", directory.toString(),
                "--logfile", directory.resolve("values.log").toString()));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("values.out").toFile()).start();
        try {
            List<String> ourArguments = new ArrayList<>(List.of(file.toString()));
            ourArguments.addAll(arguments);
            CommandLine commandLine = CommandLine.parse(ourArguments, directory);
            ServerConfig config = new ServerConfig();
            new ConfigLoader(config, commandNames()).load(commandLine.configFile(), null, commandLine.options());
            Map<String, String> expected = awaitConfig(process, port, config.requirepass.value(), names);
            for (String name : names) {
                assertEquals(expected.get(name), config.find(name).get(), name + " after:\n" + text + arguments);
            }
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** CONFIG GET of the names from redis-server once it answers, authenticating with the password we read. */
    private Map<String, String> awaitConfig(Process process, int port, String password, String... names)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("redis-server exited: " + Files.readString(directory.resolve("values.out")));
            }
            try (RawConnection connection = new RawConnection(port)) {
                if (!password.isEmpty()) {
                    connection.call(List.of("AUTH".getBytes(StandardCharsets.US_ASCII),
                            password.getBytes(StandardCharsets.ISO_8859_1)));
                }
                Map<String, String> values = new java.util.TreeMap<>();
                for (String name : names) {
                    List<String> pair = ConfigReplies.flatBulks(connection.call("CONFIG", "GET", name));
                    values.put(pair.get(0), pair.get(1));
                }
                return values;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("redis-server did not start");
    }

    private static ConfigFileError load(String text) {
        try {
            new ConfigLoader(new ServerConfig(), commandNames()).loadText(text);
        } catch (ConfigFileError e) {
            return e;
        }
        throw new AssertionError("accepted: " + text);
    }

    private static ServerConfig loadOk(String text) {
        ServerConfig config = new ServerConfig();
        try {
            new ConfigLoader(config, commandNames()).loadText(text);
        } catch (ConfigFileError e) {
            throw new AssertionError(e.report(), e);
        }
        return config;
    }

    static List<String> commandNames() {
        List<String> names = new ArrayList<>();
        for (CommandSpec command : StandardCommands.table().commands()) {
            names.add(command.name());
        }
        return names;
    }
}
