package io.nuthatch.server.command.zset;

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
 * Generated inputs, sent to redis-server and to Nuthatch, replies compared byte for byte: scores
 * and range bounds written every way strtod reads (and refuses), and long random sequences of
 * sorted-set commands on small and large sets, across the listpack/skiplist switch (the limits
 * set low), so that every read is checked after every kind of change. The seeds are fixed, so a
 * failure repeats.
 */
class SortedSetRandomizedDifferentialTest {

    @Test
    void scoresAndBoundsAreReadAsStrtodReadsThem() throws IOException {
        SplittableRandom random = new SplittableRandom(1234);
        try (Pair pair = Pair.open()) {
            pair.compare("ZADD", "z", "1", "a", "2.5", "b", "-3", "c", "inf", "d", "-inf", "e");
            for (int round = 0; round < 400; round++) {
                String score = randomNumber(random);
                pair.compare("ZADD", "s", score, "m" + (round % 7));
                pair.compare("ZSCORE", "s", "m" + (round % 7));
                pair.compare("ZINCRBY", "s", randomNumber(random), "m" + (round % 5));
                String min = (random.nextInt(3) == 0 ? "(" : "") + (random.nextInt(6) == 0 ? " " : "") + randomNumber(random);
                String max = (random.nextInt(3) == 0 ? "(" : "") + randomNumber(random);
                pair.compare("ZCOUNT", "z", min, max);
                pair.compare("ZRANGEBYSCORE", "s", min, max, "WITHSCORES");
            }
        }
    }

    @Test
    void randomCommandSequencesOnSmallAndLargeSets() throws IOException {
        try (Pair pair = Pair.open()) {
            try {
                int seed = 0;
                for (String entries : new String[] {"128", "4", "0", "16"}) {
                    pair.compare("CONFIG", "SET", "zset-max-listpack-entries", entries);
                    pair.compare("CONFIG", "SET", "zset-max-listpack-value", entries.equals("16") ? "3" : "64");
                    pair.compare("FLUSHALL");
                    SplittableRandom random = new SplittableRandom(seed++);
                    for (int step = 0; step < 700; step++) {
                        pair.compare(randomCommand(random));
                    }
                    for (String key : new String[] {"a", "b", "c", "d", "l"}) {
                        pair.compare("ZRANGE", key, "0", "-1", "WITHSCORES");
                        pair.compare("OBJECT", "ENCODING", key);
                    }
                }
            } finally {
                pair.compare("CONFIG", "SET", "zset-max-listpack-entries", "128");
                pair.compare("CONFIG", "SET", "zset-max-listpack-value", "64");
            }
        }
    }

    private static String[] randomCommand(SplittableRandom random) {
        String key = new String[] {"a", "b", "c", "d"}[random.nextInt(4)];
        String member = member(random);
        List<String> c = new ArrayList<>();
        switch (random.nextInt(26)) {
            case 0, 1, 2, 3 -> {
                c.addAll(List.of("ZADD", key));
                String[] options = {"NX", "XX", "GT", "LT", "CH", "INCR"};
                if (random.nextInt(3) == 0) {
                    c.add(options[random.nextInt(options.length)]);
                }
                int pairs = c.contains("INCR") ? 1 : 1 + random.nextInt(6);
                for (int i = 0; i < pairs; i++) {
                    c.add(score(random));
                    c.add(member(random));
                }
            }
            case 4 -> c.addAll(List.of("ZINCRBY", key, score(random), member));
            case 5, 6 -> c.addAll(List.of("ZREM", key, member, member(random)));
            case 7 -> c.addAll(List.of("ZRANGE", key, index(random), index(random), random.nextBoolean() ? "REV" : "WITHSCORES"));
            case 8 -> {
                c.addAll(List.of("ZRANGE", key, bound(random), bound(random), "BYSCORE"));
                if (random.nextBoolean()) {
                    c.add("REV");
                }
                if (random.nextBoolean()) {
                    c.addAll(List.of("LIMIT", Integer.toString(random.nextInt(-1, 5)), Integer.toString(random.nextInt(-1, 6))));
                }
                c.add("WITHSCORES");
            }
            case 9 -> {
                // Lex ranges only where every score is equal: on a skiplist of mixed scores their
                // answer depends on the random levels of its nodes, in Redis as here.
                c.addAll(List.of(random.nextBoolean() ? "ZRANGEBYLEX" : "ZREVRANGEBYLEX", "l", lexBound(random),
                        lexBound(random)));
                if (random.nextBoolean()) {
                    c.addAll(List.of("LIMIT", Integer.toString(random.nextInt(-1, 4)), Integer.toString(random.nextInt(-1, 5))));
                }
            }
            case 10 -> c.addAll(List.of("ZCOUNT", key, bound(random), bound(random)));
            case 11 -> c.addAll(List.of("ZLEXCOUNT", "l", lexBound(random), lexBound(random)));
            case 12 -> c.addAll(List.of(random.nextBoolean() ? "ZRANK" : "ZREVRANK", key, member));
            case 13 -> c.addAll(List.of("ZREMRANGEBYRANK", key, index(random), index(random)));
            case 14 -> c.addAll(List.of("ZREMRANGEBYSCORE", key, bound(random), bound(random)));
            case 15 -> c.addAll(List.of("ZREMRANGEBYLEX", "l", lexBound(random), lexBound(random)));
            case 16 -> {
                c.addAll(List.of(random.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", key));
                if (random.nextBoolean()) {
                    c.add(Integer.toString(random.nextInt(0, 4)));
                }
            }
            case 17 -> c.addAll(List.of("ZMSCORE", key, member, member(random)));
            case 18 -> {
                c.addAll(List.of(new String[] {"ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"}[random.nextInt(3)], key, "2",
                        "a", "b"));
                if (!c.get(0).equals("ZDIFFSTORE") && random.nextBoolean()) {
                    c.addAll(List.of("WEIGHTS", score(random), score(random)));
                }
                if (!c.get(0).equals("ZDIFFSTORE") && random.nextBoolean()) {
                    c.addAll(List.of("AGGREGATE", new String[] {"SUM", "MIN", "MAX"}[random.nextInt(3)]));
                }
            }
            case 19 -> c.addAll(List.of(new String[] {"ZUNION", "ZINTER", "ZDIFF"}[random.nextInt(3)], "3", "a", "c",
                    "d", "WITHSCORES"));
            case 20 -> c.addAll(List.of("ZRANGESTORE", key, "a", bound(random), bound(random), "BYSCORE"));
            case 21 -> c.addAll(List.of("ZMPOP", "2", key, "b", random.nextBoolean() ? "MIN" : "MAX", "COUNT",
                    Integer.toString(1 + random.nextInt(3))));
            case 22 -> c.addAll(List.of("ZINTERCARD", "2", key, "c", "LIMIT", Integer.toString(random.nextInt(3))));
            case 23 -> c.addAll(List.of("ZADD", "l", "0", member, "0", member(random), "0", member(random)));
            default -> c.addAll(List.of("ZCARD", key));
        }
        return c.toArray(new String[0]);
    }

    private static String member(SplittableRandom random) {
        return switch (random.nextInt(10)) {
            case 0 -> "";
            case 1 -> "long-member-" + random.nextInt(5);
            default -> Character.toString('a' + random.nextInt(12));
        };
    }

    private static String score(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> random.nextBoolean() ? "inf" : "-inf";
            case 1 -> Double.toString(random.nextDouble() * 10 - 5);
            case 2 -> "-0";
            default -> Integer.toString(random.nextInt(-3, 6));
        };
    }

    private static String bound(SplittableRandom random) {
        String prefix = random.nextInt(3) == 0 ? "(" : "";
        return switch (random.nextInt(6)) {
            case 0 -> random.nextBoolean() ? "-inf" : "+inf";
            case 1 -> prefix + Double.toString(random.nextDouble() * 8 - 4);
            default -> prefix + random.nextInt(-3, 6);
        };
    }

    private static String lexBound(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> "-";
            case 1 -> "+";
            case 2 -> "(" + member(random);
            default -> "[" + member(random);
        };
    }

    private static String index(SplittableRandom random) {
        return Integer.toString(random.nextInt(-8, 9));
    }

    /** Numbers as people and programs write them, and some that strtod refuses or reads in part. */
    private static String randomNumber(SplittableRandom random) {
        String[] forms = {"1", "-2.5", "+3", ".5", "5.", "1e3", "1E-3", "-0", "0x10", "0X1.8p1", "inf", "-Infinity",
            "nan", "1e500", "-1e500", "1e-400", "4e-320", "", "1x", " 1", "1 ", "0x", "1e", "--1", "123456789012345678901",
            "0.1000000000000000055511151231257827", "9007199254740993", "1.7976931348623157e308", "2e-308", "0e-999",
            "00012", "-.0"};
        if (random.nextInt(3) == 0) {
            return forms[random.nextInt(forms.length)];
        }
        StringBuilder text = new StringBuilder();
        if (random.nextBoolean()) {
            text.append('-');
        }
        text.append(random.nextInt(100000));
        if (random.nextBoolean()) {
            text.append('.').append(random.nextInt(1_000_000_000));
        }
        if (random.nextInt(4) == 0) {
            text.append('e').append(random.nextInt(-320, 320));
        }
        return text.toString();
    }

    /** A connection to each server, flushed, comparing each reply. */
    private record Pair(RawConnection redis, RawConnection nuthatch) implements AutoCloseable {
        static Pair open() throws IOException {
            ReferencePair servers = ReferencePair.shared();
            Pair pair = new Pair(new RawConnection(servers.redisPort()), new RawConnection(servers.nuthatchPort()));
            for (RawConnection connection : List.of(pair.redis, pair.nuthatch)) {
                connection.call("FLUSHALL");
            }
            return pair;
        }

        void compare(String... command) throws IOException {
            assertEquals(Resp.escape(redis.call(command)), Resp.escape(nuthatch.call(command)), String.join(" ", command));
        }

        @Override
        public void close() throws IOException {
            redis.close();
            nuthatch.close();
        }
    }
}
