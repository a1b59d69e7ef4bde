package io.nuthatch.server.persistence;

import io.nuthatch.server.testing.RawConnection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer that sends numbered writes of one kind over its own connection and records which were
 * sent and which were acknowledged, and the check that a restarted server holds a prefix of what
 * was sent that includes everything acknowledged. Each kind has a deterministic rewrite or a
 * database of its own, so the log's forms are exercised: a list pushed to, a counter, keys with an
 * expiry (SET EX, logged as SET PXAT) in database 3, and a list pushed to by pipelines of 16.
 */
final class WrittenHistory implements Runnable {
    enum Kind { LIST, COUNTER, EXPIRING_KEYS, PIPELINED_LIST }

    private static final int PIPELINE = 16;

    private final Kind kind;
    private final String name;
    private volatile int port;
    /** The next number to send; everything below it is in the dataset once verified. */
    private long next;
    private volatile long lastSent = -1;
    private volatile long lastAcknowledged = -1;
    private volatile long acknowledgedAtMillis;
    private final List<long[]> acknowledgements = new ArrayList<>();

    WrittenHistory(Kind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    Kind kind() {
        return kind;
    }

    long lastAcknowledged() {
        return lastAcknowledged;
    }

    void port(int port) {
        this.port = port;
    }

    /** Acknowledgements as {number, System.currentTimeMillis() when it came}, for the lost-fsync test. */
    synchronized List<long[]> acknowledgements() {
        return new ArrayList<>(acknowledgements);
    }

    /** Writes until the connection breaks (the server was killed). */
    @Override
    public void run() {
        try (RawConnection connection = new RawConnection(port)) {
            if (kind == Kind.EXPIRING_KEYS) {
                connection.call("SELECT", "3");
            }
            while (true) {
                if (kind == Kind.PIPELINED_LIST) {
                    StringBuilder batch = new StringBuilder();
                    for (int i = 0; i < PIPELINE; i++) {
                        batch.append(request("RPUSH", name, Long.toString(next + i)));
                    }
                    lastSent = next + PIPELINE - 1;
                    connection.send(batch.toString().getBytes(StandardCharsets.ISO_8859_1));
                    for (int i = 0; i < PIPELINE; i++) {
                        expectInteger(connection.readReply(), next + 1);
                        acknowledged(next);
                        next++;
                    }
                    continue;
                }
                lastSent = next;
                byte[] reply = switch (kind) {
                    case LIST -> connection.call("RPUSH", name, Long.toString(next));
                    case COUNTER -> connection.call("INCR", name);
                    default -> connection.call("SET", name + ":" + next, Long.toString(next), "EX", "100000");
                };
                if (kind == Kind.EXPIRING_KEYS) {
                    if (reply == null || !new String(reply, StandardCharsets.ISO_8859_1).equals("+OK\r\n")) {
                        return;
                    }
                } else {
                    expectInteger(reply, next + 1);
                }
                acknowledged(next);
                next++;
            }
        } catch (IOException | IllegalStateException killed) {
            // the server is gone: what was acknowledged is recorded
        }
    }

    private synchronized void acknowledged(long number) {
        lastAcknowledged = number;
        acknowledgedAtMillis = System.currentTimeMillis();
        acknowledgements.add(new long[] {number, acknowledgedAtMillis});
    }

    private static void expectInteger(byte[] reply, long expected) {
        if (reply == null) {
            throw new IllegalStateException("closed");
        }
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        if (!text.equals(":" + expected + "\r\n")) {
            throw new AssertionError("unexpected reply " + text.trim() + ", expected " + expected);
        }
    }

    private static String request(String... arguments) {
        StringBuilder out = new StringBuilder("*").append(arguments.length).append("\r\n");
        for (String argument : arguments) {
            out.append('$').append(argument.length()).append("\r\n").append(argument).append("\r\n");
        }
        return out.toString();
    }

    /**
     * Checks what the restarted server holds: numbers 0..k for a k between the last acknowledged
     * and the last sent, nothing else; then continues from k + 1 in the next round.
     *
     * @return the number of writes found
     */
    long verify(int serverPort, String round) throws IOException {
        long found;
        try (RawConnection connection = new RawConnection(serverPort)) {
            found = switch (kind) {
                case LIST, PIPELINED_LIST -> verifyList(connection, round);
                case COUNTER -> counter(connection);
                case EXPIRING_KEYS -> verifyKeys(connection, round);
            };
        }
        if (found - 1 < lastAcknowledged) {
            throw new AssertionError(round + ": " + name + " lost acknowledged writes: holds " + found
                    + " writes, the last acknowledged was number " + lastAcknowledged);
        }
        if (found - 1 > lastSent) {
            throw new AssertionError(round + ": " + name + " holds " + found + " writes, more than the "
                    + (lastSent + 1) + " sent");
        }
        next = found;
        lastSent = found - 1;
        lastAcknowledged = found - 1;
        return found;
    }

    /** The number of writes found, checking only that they are a prefix of what was sent. */
    long verifyPrefixOnly(int serverPort) throws IOException {
        try (RawConnection connection = new RawConnection(serverPort)) {
            long found = verifyList(connection, "after the lost tail");
            if (found - 1 > lastSent) {
                throw new AssertionError(name + " holds " + found + " writes, more than the " + (lastSent + 1) + " sent");
            }
            return found;
        }
    }

    private long verifyList(RawConnection connection, String round) throws IOException {
        List<String> values = array(connection.call("LRANGE", name, "0", "-1"));
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).equals(Long.toString(i))) {
                throw new AssertionError(round + ": " + name + " holds " + values.get(i) + " at index " + i
                        + ": not the prefix of what was sent");
            }
        }
        return values.size();
    }

    private long counter(RawConnection connection) throws IOException {
        String reply = new String(connection.call("GET", name), StandardCharsets.ISO_8859_1);
        if (reply.startsWith("$-1")) {
            return 0;
        }
        return Long.parseLong(reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2));
    }

    private long verifyKeys(RawConnection connection, String round) throws IOException {
        connection.call("SELECT", "3");
        long present = 0;
        boolean gap = false;
        for (long start = 0; start <= lastSent + 1; start += 500) {
            List<String> request = new ArrayList<>(List.of("MGET"));
            for (long n = start; n < start + 500; n++) {
                request.add(name + ":" + n);
            }
            List<String> values = array(connection.call(request.toArray(new String[0])));
            for (int i = 0; i < values.size(); i++) {
                long n = start + i;
                String value = values.get(i);
                if (value == null) {
                    gap = true;
                } else if (gap || !value.equals(Long.toString(n))) {
                    throw new AssertionError(round + ": " + name + ":" + n + " is " + value
                            + " after a missing key: not the prefix of what was sent");
                } else {
                    present++;
                }
            }
        }
        String ttl = new String(connection.call("TTL", name + ":0"), StandardCharsets.ISO_8859_1);
        if (present > 0 && !ttl.startsWith(":9")) {
            throw new AssertionError(round + ": " + name + ":0 lost its expiry: TTL " + ttl.trim());
        }
        return present;
    }

    /** An array reply of bulk strings (null for nil). */
    private static List<String> array(byte[] reply) {
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        List<String> values = new ArrayList<>();
        int position = text.indexOf("\r\n") + 2;
        int count = Integer.parseInt(text.substring(1, position - 2));
        for (int i = 0; i < count; i++) {
            int lineEnd = text.indexOf("\r\n", position);
            int length = Integer.parseInt(text.substring(position + 1, lineEnd));
            if (length < 0) {
                values.add(null);
                position = lineEnd + 2;
            } else {
                values.add(text.substring(lineEnd + 2, lineEnd + 2 + length));
                position = lineEnd + 2 + length + 2;
            }
        }
        return values;
    }
}
