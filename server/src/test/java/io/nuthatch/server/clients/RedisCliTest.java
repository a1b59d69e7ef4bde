package io.nuthatch.server.clients;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's redis-cli against Nuthatch, each invocation compared with the same one against
 * redis-server: commands on the command line, lines on stdin, --pipe mass insertion, --no-raw
 * and -3 (RESP3) output.
 */
class RedisCliTest {
    private static NuthatchServer nuthatch;
    private static RedisServerProcess redis;

    @BeforeAll
    static void start() throws IOException {
        nuthatch = ReferencePair.startNuthatch();
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stop() {
        if (nuthatch != null) {
            nuthatch.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        for (int port : new int[] {nuthatch.port(), redis.port()}) {
            try (RawConnection connection = new RawConnection(port)) {
                assertEquals("+OK\\r\\n", Resp.escape(connection.call("FLUSHALL")));
            }
        }
    }

    @Test
    void commandOnTheCommandLine() throws Exception {
        assertEquals("OK\n", same("set", "a", "b"));
        assertEquals("b\n", same("get", "a"));
        assertEquals("\n", same("get", "missing"));
        assertEquals("hello world\n", same("echo", "hello world"));
        assertEquals("OK\n", same("set", "k", "v", "EX", "100", "NX"));
        assertEquals("\n", same("set", "k", "v2", "NX"));
        assertEquals("v\n", same("set", "k", "v3", "GET"));
        assertEquals("2\n", same("dbsize"));
        assertEquals("0\n", same("-n", "5", "dbsize"));
        assertTrue(same("set", "k").startsWith("ERR wrong number of arguments for 'set' command"));
    }

    @Test
    void noRawOutput() throws Exception {
        assertEquals("PONG\n", same("--no-raw", "ping"));
        assertEquals("(nil)\n", same("--no-raw", "get", "missing"));
        same("set", "x", "1");
        assertEquals("(integer) 1\n", same("--no-raw", "dbsize"));
        assertEquals("\"1\"\n", same("--no-raw", "get", "x"));
        assertEquals("(error) ERR syntax error\n", same("--no-raw", "set", "x", "1", "XX", "NX"));
    }

    /** redis-cli -3 sends HELLO 3 first and prints RESP3 types its own way. */
    @Test
    void resp3Output() throws Exception {
        assertEquals("PONG\n", same("-3", "--no-raw", "ping"));
        assertEquals("(nil)\n", same("-3", "--no-raw", "get", "missing"));
        String hello = withoutClientId(same(List.of("-3", "--no-raw", "hello", "3"), new byte[0], true));
        assertTrue(hello.contains("1# \"server\" => \"redis\"\n"), hello);
        assertTrue(hello.contains("3# \"proto\" => (integer) 3\n"), hello);
        assertEquals(withoutClientId(run(redis.port(), List.of("-3", "hello", "2"), new byte[0])),
                withoutClientId(run(nuthatch.port(), List.of("-3", "hello", "2"), new byte[0])));
    }

    /** Without a command, redis-cli reads commands from stdin, one per line, split with Redis's quoting rules. */
    @Test
    void commandsReadFromStdin() throws Exception {
        String lines = String.join("\n",
                "SET k \"a b\"",
                "GET k",
                "PING",
                "GET missing",
                "ECHO \"tab\\there\\x41\"",
                "ECHO 'single \\' quote'",
                "SELECT 2",
                "DBSIZE",
                "SET",
                "SELECT 99",
                "ECHO done") + "\n";
        String output = same(List.of(), lines.getBytes(StandardCharsets.UTF_8), false);
        assertEquals("OK\na b\nPONG\n\ntab\thereA\nsingle ' quote\nOK\n0\n"
                + "ERR wrong number of arguments for 'set' command\n\n"
                + "ERR DB index is out of range\n\ndone\n", output);
    }

    /** Mass insertion: 100000 SETs streamed with --pipe; redis-cli counts the replies and errors. */
    @Test
    void massInsertionWithPipe() throws Exception {
        int count = 100_000;
        ByteArrayOutputStream input = new ByteArrayOutputStream(count * 48);
        for (int i = 0; i < count; i++) {
            input.writeBytes(Resp.request("SET", "key:" + i, "value:" + i));
        }
        String output = run(nuthatch.port(), List.of("--pipe"), input.toByteArray());
        assertTrue(output.contains("errors: 0, replies: " + count), output);
        try (RawConnection connection = new RawConnection(nuthatch.port())) {
            assertEquals(":" + count + "\\r\\n", Resp.escape(connection.call("DBSIZE")));
            assertEquals("$11\\r\\nvalue:99999\\r\\n", Resp.escape(connection.call("GET", "key:99999")));
        }
    }

    @Test
    void pipeCountsErrors() throws Exception {
        byte[] input = (new String(Resp.request("SET", "a", "1"), StandardCharsets.ISO_8859_1)
                + new String(Resp.request("SET", "a"), StandardCharsets.ISO_8859_1)
                + "PING\r\n").getBytes(StandardCharsets.ISO_8859_1);
        String output = run(nuthatch.port(), List.of("--pipe"), input);
        assertTrue(output.contains("errors: 1, replies: 3"), output);
    }

    private static String same(String... arguments) throws Exception {
        return same(List.of(arguments), new byte[0], false);
    }

    /** Runs redis-cli against both servers and checks that they print the same thing. */
    private static String same(List<String> arguments, byte[] stdin, boolean maskClientId) throws Exception {
        String expected = run(redis.port(), arguments, stdin);
        String actual = run(nuthatch.port(), arguments, stdin);
        if (maskClientId) {
            expected = withoutClientId(expected);
            actual = withoutClientId(actual);
        }
        assertEquals(expected, actual, "redis-cli " + String.join(" ", arguments) + ": redis-server vs Nuthatch");
        return actual;
    }

    /** Drops the line after "id" (the client id differs between servers), in raw and in --no-raw form. */
    private static String withoutClientId(String output) {
        List<String> kept = new ArrayList<>();
        String[] lines = output.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals("id") && i + 1 < lines.length) {
                kept.add("id");
                kept.add("<id>");
                i++;
            } else if (lines[i].contains("\"id\" => ")) {
                kept.add(lines[i].substring(0, lines[i].indexOf("=>")) + "=> <id>");
            } else {
                kept.add(lines[i]);
            }
        }
        return String.join("\n", kept);
    }

    static String run(int port, List<String> arguments, byte[] stdin) throws Exception {
        List<String> command = new ArrayList<>(List.of(RedisServerProcess.tool("redis-cli"), "-p", Integer.toString(port)));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("redis-cli " + command + " did not finish");
        }
        return new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
