package io.nuthatch.server.config;

import io.nuthatch.server.Engine;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.ConfigReplies;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisCommandLine;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What CONFIG SET and RESETSTAT change in the running server, beyond the replies. */
class ConfigCommandsTest {
    @TempDir
    Path directory;

    @Test
    void configSetPortListensOnTheNewPort() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            int oldPort = server.port();
            int newPort = RedisServerProcess.freePort();
            assertEquals("+OK\\r\\n", Resp.escape(connection.call("CONFIG", "SET", "port", Integer.toString(newPort))));
            assertEquals(newPort, server.port());
            try (RawConnection moved = new RawConnection(newPort)) {
                assertEquals("+PONG\\r\\n", Resp.escape(moved.call("PING")));
            }
            assertThrows(IOException.class, () -> new RawConnection(oldPort).close(), "the old port is closed");
            assertEquals("+PONG\\r\\n", Resp.escape(connection.call("PING")), "connected clients stay");
        }
    }

    @Test
    void aPortThatCannotBeListenedOnIsRefusedAndRolledBackAsInRedis() throws Exception {
        try (ServerSocket busy = new ServerSocket(0);
             RedisCommandLine.Started redis = RedisCommandLine.start(directory, List.of("--save", "", "--dir",
                     directory.toString()));
             NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection reference = new RawConnection(redis.port());
             RawConnection ours = new RawConnection(server.port())) {
            int startedOn = server.port();
            String busyPort = Integer.toString(busy.getLocalPort());
            for (String[] request : List.of(new String[] {"CONFIG", "SET", "port", busyPort},
                    new String[] {"CONFIG", "SET", "timeout", "7", "port", busyPort})) {
                String expected = Resp.escape(reference.call(request));
                assertTrue(expected.contains("Unable to listen on this port"), expected);
                assertEquals(expected, Resp.escape(ours.call(request)));
            }
            assertEquals(ConfigReplies.configGet(reference, "timeout"), ConfigReplies.configGet(ours, "timeout"));
            int port = server.port();
            assertEquals(startedOn, port, "back on the port it had");
            assertEquals(Integer.toString(port), ConfigReplies.configGet(ours, "port").get("port"));
            try (RawConnection again = new RawConnection(port)) {
                assertEquals("+PONG\\r\\n", Resp.escape(again.call("PING")), "still listening on the old port");
            }
        }
    }

    @Test
    void dirChangesAsChdirWhenProtectedConfigsAreEnabled() throws Exception {
        Path data = java.nio.file.Files.createDirectories(directory.resolve("data"));
        java.nio.file.Files.writeString(directory.resolve("file"), "");
        try (RedisCommandLine.Started redis = RedisCommandLine.start(directory, List.of("--save", "", "--dir",
                directory.toString(), "--enable-protected-configs", "yes"));
             NuthatchServer server = ReferencePair.startNuthatch("enable-protected-configs", "yes", "dir",
                     directory.toString());
             RawConnection reference = new RawConnection(redis.port());
             RawConnection ours = new RawConnection(server.port())) {
            for (String value : List.of("/nonexistent", directory.resolve("file").toString(),
                    directory.resolve("file/x").toString(), "", "data", "..", data.toString() + "/../data/.")) {
                assertEquals(Resp.escape(reference.call("CONFIG", "SET", "dir", value)),
                        Resp.escape(ours.call("CONFIG", "SET", "dir", value)), "dir " + value);
                assertEquals(ConfigReplies.configGet(reference, "dir"), ConfigReplies.configGet(ours, "dir"));
            }
            assertEquals(data.toRealPath(), server.engine().config().dir.path());
        }
    }

    @Test
    void configSetLoglevelChangesWhatIsLogged() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            ServerLog log = server.engine().log();
            assertTrue(!log.isEnabled(ServerLog.Level.VERBOSE));
            connection.call("CONFIG", "SET", "loglevel", "verbose");
            assertTrue(log.isEnabled(ServerLog.Level.VERBOSE));
            connection.call("CONFIG", "SET", "loglevel", "warning");
            assertTrue(!log.isEnabled(ServerLog.Level.NOTICE));
        }
    }

    @Test
    void configSetReachesTheTypedValuesTheServerReads() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            connection.call("CONFIG", "SET", "proto-max-bulk-len", "2mb", "maxmemory", "384mb", "save", "60 5");
            ServerConfig config = server.engine().config();
            assertEquals(2L * 1024 * 1024, server.engine().protocolLimits().maxBulkLength());
            assertEquals(384L * 1024 * 1024, config.maxmemory.value());
            assertEquals(List.of(new SaveDirective.Rule(60, 5)), config.persistence.save.rules());
        }
    }

    @Test
    void configResetstatZeroesTheServerAndCommandCounters() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            Engine engine = server.engine();
            connection.call("PING");
            connection.call("NOSUCHCOMMAND");
            connection.call("CONFIG", "GET", "maxmemory");
            engine.lock().lock();
            try {
                assertTrue(engine.stats().commandsProcessed > 0);
                assertTrue(engine.commands().find("ping").stats().calls() > 0);
            } finally {
                engine.lock().unlock();
            }
            assertEquals("+OK\\r\\n", Resp.escape(connection.call("CONFIG", "RESETSTAT")));
            engine.lock().lock();
            try {
                assertEquals(0, engine.stats().errorReplies);
                assertTrue(engine.stats().errorCounts().isEmpty());
                assertEquals(0, engine.commands().find("ping").stats().calls());
                assertEquals(0, engine.commands().find("config|get").stats().calls());
                // The RESETSTAT call itself is counted after the reset, as in Redis.
                assertEquals(1, engine.commands().find("config|resetstat").stats().calls());
            } finally {
                engine.lock().unlock();
            }
        }
    }
}
