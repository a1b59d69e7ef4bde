package io.nuthatch.server.command.stream;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random sequences of stream operations sent to redis-server and to Nuthatch, every reply compared
 * byte for byte, and the whole stream (XINFO STREAM FULL: nodes, radix tree shape, counters,
 * groups) compared after each step: the node boundaries Redis's listpack sizes decide, trimming by
 * whole nodes, tombstones, the radix tree's node count, and the counters behind consumer-group
 * lag, under node limits small enough that every rule is met many times. The seeds are fixed, so
 * a failure repeats.
 */
class StreamRandomizedDifferentialTest {
    /** Times in milliseconds (seen-time, delivery times) differ between the servers by a few ms. */
    private static final String TIME = ":\\d{13}\\\\r\\\\n";

    @Test
    void entriesUnderSmallNodes() throws IOException {
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            try (Pair pair = Pair.open()) {
                pair.configure(random);
                Ids ids = new Ids();
                for (int step = 0; step < 250; step++) {
                    randomEntryOperation(pair, random, ids);
                    pair.compare("XINFO", "STREAM", "s", "FULL", "COUNT", "0");
                    if (step % 10 == 0) {
                        compareRandomRange(pair, random, ids);
                    }
                }
            }
        }
    }

    @Test
    void consumerGroupsUnderDeletionsAndTrimming() throws IOException {
        for (long seed = 11; seed <= 14; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            try (Pair pair = Pair.open()) {
                pair.configure(random);
                Ids ids = new Ids();
                pair.compare("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
                pair.compare("XGROUP", "CREATE", "s", "h", "0");
                for (int step = 0; step < 250; step++) {
                    if (random.nextInt(3) == 0) {
                        randomEntryOperation(pair, random, ids);
                    } else {
                        randomGroupOperation(pair, random, ids);
                    }
                    pair.compare("XINFO", "GROUPS", "s");
                    pair.compare("XPENDING", "s", "g");
                    pair.compareMasked("XINFO", "STREAM", "s", "FULL", "COUNT", "0");
                }
            }
        }
    }

    /** The IDs added so far, in order, and the next one to add. */
    private static final class Ids {
        final List<String> added = new ArrayList<>();
        long ms = 1;
        long seq;

        String next(SplittableRandom random) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    ms += 1 + random.nextInt(300);
                    seq = 0;
                }
                case 1 -> {
                    ms += 1L << random.nextInt(8, 40);
                    seq = random.nextInt(3);
                }
                default -> seq += 1 + random.nextInt(2);
            }
            return ms + "-" + seq;
        }

        String any(SplittableRandom random) {
            if (added.isEmpty() || random.nextInt(8) == 0) {
                return random.nextInt(1000) + "-" + random.nextInt(3);
            }
            return added.get(random.nextInt(added.size()));
        }
    }

    private static void randomEntryOperation(Pair pair, SplittableRandom random, Ids ids) throws IOException {
        int choice = random.nextInt(20);
        if (choice < 11) {
            List<String> command = new ArrayList<>(List.of("XADD", "s"));
            if (choice == 0) {
                command.addAll(List.of("MAXLEN", "~", Integer.toString(random.nextInt(30))));
            } else if (choice == 1) {
                command.addAll(List.of("MINID", random.nextBoolean() ? "~" : "=", ids.any(random)));
            }
            String id = ids.next(random);
            command.add(id);
            int pairs = random.nextInt(4) == 0 ? 1 + random.nextInt(4) : 2;
            boolean sameFields = random.nextInt(4) != 0;
            for (int i = 0; i < pairs; i++) {
                command.add(sameFields ? "field" + i : "f" + random.nextInt(4));
                command.add(value(random));
            }
            pair.compare(command.toArray(String[]::new));
            ids.added.add(id);
        } else if (choice < 15) {
            int count = 1 + random.nextInt(3);
            List<String> command = new ArrayList<>(List.of("XDEL", "s"));
            for (int i = 0; i < count; i++) {
                command.add(ids.any(random));
            }
            pair.compare(command.toArray(String[]::new));
        } else if (choice < 18) {
            String mark = random.nextBoolean() ? "~" : "=";
            List<String> command = new ArrayList<>(List.of("XTRIM", "s"));
            if (random.nextBoolean()) {
                command.addAll(List.of("MAXLEN", mark, Integer.toString(random.nextInt(40))));
            } else {
                command.addAll(List.of("MINID", mark, ids.any(random)));
            }
            if (mark.equals("~") && random.nextBoolean()) {
                command.addAll(List.of("LIMIT", Integer.toString(random.nextInt(12))));
            }
            pair.compare(command.toArray(String[]::new));
        } else {
            pair.compare("XSETID", "s", ids.ms + "-" + (ids.seq + random.nextInt(3)));
        }
    }

    private static void randomGroupOperation(Pair pair, SplittableRandom random, Ids ids) throws IOException {
        String group = random.nextInt(4) == 0 ? "h" : "g";
        String consumer = "c" + random.nextInt(3);
        switch (random.nextInt(7)) {
            case 0, 1 -> pair.compareMasked("XREADGROUP", "GROUP", group, consumer, "COUNT",
                    Integer.toString(1 + random.nextInt(4)), "STREAMS", "s", ">");
            case 2 -> pair.compare("XACK", "s", group, ids.any(random), ids.any(random));
            case 3 -> pair.compare("XCLAIM", "s", group, consumer, "0", ids.any(random), "TIME", "1000", "JUSTID");
            case 4 -> pair.compare("XAUTOCLAIM", "s", group, consumer, "0", "0", "COUNT",
                    Integer.toString(1 + random.nextInt(3)), "JUSTID");
            case 5 -> pair.compare("XGROUP", "SETID", group, random.nextBoolean() ? "$" : ids.any(random));
            default -> pair.compare("XREADGROUP", "GROUP", group, consumer, "NOACK", "COUNT", "2", "STREAMS", "s",
                    ">");
        }
    }

    private static void compareRandomRange(Pair pair, SplittableRandom random, Ids ids) throws IOException {
        String start = random.nextInt(5) == 0 ? "-" : (random.nextBoolean() ? "(" : "") + ids.any(random);
        String end = random.nextInt(5) == 0 ? "+" : ids.any(random);
        String count = Integer.toString(random.nextInt(8));
        pair.compare("XRANGE", "s", start, end, "COUNT", count);
        pair.compare("XREVRANGE", "s", end, start);
        pair.compare("XREAD", "COUNT", count, "STREAMS", "s", ids.any(random));
    }

    /** Values of every listpack size class: short and long strings, small and large integers. */
    private static String value(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> Integer.toString(random.nextInt(-200, 200));
            case 1 -> Long.toString(random.nextLong());
            case 2 -> "x".repeat(random.nextInt(60, 70));
            case 3 -> "";
            default -> "v" + random.nextInt(1000);
        };
    }

    /** A connection to each server, flushed, comparing each reply; restores the node limits at the end. */
    private record Pair(RawConnection redis, RawConnection nuthatch) implements AutoCloseable {
        static Pair open() throws IOException {
            ReferencePair servers = ReferencePair.shared();
            Pair pair = new Pair(new RawConnection(servers.redisPort()), new RawConnection(servers.nuthatchPort()));
            pair.both("FLUSHALL");
            return pair;
        }

        void configure(SplittableRandom random) throws IOException {
            int[] entries = {0, 1, 2, 3, 5, 8};
            int[] bytes = {0, 60, 120, 250, 500};
            both("CONFIG", "SET", "stream-node-max-entries", Integer.toString(entries[random.nextInt(entries.length)]));
            both("CONFIG", "SET", "stream-node-max-bytes", Integer.toString(bytes[random.nextInt(bytes.length)]));
        }

        private void both(String... command) throws IOException {
            redis.call(command);
            nuthatch.call(command);
        }

        void compare(String... command) throws IOException {
            assertEquals(Resp.escape(redis.call(command)), Resp.escape(nuthatch.call(command)), String.join(" ", command));
        }

        void compareMasked(String... command) throws IOException {
            assertEquals(Resp.escape(redis.call(command)).replaceAll(TIME, "<time>"),
                    Resp.escape(nuthatch.call(command)).replaceAll(TIME, "<time>"), String.join(" ", command));
        }

        @Override
        public void close() throws IOException {
            both("CONFIG", "SET", "stream-node-max-entries", "100");
            both("CONFIG", "SET", "stream-node-max-bytes", "4096");
            redis.close();
            nuthatch.close();
        }
    }
}
