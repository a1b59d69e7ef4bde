package io.nuthatch.server.network;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random bytes and mutated requests (bit flips, truncation, duplicated chunks, huge numbers in
 * headers, stray CR and LF) over many connections at once. Whatever arrives, every reply must be
 * well-formed RESP, each connection must end (the client half-closes when it has sent its bytes),
 * and after each burst the server must answer PING on a fresh connection.
 *
 * <p>The seed is fixed and printed on failure; run with {@code -Dnuthatch.fuzz.seed=N} to replay
 * another. Bursts run until {@link #TIME_BUDGET_SECONDS} have passed or {@link #MAX_BURSTS} ran.
 */
class ProtocolFuzzTest {
    private static final String SEED_PROPERTY = "nuthatch.fuzz.seed";
    private static final long DEFAULT_SEED = 0x5EED_2026_0701L;
    private static final int TIME_BUDGET_SECONDS = 4;
    private static final int MAX_BURSTS = 200;
    private static final int CONNECTIONS_PER_BURST = 12;

    private static final String[][] COMMANDS = {
            {"PING"}, {"PING", "hello"}, {"ECHO", "x\r\ny"}, {"SET", "k", "v"}, {"SET", "k", "v", "EX", "100"},
            {"SET", "k", "v", "PX", "100", "NX"}, {"SET", "k", "w", "XX", "GET"}, {"GET", "k"}, {"GET", "nope"},
            {"SELECT", "3"}, {"SELECT", "0"}, {"DBSIZE"}, {"HELLO", "2"}, {"HELLO", "3"}, {"FLUSHDB"},
            {"SET", "bin\u0000key", "\r\n$3\r\n"}, {"NOSUCHCOMMAND", "a"}, {"GET"}, {"QUIT"}};
    private static final String[] INLINE = {
            "PING\r\n", "SET k \"v w\"\r\n", "ECHO 'x'\n", "GET k\r\n", "HELLO 3\r\n", "ECHO \"\\x41\\r\"\r\n",
            "\r\n", "   \n", "SET k \"unbalanced\r\n"};
    private static final String PROTOCOL_BYTES = "*$\r\n\"' \\\u0000";
    private static final String[] HUGE_NUMBERS = {
            "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "536870912", "536870913",
            "-1", "-2147483648", "99999999999999999999", "0", "00", "-0", "+5", "1e3", ""};

    @Test
    void randomAndMutatedRequestsNeverBreakTheServer() throws Exception {
        long seed = Long.getLong(SEED_PROPERTY, DEFAULT_SEED);
        SplittableRandom bursts = new SplittableRandom(seed);
        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS_PER_BURST);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIME_BUDGET_SECONDS);
        int burst = 0;
        Path logFile = Files.createTempFile("nuthatch-fuzz", ".log");
        try (NuthatchServer server = startWithVerboseLog(logFile)) {
            for (; burst < MAX_BURSTS && System.nanoTime() < deadline; burst++) {
                long burstSeed = bursts.nextLong();
                List<Future<String>> outcomes = new ArrayList<>();
                List<byte[]> inputs = new ArrayList<>();
                for (int c = 0; c < CONNECTIONS_PER_BURST; c++) {
                    SplittableRandom random = new SplittableRandom(burstSeed + c);
                    byte[] input = fuzzInput(random);
                    inputs.add(input);
                    long chunkSeed = random.nextLong();
                    outcomes.add(clients.submit(() -> exchange(server.port(), input, new SplittableRandom(chunkSeed))));
                }
                for (int c = 0; c < CONNECTIONS_PER_BURST; c++) {
                    String problem = outcomes.get(c).get(60, TimeUnit.SECONDS);
                    if (problem != null) {
                        fail("seed " + seed + " (-D" + SEED_PROPERTY + "=" + seed + "), burst " + burst + ", connection "
                                + c + ": " + problem + "\ninput: " + shorten(Resp.escape(inputs.get(c))));
                    }
                }
                try {
                    ConnectionRobustnessTest.assertPongOnAFreshConnection(server);
                } catch (AssertionError | IOException e) {
                    fail("seed " + seed + ", after burst " + burst + ": no PONG on a fresh connection: " + e, e);
                }
            }
            ConnectionRobustnessTest.awaitClientCount(server, 0);
        } finally {
            clients.shutdownNow();
        }
        System.out.println("fuzz seed " + seed + ": " + burst + " bursts of " + CONNECTIONS_PER_BURST + " connections");
        assertTrue(burst > 0, "no burst ran");
        List<String> failures = Files.readAllLines(logFile).stream()
                .filter(line -> line.contains("Closing client after error") && !line.contains("IOException"))
                .toList();
        Files.delete(logFile);
        assertEquals(List.of(), failures, "seed " + seed + ": exceptions the server met while decoding or running requests");
    }

    /**
     * A server like ReferencePair's, logging verbosely to a file: a connection closed because a
     * request threw (rather than by a protocol error) shows up there and nowhere else.
     */
    private static NuthatchServer startWithVerboseLog(Path logFile) throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        config.find("bind").set("127.0.0.1");
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.VERBOSE);
        log.file(logFile.toString());
        return NuthatchServer.start(config, log);
    }

    /** Sends the input in random chunks, half-closes, reads to the end; returns what went wrong, or null. */
    private static String exchange(int port, byte[] input, SplittableRandom random) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(15_000);
            socket.setTcpNoDelay(true);
            try {
                OutputStream out = socket.getOutputStream();
                for (int from = 0; from < input.length; ) {
                    int chunk = Math.min(input.length - from, 1 + random.nextInt(random.nextBoolean() ? 8 : 4096));
                    out.write(input, from, chunk);
                    out.flush();
                    from += chunk;
                }
                socket.shutdownOutput();
            } catch (IOException closedByServer) {
                // A protocol error or QUIT closes the connection while we may still be sending.
            }
            Exchange exchange;
            try {
                exchange = Exchange.readUntilEnd(socket.getInputStream(), false);
            } catch (SocketTimeoutException stuck) {
                return "the server neither answered nor closed within 15 s after the client's EOF";
            }
            if (exchange.end() == Exchange.End.MALFORMED) {
                return "malformed reply: " + exchange.malformation() + " after "
                        + shorten(String.join(" | ", exchange.replies()));
            }
            return null;
        }
    }

    /** One connection's bytes: a pipeline of valid, mutated and random pieces. */
    static byte[] fuzzInput(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = 1 + random.nextInt(30);
        for (int i = 0; i < pieces; i++) {
            int kind = random.nextInt(10);
            byte[] valid = validRequest(random);
            switch (kind) {
                case 0, 1, 2 -> out.writeBytes(valid);
                case 3 -> out.writeBytes(randomBytes(random, random.nextInt(200)));
                case 4 -> out.writeBytes(hugeHeader(random));
                default -> out.writeBytes(mutate(valid, random));
            }
        }
        return out.toByteArray();
    }

    private static byte[] validRequest(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            return INLINE[random.nextInt(INLINE.length)].getBytes(StandardCharsets.ISO_8859_1);
        }
        return Resp.request(COMMANDS[random.nextInt(COMMANDS.length)]);
    }

    private static byte[] hugeHeader(SplittableRandom random) {
        String number = random.nextBoolean() ? HUGE_NUMBERS[random.nextInt(HUGE_NUMBERS.length)]
                : Long.toString(random.nextLong());
        String header = switch (random.nextInt(3)) {
            case 0 -> "*" + number + "\r\n";
            case 1 -> "*2\r\n$" + number + "\r\n";
            default -> "*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + number + "\r\n";
        };
        return header.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] mutate(byte[] request, SplittableRandom random) {
        byte[] bytes = request.clone();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(6)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes = Arrays.copyOf(bytes, at);
                case 2 -> {
                    int end = at + random.nextInt(bytes.length - at + 1);
                    bytes = splice(bytes, end, Arrays.copyOfRange(bytes, at, end));
                }
                case 3 -> bytes = splice(bytes, at, new byte[] {random.nextBoolean() ? (byte) '\r' : (byte) '\n'});
                case 4 -> bytes = replaceNumber(bytes, random);
                default -> bytes = splice(bytes, at, randomBytes(random, 1 + random.nextInt(4)));
            }
        }
        return bytes;
    }

    /** Replaces the first run of digits from a random point with a huge or odd number. */
    private static byte[] replaceNumber(byte[] bytes, SplittableRandom random) {
        int start = random.nextInt(bytes.length);
        while (start < bytes.length && (bytes[start] < '0' || bytes[start] > '9')) {
            start++;
        }
        int end = start;
        while (end < bytes.length && bytes[end] >= '0' && bytes[end] <= '9') {
            end++;
        }
        byte[] number = HUGE_NUMBERS[random.nextInt(HUGE_NUMBERS.length)].getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, start);
        out.writeBytes(number);
        out.write(bytes, end, bytes.length - end);
        return out.toByteArray();
    }

    private static byte[] splice(byte[] bytes, int at, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + inserted.length);
        out.write(bytes, 0, at);
        out.writeBytes(inserted);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            // Protocol bytes more often than their share, so that the decoder's branches are reached.
            bytes[i] = switch (random.nextInt(8)) {
                case 0 -> (byte) PROTOCOL_BYTES.charAt(random.nextInt(PROTOCOL_BYTES.length()));
                case 1 -> (byte) ('0' + random.nextInt(10));
                default -> (byte) random.nextInt(256);
            };
        }
        return bytes;
    }

    private static String shorten(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "... (" + text.length() + " chars)";
    }
}
