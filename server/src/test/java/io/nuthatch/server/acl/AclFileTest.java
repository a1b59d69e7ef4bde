package io.nuthatch.server.acl;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ConfigLoader;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ACL LOAD and ACL SAVE with an aclfile, next to redis-server. */
class AclFileTest {
    @TempDir
    Path directory;

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
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
    void aclLoadAndSaveAsInRedis() throws Exception {
        Path aclfile = directory.resolve("shared.acl");
        Files.writeString(aclfile, "user default on nopass ~* &* +@all\nuser u1 on >p1 ~k* +get\n");
        List<String> arguments = List.of("--aclfile", aclfile.toString(), "--save", "");
        try (RedisCommandLine.Started redis = RedisCommandLine.start(directory, arguments);
             NuthatchServer nuthatch = startNuthatch("aclfile " + aclfile + "\n");
             RawConnection reference = new RawConnection(redis.port());
             RawConnection candidate = new RawConnection(nuthatch.port())) {
            assertEquals(text(reference.call("ACL", "LIST")), text(candidate.call("ACL", "LIST")));
            for (String content : List.of(
                    "user default on nopass ~* &* +@all\nuser u1 on >p1 ~k* +get\nuser u1 foo\n  user   u3   on  \n",
                    "user u1 on \"abc\n\n# comment\nuser\n",
                    "user u1 on +nosuch &a allchannels\n",
                    "user u1 on\r\nuser u2 on allchannels &x\n",
                    "user u1 on >x &a ~b* +@read -get\n\n\nuser default on nopass ~* +@all\n",
                    "user u1 on >x ~k* +get (~w* +set) (%R~r* &ch +@read)\nuser u2 (on)\n",
                    "user u1 on >x ~k* +get (~w* +set) (%R~r* &ch +@read) (+select|0)\n")) {
                Files.writeString(aclfile, content);
                assertEquals(text(reference.call("ACL", "LOAD")), text(candidate.call("ACL", "LOAD")), content);
                assertEquals(text(reference.call("ACL", "LIST")), text(candidate.call("ACL", "LIST")), content);
            }
            reference.call("ACL", "SETUSER", "u9", "on", ">pw", "&ch*", "+@read", "-get", "%R~r*", "(~s* +set)");
            candidate.call("ACL", "SETUSER", "u9", "on", ">pw", "&ch*", "+@read", "-get", "%R~r*", "(~s* +set)");
            assertEquals("+OK\r\n", text(reference.call("ACL", "SAVE")));
            String saved = Files.readString(aclfile);
            Files.delete(aclfile);
            assertEquals("+OK\r\n", text(candidate.call("ACL", "SAVE")));
            assertEquals(saved, Files.readString(aclfile));
            try (var files = Files.list(directory)) {
                assertEquals(0, files.filter(f -> f.getFileName().toString().contains(".tmp-")).count());
            }
            Files.delete(aclfile);
            assertEquals(text(reference.call("ACL", "LOAD")), text(candidate.call("ACL", "LOAD")));
        }
    }

    /** redis-server 7.0.15 crashes on this file; we refuse it and keep the users as they were. */
    @Test
    void aclLoadRefusesASelectorNeverClosed() throws Exception {
        Path aclfile = directory.resolve("unclosed.acl");
        Files.writeString(aclfile, "user u1 on nopass ~k* +get\n");
        try (NuthatchServer nuthatch = startNuthatch("aclfile " + aclfile + "\n");
             RawConnection client = new RawConnection(nuthatch.port())) {
            String before = text(client.call("ACL", "LIST"));
            Files.writeString(aclfile, "user u1 on nopass (~a +get\nuser u2 on (+set ~b)\n");
            String reply = text(client.call("ACL", "LOAD"));
            assertTrue(reply.startsWith("-ERR ") && reply.contains(aclfile + ":1: Unmatched parenthesis"), reply);
            assertEquals(before, text(client.call("ACL", "LIST")));
        }
    }

    @Test
    void aclLoadClosesTheConnectionsOfEveryUserButDefault() throws Exception {
        Path aclfile = directory.resolve("users.acl");
        Files.writeString(aclfile, "user u1 on >p1 +@all ~*\n");
        try (NuthatchServer nuthatch = startNuthatch("aclfile " + aclfile + "\n");
             RawConnection admin = new RawConnection(nuthatch.port());
             RawConnection asDefault = new RawConnection(nuthatch.port());
             RawConnection asUser = new RawConnection(nuthatch.port());
             RawConnection loading = new RawConnection(nuthatch.port())) {
            assertEquals("+OK\r\n", text(asUser.call("AUTH", "u1", "p1")));
            assertEquals("+OK\r\n", text(loading.call("AUTH", "u1", "p1")));
            assertEquals("+PONG\r\n", text(asDefault.call("PING")));
            assertEquals("+OK\r\n", text(loading.call("ACL", "LOAD")));
            assertTrue(loading.isClosedByServer(5000));
            assertTrue(asUser.isClosedByServer(5000));
            assertEquals("+PONG\r\n", text(asDefault.call("PING")));
            assertEquals("+PONG\r\n", text(admin.call("PING")));
        }
    }
}
