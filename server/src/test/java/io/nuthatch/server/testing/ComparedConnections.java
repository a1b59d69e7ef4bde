package io.nuthatch.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One connection to the shared redis-server and one to the shared Nuthatch ({@link ReferencePair}),
 * both flushed when opened: each command goes to both and the replies must be the same bytes. For
 * generated tests, where a script of fixed cases would not reach the inputs.
 */
public final class ComparedConnections implements AutoCloseable {
    private final RawConnection redis;
    private final RawConnection nuthatch;
    private String context = "";

    private ComparedConnections(RawConnection redis, RawConnection nuthatch) {
        this.redis = redis;
        this.nuthatch = nuthatch;
    }

    /** Connects to both servers of the shared pair and flushes them. */
    public static ComparedConnections open() throws IOException {
        ReferencePair servers = ReferencePair.shared();
        ComparedConnections pair = new ComparedConnections(new RawConnection(servers.redisPort()),
                new RawConnection(servers.nuthatchPort()));
        pair.bothRaw(List.of(bytes("FLUSHALL")));
        return pair;
    }

    /** Text shown with every failure from now on (a seed, a round number). */
    public void context(String context) {
        this.context = context;
    }

    /** Sends the command to both servers and asserts the replies are the same; returns redis-server's. */
    public byte[] compare(String... command) throws IOException {
        List<byte[]> arguments = new ArrayList<>(command.length);
        for (String argument : command) {
            arguments.add(bytes(argument));
        }
        return compare(arguments);
    }

    public byte[] compare(List<byte[]> command) throws IOException {
        byte[] expected = redis.call(command);
        byte[] actual = nuthatch.call(command);
        if (!java.util.Arrays.equals(expected, actual)) {
            assertEquals(Resp.escape(expected), Resp.escape(actual), context + " " + describe(command));
        }
        return expected;
    }

    /** Sends the command to both servers without comparing; returns both replies, redis-server's first. */
    public byte[][] bothRaw(List<byte[]> command) throws IOException {
        return new byte[][] {redis.call(command), nuthatch.call(command)};
    }

    /** The command as text, long ones shortened, for failure messages. */
    public static String describe(List<byte[]> command) {
        StringBuilder text = new StringBuilder();
        for (byte[] argument : command) {
            if (text.length() > 300) {
                text.append(" ... (").append(command.size()).append(" arguments)");
                break;
            }
            text.append(text.length() == 0 ? "" : " ").append(Resp.escape(argument));
        }
        return text.toString();
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        redis.close();
        nuthatch.close();
    }
}
