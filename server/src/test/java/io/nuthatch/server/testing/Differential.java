package io.nuthatch.server.testing;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

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
 *
 * <p>Each step runs on redis-server first, then on the other server, so a request sent with [send]
 * reaches both before the next line runs on either. The servers are shared by every test of the
 * JVM ({@link ReferencePair}); a case owns them only while it runs.
 */
public final class Differential {
    private static final String REFERENCE = "redis-server";
    private static final String CANDIDATE = "nuthatch";
    private static final String SECOND_REFERENCE = "second redis-server";
    private static final int CLOSE_WAIT_MILLIS = 5000;
    /** With -Ddifferential.trace=true every compared reply is printed, for writing and debugging scripts. */
    private static final boolean TRACE = Boolean.getBoolean("differential.trace");

    private Differential() {
    }

    public static Stream<DynamicNode> tests(String scriptName) {
        List<DifferentialScript.Case> cases = DifferentialScript.load(scriptName);
        return Stream.of(2, 3).map(protocol -> DynamicContainer.dynamicContainer("RESP" + protocol,
                cases.stream().filter(c -> c.runsIn(protocol))
                        .map(c -> DynamicTest.dynamicTest(c.displayName(), () -> run(c, protocol)))));
    }

    /** Runs one case against redis-server and Nuthatch, or against two redis-servers when it is redis-only. */
    static void run(DifferentialScript.Case testCase, int protocol) throws Exception {
        ReferencePair pair = ReferencePair.shared();
        try (CaseConnections reference = new CaseConnections(REFERENCE, pair.redisPort(), protocol);
             CaseConnections candidate = testCase.redisOnly()
                     ? new CaseConnections(SECOND_REFERENCE, pair.secondRedisPort(), protocol)
                     : new CaseConnections(CANDIDATE, pair.nuthatchPort(), protocol)) {
            for (DifferentialScript.Step step : testCase.steps()) {
                if (step.protocol() == 0 || step.protocol() == protocol) {
                    runStep(step, protocol, reference, candidate);
                }
            }
        }
    }

    private static void runStep(DifferentialScript.Step step, int protocol, CaseConnections reference,
                                CaseConnections candidate) throws Exception {
        String where = "line " + step.lineNumber() + ": " + step.text() + " (RESP" + protocol + ")";
        String name = step.connection();
        switch (step.action()) {
            case SLEEP -> Thread.sleep(step.millis());
            case CALL -> {
                byte[] expected = reference.call(name, step.arguments(), step.rawBytes(), where);
                byte[] actual = candidate.call(name, step.arguments(), step.rawBytes(), where);
                compare(where, step.comparison(), collectReplies(reference, step, expected, where),
                        collectReplies(candidate, step, actual, where), reference, candidate);
            }
            case SEND -> {
                reference.send(name, step.arguments(), step.rawBytes());
                candidate.send(name, step.arguments(), step.rawBytes());
            }
            case READ -> {
                byte[] expected = collectReplies(reference, step, reference.read(name, where), where);
                byte[] actual = collectReplies(candidate, step, candidate.read(name, where), where);
                compare(where, step.comparison(), expected, actual, reference, candidate);
            }
            case NO_REPLY -> expectNothing(where, name, step.millis(), reference, candidate);
            case BLOCKED -> {
                reference.awaitBlocked(name, where);
                candidate.awaitBlocked(name, where);
            }
            case BUSY -> {
                reference.awaitBusy(where);
                candidate.awaitBusy(where);
            }
            case CLOSED -> {
                expectClosed(where, name, reference);
                expectClosed(where, name, candidate);
            }
            case CLOSE -> {
                reference.close(name);
                candidate.close(name);
            }
        }
    }

    /**
     * The first reply alone, or with [replies N] the N replies as one array of them, which the
     * comparisons then treat as one reply. A closed connection ends the array early.
     */
    private static byte[] collectReplies(CaseConnections side, DifferentialScript.Step step, byte[] first,
                                         String where) throws IOException {
        if (step.replies() == 1) {
            return first;
        }
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        int count = 0;
        byte[] reply = first;
        while (reply != null) {
            replies.writeBytes(reply);
            if (++count == step.replies()) {
                break;
            }
            reply = side.read(step.connection(), where);
        }
        ByteArrayOutputStream array = new ByteArrayOutputStream();
        array.writeBytes(("*" + count + "\r\n").getBytes(StandardCharsets.US_ASCII));
        replies.writeTo(array);
        return array.toByteArray();
    }

    /** One wait for both servers: what either sends during it is a failure, shown with what it was. */
    private static void expectNothing(String where, String name, int millis, CaseConnections reference,
                                      CaseConnections candidate) throws Exception {
        reference.ensureOpen(name);
        candidate.ensureOpen(name);
        Thread.sleep(millis);
        RawConnection.Arrival onReference = reference.arrival(name, 1);
        RawConnection.Arrival onCandidate = candidate.arrival(name, 1);
        if (onReference == RawConnection.Arrival.NOTHING && onCandidate == RawConnection.Arrival.NOTHING) {
            return;
        }
        throw new AssertionError(where + ": expected nothing on @" + name + " within " + millis + " ms\n"
                + arrived(reference, name, onReference, where) + "\n" + arrived(candidate, name, onCandidate, where));
    }

    private static void expectClosed(String where, String name, CaseConnections side) throws IOException {
        RawConnection.Arrival arrival = side.arrival(name, CLOSE_WAIT_MILLIS);
        if (arrival != RawConnection.Arrival.CLOSED) {
            throw new AssertionError(where + ": expected " + side.serverName() + " to close @" + name + "\n"
                    + arrived(side, name, arrival, where));
        }
        side.close(name);
    }

    private static String arrived(CaseConnections side, String name, RawConnection.Arrival arrival, String where)
            throws IOException {
        return side.serverName() + ": " + switch (arrival) {
            case NOTHING -> "nothing";
            case CLOSED -> "closed the connection";
            case DATA -> "sent\n" + indent(ReplyDisplay.show(side.read(name, where)));
        };
    }

    /**
     * Fails with both replies shown one value per line, then as bytes; the compared forms go to
     * the failure's expected and actual values, for an IDE's diff.
     */
    static void compare(String where, ReplyComparison comparison, byte[] expected, byte[] actual,
                        CaseConnections reference, CaseConnections candidate) {
        String expectedForm = comparison.comparable(expected, reference);
        String actualForm = comparison.comparable(actual, candidate);
        if (TRACE) {
            System.out.println(where + "\n  " + reference.serverName() + ":\n" + indent(ReplyDisplay.show(expected))
                    + "\n  " + candidate.serverName() + ":\n" + indent(ReplyDisplay.show(actual))
                    + (comparison.comparesAllBytes() ? "" : "\n  compared forms:\n"
                    + indent(expectedForm) + "\n  and\n" + indent(actualForm)));
        }
        if (expectedForm.equals(actualForm)) {
            return;
        }
        StringBuilder message = new StringBuilder(where)
                .append("\n").append(reference.serverName()).append(":\n").append(indent(ReplyDisplay.show(expected)))
                .append("\n").append(candidate.serverName()).append(":\n").append(indent(ReplyDisplay.show(actual)));
        if (!comparison.comparesAllBytes()) {
            message.append("\ncompared forms (the line's prefix leaves the rest out):\n  ").append(reference.serverName())
                    .append(":\n").append(indent(expectedForm)).append("\n  ").append(candidate.serverName())
                    .append(":\n").append(indent(actualForm));
        }
        message.append("\nbytes:\n  ").append(Resp.escape(expected)).append("\n  ").append(Resp.escape(actual));
        throw new AssertionFailedError(message.toString(), expectedForm, actualForm);
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}
