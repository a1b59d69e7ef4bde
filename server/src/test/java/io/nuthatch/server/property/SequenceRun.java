package io.nuthatch.server.property;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import io.nuthatch.server.testing.UnorderedReply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a generated sequence of operations on redis-server and on Nuthatch (the shared pair of
 * {@link ReferencePair}), from empty databases and default encoding thresholds: every reply must
 * be the same (as its {@link Operation.Comparison} says), and so must the dataset at the end
 * ({@link DatasetDump}). A failure names the operation, the sequence up to it, and both replies;
 * jqwik then shrinks the sequence and prints the seed that repeats it.
 *
 * <p>A type whose commands Nuthatch does not have yet (its first command unknown to COMMAND INFO)
 * is run against a second redis-server instead, as the differential scripts' redis-only cases
 * are: the generators and the comparisons are exercised, and the day the type lands, the same
 * property compares it with Redis. {@link #candidateName} says which it was.
 */
final class SequenceRun {
    /** Every directive a sequence may change, at Redis 7.0's defaults, set before and after each sequence. */
    private static final String[] DEFAULTS = {"CONFIG", "SET", "hash-max-listpack-entries", "512",
        "hash-max-listpack-value", "64", "set-max-intset-entries", "512", "zset-max-listpack-entries", "128",
        "zset-max-listpack-value", "64", "list-max-listpack-size", "-2", "stream-node-max-entries", "100",
        "hll-sparse-max-bytes", "3000"};

    private static final Map<Integer, RawConnection> CONNECTIONS = new HashMap<>();
    private static final Map<String, Integer> CANDIDATE_PORTS = new HashMap<>();

    private SequenceRun() {
    }

    /**
     * Runs the operations on both servers and compares replies and final datasets.
     *
     * @param typeCommand a command of the type under test: when Nuthatch does not know it, the
     *                    second redis-server stands in for Nuthatch
     */
    static void compare(String typeCommand, List<Operation> operations) {
        ReferencePair servers = ReferencePair.shared();
        try {
            RawConnection redis = connection(servers.redisPort());
            RawConnection candidate = connection(candidatePort(typeCommand));
            reset(redis, candidate);
            try {
                for (int i = 0; i < operations.size(); i++) {
                    Operation operation = operations.get(i);
                    List<byte[]> request = request(operation.words());
                    byte[] expected = redis.call(request);
                    byte[] actual = candidate.call(request);
                    if (!same(expected, actual, operation.comparison())) {
                        throw new AssertionError("operation " + (i + 1) + " of " + operations.size() + ": " + operation
                                + "\n  redis-server: " + Resp.escape(expected) + "\n  " + candidateName(typeCommand)
                                + ": " + Resp.escape(actual) + "\n" + listed(operations, i));
                    }
                }
                String expectedDump = DatasetDump.of(redis);
                String actualDump = DatasetDump.of(candidate);
                if (!expectedDump.equals(actualDump)) {
                    throw new AssertionError("the datasets differ after the sequence\n" + listed(operations,
                            operations.size() - 1) + "redis-server:\n" + expectedDump + candidateName(typeCommand)
                            + ":\n" + actualDump);
                }
            } finally {
                reset(redis, candidate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "nuthatch", or "second redis-server" while Nuthatch lacks the type's command. */
    static String candidateName(String typeCommand) {
        return candidatePort(typeCommand) == ReferencePair.shared().nuthatchPort() ? "nuthatch"
                : "second redis-server";
    }

    private static synchronized int candidatePort(String typeCommand) {
        return CANDIDATE_PORTS.computeIfAbsent(typeCommand, command -> {
            ReferencePair servers = ReferencePair.shared();
            try {
                Object info = RespValue.parse(connection(servers.nuthatchPort()).call("COMMAND", "INFO", command));
                boolean known = info instanceof List<?> list && !list.isEmpty() && list.get(0) != null;
                return known ? servers.nuthatchPort() : servers.secondRedisPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The connection kept to a server, opened again when the server closed it: other test classes
     * share the servers, and one that kills clients (CLIENT KILL, a timeout) may close it.
     */
    private static synchronized RawConnection connection(int port) throws IOException {
        RawConnection connection = CONNECTIONS.get(port);
        if (connection != null && connection.awaitArrival(1) == RawConnection.Arrival.CLOSED) {
            connection.close();
            connection = null;
        }
        if (connection == null) {
            connection = new RawConnection(port);
            CONNECTIONS.put(port, connection);
        }
        return connection;
    }

    private static void reset(RawConnection... connections) throws IOException {
        for (RawConnection connection : connections) {
            connection.call("FLUSHALL");
            byte[] reply = connection.call(DEFAULTS);
            if (!Arrays.equals(reply, "+OK\r\n".getBytes(StandardCharsets.US_ASCII))) {
                throw new AssertionError("could not set the encoding directives back: " + Resp.escape(reply));
            }
        }
    }

    private static boolean same(byte[] expected, byte[] actual, Operation.Comparison comparison) {
        if (Arrays.equals(expected, actual)) {
            return true;
        }
        if (expected == null || actual == null || expected.length == 0 || actual.length == 0) {
            return false;
        }
        return switch (comparison) {
            case EXACT -> false;
            case UNORDERED -> Arrays.equals(UnorderedReply.canonical(expected, UnorderedReply.Levels.TOP),
                    UnorderedReply.canonical(actual, UnorderedReply.Levels.TOP));
            case UNORDERED_PAIRS -> Arrays.equals(UnorderedReply.canonical(expected, PAIRS),
                    UnorderedReply.canonical(actual, PAIRS));
            case SHAPE -> shape(expected).equals(shape(actual));
        };
    }

    private static final UnorderedReply.Levels PAIRS = UnorderedReply.Levels.parse(List.of("pairs"));

    /** The type byte, and the element count of an aggregate; an error in full. */
    private static String shape(byte[] reply) {
        char type = (char) reply[0];
        if (type == '-' || type == ':') {
            return new String(reply, StandardCharsets.ISO_8859_1);
        }
        if (type == '*' || type == '~' || type == '%') {
            int end = 1;
            while (reply[end] != '\r') {
                end++;
            }
            return new String(reply, 0, end, StandardCharsets.ISO_8859_1);
        }
        return String.valueOf(type);
    }

    private static List<byte[]> request(List<String> words) {
        List<byte[]> request = new ArrayList<>(words.size());
        for (String word : words) {
            request.add(word.getBytes(StandardCharsets.ISO_8859_1));
        }
        return request;
    }

    private static String listed(List<Operation> operations, int last) {
        StringBuilder text = new StringBuilder("the sequence:\n");
        for (int i = 0; i <= last; i++) {
            text.append("  ").append(i + 1).append(". ").append(operations.get(i)).append('\n');
        }
        return text.toString();
    }
}
