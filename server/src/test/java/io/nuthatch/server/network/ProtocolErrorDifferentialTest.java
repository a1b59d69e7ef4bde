package io.nuthatch.server.network;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hostile and odd bytes sent to redis-server and to Nuthatch on fresh connections: both must send
 * the same replies, byte for byte, and then both close the connection or both keep it open.
 */
class ProtocolErrorDifferentialTest {
    private static final int QUIET_MILLIS = 300;
    private static final int PATIENT_QUIET_MILLIS = 2000;
    private static final String SIXTY_FOUR_KIB = "x".repeat(64 * 1024);

    private record Case(String name, String bytes) {
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("count not a number", "*abc\r\n"));
        cases.add(new Case("count with plus sign", "*+1\r\n"));
        cases.add(new Case("count above INT_MAX", "*3000000000\r\n"));
        cases.add(new Case("count of INT_MAX waits", "*2147483647\r\n"));
        cases.add(new Case("count empty", "*\r\nPING\r\n"));
        cases.add(new Case("count with leading zero", "*01\r\n$4\r\nPING\r\n"));
        cases.add(new Case("empty multibulk ignored", "*0\r\nPING\r\n"));
        cases.add(new Case("null multibulk ignored", "*-1\r\nPING\r\n"));
        cases.add(new Case("negative multibulk ignored", "*-5\r\nPING\r\n"));
        cases.add(new Case("bulk length not a number", "*1\r\n$abc\r\n"));
        cases.add(new Case("bulk length negative", "*1\r\n$-1\r\n"));
        cases.add(new Case("bulk length empty", "*1\r\n$\r\n"));
        cases.add(new Case("bulk length above proto-max-bulk-len", "*1\r\n$536870913\r\n"));
        cases.add(new Case("bulk length at proto-max-bulk-len waits", "*1\r\n$536870912\r\nabc"));
        cases.add(new Case("expected dollar got x", "*1\r\nx4\r\nPING\r\n"));
        cases.add(new Case("expected dollar got colon", "*1\r\n:4\r\n"));
        cases.add(new Case("expected dollar got high byte", "*1\r\n\u00ff4\r\n"));
        cases.add(new Case("unbalanced double quotes", "SET \"a b\r\n"));
        cases.add(new Case("unbalanced single quotes", "SET 'a\r\n"));
        cases.add(new Case("closing quote followed by a letter", "ECHO a\"b c\"d\r\n"));
        cases.add(new Case("requests before an error are answered", "PING\r\n*1\r\n$4\r\nECHO\r\n*abc\r\nPING\r\n"));
        cases.add(new Case("inline requests before an error are answered", "PING\r\n\"abc\r\nPING\r\n"));
        cases.add(new Case("empty inline lines ignored", "\r\n\r\n\n   \r\nPING\r\n"));
        cases.add(new Case("line feed alone ends inline lines", "PING\nECHO hi\n"));
        cases.add(new Case("two bytes after a bulk are skipped unchecked", "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n"));
        cases.add(new Case("any byte after a header CR is taken as LF", "*1\rX$4\r\nPING\r\n"));
        cases.add(new Case("carriage return alone separates inline arguments", "PING\rPING\r\n"));
        cases.add(new Case("inline line with NUL waits", "ECHO a\u0000b\r\nPING\r\n"));
        cases.add(new Case("count line with NUL waits", "*1\u0000\r\n$4\r\nPING\r\n"));
        cases.add(new Case("NUL after a header CR is fine", "*1\r\u0000$4\r\nPING\r\n"));
        cases.add(new Case("NUL inside a bulk is fine", "*2\r\n$4\r\nECHO\r\n$3\r\na\u0000b\r\n"));
        cases.add(new Case("inline escapes", "ECHO \"\\x41\\x4g\\n\\t\\\\\\\"\\q\"\r\n"));
        cases.add(new Case("inline single quotes", "ECHO 'a\\'b\\nc'\r\n"));
        cases.add(new Case("inline quotes inside a token", "ECHO ab\"c d\"\r\n"));
        cases.add(new Case("inline vertical tab is not a separator", "ECHO a\u000bb\r\n"));
        cases.add(new Case("inline empty quotes", "ECHO \"\"\r\n"));
        cases.add(new Case("inline request of 64 KiB waits", "A".repeat(64 * 1024)));
        cases.add(new Case("inline request over 64 KiB", "A".repeat(64 * 1024 + 1)));
        cases.add(new Case("inline line with NUL over 64 KiB", "ECHO a\u0000b\r\n" + SIXTY_FOUR_KIB));
        cases.add(new Case("count line over 64 KiB", "*" + "1".repeat(64 * 1024 + 1)));
        cases.add(new Case("count line with NUL over 64 KiB", "*1\u0000\r\n" + SIXTY_FOUR_KIB));
        cases.add(new Case("bulk length line over 64 KiB", "*1\r\n$" + "1".repeat(64 * 1024 + 1)));
        cases.add(new Case("unknown command", "NOSUCHCOMMAND a b\r\n*1\r\n$4\r\nPING\r\n"));
        cases.add(new Case("QUIT closes after OK and ignores what follows", "PING\r\nQUIT\r\nPING\r\n"));
        cases.add(new Case("QUIT as multibulk", "*1\r\n$4\r\nQUIT\r\n"));
        return cases;
    }

    private static List<Case> authenticationCases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("more than 10 arguments before AUTH", "*11\r\n"));
        cases.add(new Case("10 arguments before AUTH wait", "*10\r\n"));
        cases.add(new Case("argument over 16 KiB before AUTH", "*1\r\n$16385\r\n"));
        cases.add(new Case("argument of 16 KiB before AUTH waits", "*1\r\n$16384\r\n"));
        cases.add(new Case("commands before AUTH", "PING\r\nECHO " + "a".repeat(20_000) + "\r\n"));
        cases.add(new Case("limits lifted by HELLO AUTH", "HELLO 2 AUTH default secret\r\n*11\r\n$4\r\nPING\r\n"
                + "*2\r\n$4\r\nECHO\r\n$16385\r\n" + "b".repeat(16385) + "\r\n"));
        cases.add(new Case("limits kept after a wrong password", "HELLO 2 AUTH default wrong\r\n*11\r\n"));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> sameRepliesAndSameClosing() {
        ReferencePair pair = ReferencePair.shared();
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(),
                () -> compare(c, pair::redisPort, pair::nuthatchPort)));
    }

    @TestFactory
    Stream<DynamicTest> sameLimitsBeforeAuthentication() throws IOException {
        // Started open and then locked: RedisServerProcess waits for a PONG that requirepass would refuse.
        RedisServerProcess redis = RedisServerProcess.start();
        try (RawConnection connection = new RawConnection(redis.port())) {
            assertEquals("+OK\\r\\n", Resp.escape(connection.call("CONFIG", "SET", "requirepass", "secret")));
        }
        NuthatchServer nuthatch = ReferencePair.startNuthatch("requirepass", "secret");
        return authenticationCases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> compare(c, redis::port, nuthatch::port)))
                .onClose(() -> {
                    nuthatch.close();
                    redis.close();
                });
    }

    private static void compare(Case c, IntSupplier redisPort, IntSupplier nuthatchPort) throws Exception {
        byte[] bytes = c.bytes().getBytes(StandardCharsets.ISO_8859_1);
        String[] both = exchange(bytes, redisPort.getAsInt(), nuthatchPort.getAsInt(), QUIET_MILLIS);
        if (!both[0].equals(both[1])) {
            // A loaded machine may be slow to answer: look again, with more patience, before failing.
            both = exchange(bytes, redisPort.getAsInt(), nuthatchPort.getAsInt(), PATIENT_QUIET_MILLIS);
        }
        assertEquals(both[0], both[1], c.name() + ": redis-server vs Nuthatch");
    }

    private static String[] exchange(byte[] bytes, int redisPort, int nuthatchPort, int quietMillis) throws Exception {
        CompletableFuture<Exchange> redis = CompletableFuture.supplyAsync(() -> run(redisPort, bytes, quietMillis));
        Exchange nuthatch = run(nuthatchPort, bytes, quietMillis);
        return new String[] {shown(redis.get()), shown(nuthatch)};
    }

    private static Exchange run(int port, byte[] bytes, int quietMillis) {
        try {
            return Exchange.of(port, bytes, quietMillis);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The replies, with client ids masked, and whether the connection was closed (by FIN or reset alike). */
    private static String shown(Exchange exchange) {
        String replies = String.join(" | ", exchange.replies()).replaceAll("\\$2\\\\r\\\\nid\\\\r\\\\n:\\d+", "id:<n>");
        String end = exchange.end() == Exchange.End.MALFORMED ? "MALFORMED " + exchange.malformation()
                : exchange.closed() ? "closed" : "open";
        return replies + " then " + end;
    }
}
