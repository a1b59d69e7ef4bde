package io.nuthatch.server.testing;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a {@link DifferentialScript} against redis-server and Nuthatch, in RESP2 and in RESP3, as
 * JUnit dynamic tests: one test per case and protocol.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicNode> strings() {
 *     return Differential.tests("strings.redis");
 * }
 * }</pre>
 */
public final class Differential {
    private Differential() {
    }

    public static Stream<DynamicNode> tests(String scriptName) {
        List<DifferentialScript.Case> cases = DifferentialScript.load(scriptName);
        return Stream.of(2, 3).map(protocol -> DynamicContainer.dynamicContainer("RESP" + protocol,
                cases.stream().map(c -> DynamicTest.dynamicTest(c.title(), () -> run(c, protocol)))));
    }

    static void run(DifferentialScript.Case testCase, int protocol) throws Exception {
        ReferencePair pair = ReferencePair.shared();
        try (RawConnection redis = new RawConnection(pair.redisPort());
             RawConnection nuthatch = new RawConnection(pair.nuthatchPort())) {
            prepare(redis, protocol, "redis-server");
            prepare(nuthatch, protocol, "nuthatch");
            for (DifferentialScript.Step step : testCase.steps()) {
                runStep(step, protocol, redis, nuthatch);
            }
        }
    }

    private static void prepare(RawConnection connection, int protocol, String name) throws IOException {
        if (protocol == 3) {
            byte[] hello = connection.call("HELLO", "3");
            if (hello == null || hello[0] != '%') {
                fail(name + " did not switch to RESP3: " + Resp.escape(hello));
            }
        }
        byte[] flushed = connection.call("FLUSHALL");
        assertEquals("+OK\\r\\n", Resp.escape(flushed), name + " FLUSHALL");
    }

    private static void runStep(DifferentialScript.Step step, int protocol, RawConnection redis,
                                RawConnection nuthatch) throws Exception {
        String where = "line " + step.lineNumber() + ": " + step.text() + " (RESP" + protocol + ")";
        switch (step.mode()) {
            case "sleep" -> Thread.sleep(Long.parseLong(step.modeArgument()));
            case "raw" -> {
                redis.send(step.rawBytes());
                nuthatch.send(step.rawBytes());
                assertEquals(Resp.escape(redis.readReply()), Resp.escape(nuthatch.readReply()), where);
            }
            case "resp2", "resp3" -> {
                if (step.mode().equals("resp" + protocol)) {
                    compare(where, redis.call(step.arguments()), nuthatch.call(step.arguments()));
                }
            }
            case "any" -> {
                redis.call(step.arguments());
                nuthatch.call(step.arguments());
            }
            case "type" -> {
                byte[] expected = redis.call(step.arguments());
                byte[] actual = nuthatch.call(step.arguments());
                assertEquals(typeOf(expected), typeOf(actual), where + "\nredis-server: " + Resp.escape(expected)
                        + "\nnuthatch:     " + Resp.escape(actual));
            }
            case "unordered" -> {
                byte[] expected = redis.call(step.arguments());
                byte[] actual = nuthatch.call(step.arguments());
                assertEquals(Resp.escape(sortElements(expected)), Resp.escape(sortElements(actual)), where);
            }
            case "compare" -> compare(where, redis.call(step.arguments()), nuthatch.call(step.arguments()));
            default -> fail("unknown mode [" + step.mode() + "] at " + where);
        }
    }

    private static void compare(String where, byte[] expected, byte[] actual) {
        assertEquals(Resp.escape(expected), Resp.escape(actual), where);
    }

    private static String typeOf(byte[] reply) {
        return reply == null ? "<closed>" : String.valueOf((char) reply[0]);
    }

    /** The reply with the elements of its top-level aggregate sorted (pairs, for a map). */
    static byte[] sortElements(byte[] reply) throws IOException {
        if (reply == null || (reply[0] != '*' && reply[0] != '~' && reply[0] != '%')) {
            return reply;
        }
        int headerEnd = indexOfCrLf(reply) + 2;
        long count = Long.parseLong(new String(reply, 1, headerEnd - 3, StandardCharsets.US_ASCII));
        if (count <= 0) {
            return reply;
        }
        RespReplyReader reader = new RespReplyReader(
                new ByteArrayInputStream(reply, headerEnd, reply.length - headerEnd));
        int perElement = reply[0] == '%' ? 2 : 1;
        List<byte[]> elements = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            ByteArrayOutputStream element = new ByteArrayOutputStream();
            for (int j = 0; j < perElement; j++) {
                element.writeBytes(reader.readReply());
            }
            elements.add(element.toByteArray());
        }
        elements.sort(Comparator.comparing((byte[] e) -> e, Arrays::compare));
        ByteArrayOutputStream sorted = new ByteArrayOutputStream();
        sorted.write(reply, 0, headerEnd);
        elements.forEach(sorted::writeBytes);
        return sorted.toByteArray();
    }

    private static int indexOfCrLf(byte[] bytes) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("no CRLF");
    }
}
