package io.nuthatch.server;

import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.config.CommandLine;
import io.nuthatch.server.config.ConfigDirective;
import io.nuthatch.server.config.ConfigFileError;
import io.nuthatch.server.config.ConfigLoader;
import io.nuthatch.server.config.SaveDirective;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.AwaitLoad;
import io.nuthatch.server.testing.ConfigReplies;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisCommandLine;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our users' configurations (../shared/fixtures, copied into the test resources): the standard
 * profile with its inline comments fails as redis-server fails, plus our hint; the fixed profile
 * starts with the same values redis-server reads from it; BullMQ's command line parses.
 */
class ConfigFixtureTest {
    @TempDir
    Path directory;

    @Test
    void theOriginalProfileFailsAsRedisDoesPlusAHint() throws Exception {
        Path profile = copyResource("seed-standard-profile-redis.conf", s -> s);
        RedisCommandLine.Exit redis = RedisCommandLine.run(directory, List.of(profile.toString()), null);
        MainTest.Run ours = MainTest.main("", profile.toString());
        assertEquals(1, redis.status());
        assertEquals(redis.status(), ours.status());
        assertTrue(redis.err().contains("at line 28\n>>> 'save 900 1      # After 900 sec (15 min) if at least 1 key"
                + " changed'\nInvalid save parameters\n"), redis.err());
        assertTrue(ours.err().startsWith(redis.err()), ours.err());
        assertEquals("Hint: redis.conf does not allow a comment after a directive; a comment must go on a line of its"
                + " own. Move '# After 900 sec (15 min) if at least 1 key changed' to its own line above 'save 900 1'.\n",
                ours.err().substring(redis.err().length()));
    }

    @Test
    void theFixedProfileStartsWithTheUsersSettings() throws Exception {
        Path profile = copyResource("seed-standard-profile-redis.fixed.conf", this::inTestDirectory);
        int port = RedisServerProcess.freePort();
        ServerConfig config = load(List.of(profile.toString(), "--port", Integer.toString(port), "--exporter-port", "0"));
        assertEquals(384L * 1024 * 1024, config.maxmemory.value());
        assertEquals("allkeys-lru", config.maxmemoryPolicy.value());
        assertEquals(1, config.databases.value());
        assertEquals(List.of(new SaveDirective.Rule(900, 1), new SaveDirective.Rule(300, 10),
                new SaveDirective.Rule(60, 10000)), config.persistence.save.rules());
        assertTrue(config.persistence.appendonly.value());
        assertEquals(List.of("0.0.0.0"), config.bind.value());
        ServerLog quiet = new ServerLog();
        quiet.level(ServerLog.Level.WARNING);
        try (NuthatchServer server = NuthatchServer.start(config, quiet);
             RedisCommandLine.Started redis = RedisCommandLine.start(directory, List.of(profile.toString()));
             RawConnection ours = new RawConnection(server.port());
             RawConnection reference = new RawConnection(redis.port())) {
            assertEquals(port, server.port());
            AwaitLoad.of(server);
            for (String[] request : List.of(new String[] {"PING"}, new String[] {"CONFIG", "GET", "maxmemory"},
                    new String[] {"config", "set", "maxmemory", "1"}, new String[] {"SELECT", "1"})) {
                assertEquals(Resp.escape(reference.call(request)), Resp.escape(ours.call(request)), String.join(" ", request));
            }
        }
    }

    @Test
    void theFixedProfileReadsAsRedisReadsIt() throws Exception {
        Path profile = copyResource("seed-standard-profile-redis.fixed.conf",
                text -> inTestDirectory(text).replace("rename-command CONFIG \"\"", ""));
        ServerConfig config = load(List.of(profile.toString()));
        try (RedisCommandLine.Started redis = RedisCommandLine.start(directory, List.of(profile.toString()))) {
            List<String> differences = new ArrayList<>();
            var expected = ConfigReplies.configGet(redis.port(), "*");
            for (var entry : expected.entrySet()) {
                ConfigDirective directive = config.find(entry.getKey());
                if (!entry.getKey().equals("port") && !entry.getValue().equals(directive.get())) {
                    differences.add(entry.getKey() + ": redis-server '" + entry.getValue() + "', nuthatch '"
                            + directive.get() + "'");
                }
            }
            assertEquals(List.of(), differences);
        }
    }

    @Test
    void theBullmqCommandLineParsesAsInRedis() throws Exception {
        List<String> arguments = new ArrayList<>();
        for (String line : resourceText("seed-bullmq-server-args.txt").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                arguments.addAll(List.of(line.trim().split("\\s+")));
            }
        }
        assertEquals(List.of("--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction"),
                arguments);
        ServerConfig config = load(arguments);
        List<String> withDirectory = new ArrayList<>(arguments);
        withDirectory.addAll(List.of("--dir", directory.toString()));
        try (RedisCommandLine.Started redis = RedisCommandLine.start(directory, withDirectory)) {
            for (String name : List.of("appendonly", "appendfsync", "maxmemory-policy")) {
                assertEquals(ConfigReplies.configGet(redis.port(), name).get(name),
                        config.find(name).get(), name);
            }
        }
        assertTrue(config.persistence.appendonly.value());
        assertEquals("noeviction", config.maxmemoryPolicy.value());
    }

    /** The profile with its /data and /var/run paths moved into the test's directory. */
    private String inTestDirectory(String text) {
        return text.replace("dir /data", "dir " + directory)
                .replace("pidfile /var/run/redis.pid", "pidfile " + directory.resolve("redis.pid"));
    }

    private ServerConfig load(List<String> arguments) throws ConfigFileError {
        CommandLine commandLine = CommandLine.parse(arguments, directory);
        ServerConfig config = new ServerConfig();
        config.configFile(commandLine.configFile());
        List<String> names = new ArrayList<>();
        for (CommandSpec command : StandardCommands.table().commands()) {
            names.add(command.name());
        }
        new ConfigLoader(config, names).load(commandLine.configFile(), null, commandLine.options());
        return config;
    }

    private Path copyResource(String name, java.util.function.UnaryOperator<String> edit) throws IOException {
        Path copy = directory.resolve(name);
        Files.writeString(copy, edit.apply(resourceText(name)), StandardCharsets.ISO_8859_1);
        return copy;
    }

    private static String resourceText(String name) throws IOException {
        try (InputStream in = ConfigFixtureTest.class.getResourceAsStream("/config/" + name)) {
            if (in == null) {
                throw new IOException("no resource /config/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
