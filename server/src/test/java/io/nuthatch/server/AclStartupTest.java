package io.nuthatch.server;

import io.nuthatch.server.config.ConfigLoader;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The users a server starts with: user lines of the config, the aclfile, and their errors, next to redis-server. */
class AclStartupTest {
    @TempDir
    Path directory;

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    /** Main.run's status and everything it printed. */
    private static String[] runMain(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8)};
    }

    private NuthatchServer startNuthatch(String configText) throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        config.find("dir").set(directory.toString());
        new ConfigLoader(config, null).loadText("bind 127.0.0.1\nsave \"\"\nexporter-port 0\n" + configText);
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        return NuthatchServer.start(config, log);
    }

    @Test
    void userLinesOfTheConfigAreTheUsersAtStartup() throws Exception {
        List<String> users = List.of("--user", "alice", "on", ">pw", "~k*", "+get", "--user", "default", "on", "nopass",
                "~*", "+@all");
        try (RedisCommandLine.Started redis = RedisCommandLine.start(directory, users);
             NuthatchServer nuthatch = startNuthatch("user alice on >pw ~k* +get\nuser default on nopass ~* +@all\n");
             RawConnection reference = new RawConnection(redis.port());
             RawConnection candidate = new RawConnection(nuthatch.port())) {
            assertEquals(text(reference.call("ACL", "LIST")), text(candidate.call("ACL", "LIST")));
            // The default user declared without channels may not publish.
            assertEquals(text(reference.call("PUBLISH", "ch", "x")), text(candidate.call("PUBLISH", "ch", "x")));
            assertEquals(text(reference.call("AUTH", "alice", "pw")), text(candidate.call("AUTH", "alice", "pw")));
            assertEquals(text(reference.call("GET", "k1")), text(candidate.call("GET", "k1")));
            assertEquals(text(reference.call("GET", "x")), text(candidate.call("GET", "x")));
        }
    }

    @Test
    void userLinesAndAnAclfileTogetherStopStartupAsInRedis() throws Exception {
        Path aclfile = directory.resolve("users.acl");
        Files.writeString(aclfile, "user default on nopass ~* &* +@all\n");
        Path conf = directory.resolve("both.conf");
        Files.writeString(conf, "port " + io.nuthatch.server.testing.RedisServerProcess.freePort() + "\nuser alice on\naclfile " + aclfile + "\n");
        RedisCommandLine.Exit redis = RedisCommandLine.run(directory, List.of(conf.toString()), null);
        String[] nuthatch = runMain(conf.toString(), "--port", Integer.toString(io.nuthatch.server.testing.RedisServerProcess.freePort()), "--exporter-port", "0", "--save", "");
        String message = "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path"
                + " is invalid.";
        assertEquals(1, redis.status());
        assertTrue(redis.out().contains(message), redis.out());
        assertEquals("1", nuthatch[0]);
        assertTrue(nuthatch[1].contains(message), nuthatch[1]);
    }

    @Test
    void badUserLinesAreRefusedWithRedisMessages() throws Exception {
        List<String[]> cases = List.of(
                new String[] {"user u2 on\nuser u2 off\n", "Error in user declaration 'u2': Duplicate user found."
                        + " A user can only be defined once in config files"},
                new String[] {"user u3 bogus\n", "Error in user declaration 'user': Syntax error"},
                new String[] {"user u2 on +nosuch\n", "Error loading ACL rule '+nosuch' for the user named 'u2':"
                        + " Unknown command or category name in ACL"});
        for (String[] testCase : cases) {
            Path conf = directory.resolve("users.conf");
            Files.writeString(conf, "port " + io.nuthatch.server.testing.RedisServerProcess.freePort() + "\n" + testCase[0]);
            RedisCommandLine.Exit redis = RedisCommandLine.run(directory, List.of(conf.toString()), null);
            String[] nuthatch = runMain(conf.toString(), "--port", Integer.toString(io.nuthatch.server.testing.RedisServerProcess.freePort()), "--exporter-port", "0", "--save", "");
            assertEquals(1, redis.status());
            assertTrue((redis.out() + redis.err()).contains(testCase[1]), redis.out() + redis.err());
            assertEquals("1", nuthatch[0], nuthatch[1]);
            assertTrue(nuthatch[1].contains(testCase[1]), nuthatch[1]);
        }
    }

    @Test
    void aMissingOrInvalidAclfileStopsStartupAsInRedis() throws Exception {
        Path missing = directory.resolve("missing.acl");
        Path invalid = directory.resolve("invalid.acl");
        Files.writeString(invalid, "user u1 on\nuser u1 off\nnot a user\n");
        for (Path aclfile : List.of(missing, invalid)) {
            List<String> arguments = List.of("--port",
                    Integer.toString(io.nuthatch.server.testing.RedisServerProcess.freePort()), "--aclfile", aclfile.toString());
            RedisCommandLine.Exit redis = RedisCommandLine.run(directory, arguments, null);
            List<String> ours = new ArrayList<>(arguments);
            ours.addAll(List.of("--exporter-port", "0", "--save", ""));
            String[] nuthatch = runMain(ours.toArray(String[]::new));
            String line = redis.out().lines().filter(l -> l.contains("Aborting Redis startup")).findFirst().orElseThrow();
            assertEquals("1", nuthatch[0], nuthatch[1]);
            assertTrue(nuthatch[1].contains(line.substring(line.indexOf("Aborting"))), nuthatch[1] + "\n" + line);
        }
    }


    @Test
    void configRewriteWritesTheUsersInForce() throws Exception {
        Path redisConf = directory.resolve("redis.conf");
        Path ourConf = directory.resolve("nuthatch.conf");
        String users = "user alice on >pw ~k* +get\n";
        Files.writeString(redisConf, users);
        Files.writeString(ourConf, users);
        ServerConfig config = new ServerConfig().useFreePort();
        config.configFile(ourConf);
        new ConfigLoader(config, null).load(ourConf, null, "bind 127.0.0.1\nsave \"\"\nexporter-port 0");
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        try (RedisCommandLine.Started redis = RedisCommandLine.start(directory, List.of(redisConf.toString()));
             NuthatchServer nuthatch = NuthatchServer.start(config, log);
             RawConnection reference = new RawConnection(redis.port());
             RawConnection candidate = new RawConnection(nuthatch.port())) {
            for (RawConnection connection : List.of(reference, candidate)) {
                connection.call("ACL", "SETUSER", "bob", "on", ">x", "&ch", "+@read");
                connection.call("ACL", "DELUSER", "alice");
                assertEquals("+OK\r\n", text(connection.call("CONFIG", "REWRITE")));
            }
        }
        assertEquals(userLines(redisConf), userLines(ourConf));
        assertTrue(userLines(ourConf).contains("user bob on"), userLines(ourConf));
    }

    private static String userLines(Path file) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("user ")) {
                lines.append(line).append('\n');
            }
        }
        return lines.toString();
    }
}
