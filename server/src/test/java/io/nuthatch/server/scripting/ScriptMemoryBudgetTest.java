package io.nuthatch.server.scripting;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scripts that allocate without bound end with an error reply and leave the server working, on a
 * server in a JVM of its own with a small heap (so that filling it harms no other test): a table
 * of large strings (seen by the memory budget at a checkpoint) and a string doubled by
 * concatenation (one allocation too large, refused at once).
 */
class ScriptMemoryBudgetTest {
    private static Process server;
    private static int port;
    private static Path log;

    @BeforeAll
    static void start() throws Exception {
        port = RedisServerProcess.freePort();
        log = Files.createTempFile("nuthatch-script-memory", ".log");
        server = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.nuthatch.server.Main",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--exporter-port", "0"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertTrue(server.isAlive(), () -> "the server exited: " + readLog());
            try (RawConnection connection = new RawConnection(port)) {
                if (Resp.escape(connection.call("PING")).equals("+PONG\\r\\n")) {
                    return;
                }
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < deadline, () -> "the server did not start: " + readLog());
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    @Test
    void aTableOfLargeStringsEndsWithAnErrorReply() throws IOException {
        assertScriptFailsAndTheServerGoesOn("local t = {} while true do t[#t + 1] = string.rep('x', 1000000) end");
    }

    @Test
    void aStringDoubledWithoutEndEndsWithAnErrorReply() throws IOException {
        assertScriptFailsAndTheServerGoesOn("local s = 'x' while true do s = s .. s end");
    }

    @Test
    void aTableOfLargeStringsInsidePcallEndsWithAnErrorReply() throws IOException {
        assertScriptFailsAndTheServerGoesOn(
                "local t = {} while true do pcall(function() t[#t + 1] = string.rep('y', 1000000) end) end");
    }

    private static void assertScriptFailsAndTheServerGoesOn(String script) throws IOException {
        try (RawConnection client = new RawConnection(port)) {
            // A heap filling up is slow to collect on a loaded machine.
            client.socket().setSoTimeout(120_000);
            String reply = Resp.escape(client.call("EVAL", script, "0"));
            assertTrue(reply.startsWith("-ERR "), reply);
            assertFalse(reply.contains("java"), reply);
            assertTrue(reply.contains(LuaScripts.sha1Hex(bytes(script), 0, bytes(script).length)), reply);
            assertEquals("+OK\\r\\n", Resp.escape(client.call("SET", "after", script)));
            assertEquals("$" + bytes(script).length + "\\r\\n" + script + "\\r\\n", Resp.escape(client.call("GET", "after")));
            assertEquals(":2\\r\\n", Resp.escape(client.call("EVAL", "return 1 + 1", "0")));
        }
        assertTrue(server.isAlive(), ScriptMemoryBudgetTest::readLog);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String readLog() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
