package io.nuthatch.server.command.set;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random sequences of hash and set writes and reads, sent to redis-server and to Nuthatch, every
 * reply compared: byte for byte, except the whole-value replies of hash tables, whose order is
 * each server's hash order (those are compared as sorted lists, and their encodings exactly).
 * Small encoding limits make the values cross the listpack/intset to hashtable switch often, and
 * integers of every intset width meet words. The seeds are fixed, so a failure repeats.
 */
class HashSetRandomizedDifferentialTest {
    private static final String[] WORDS = {"a", "b", "member", "x1", "01", "-0", "", "1.5", "zz"};

    @Test
    void randomSetCommands() throws IOException {
        SplittableRandom random = new SplittableRandom(20261201);
        try (Pair pair = Pair.open("set-max-intset-entries", "8", "512")) {
            for (int round = 0; round < 2_500; round++) {
                String key = "s" + random.nextInt(4);
                String other = "s" + random.nextInt(4);
                switch (random.nextInt(12)) {
                    case 0, 1, 2 -> pair.compare("SADD", key, member(random), member(random));
                    case 3 -> pair.compare("SREM", key, member(random), member(random));
                    case 4 -> pair.compare("SISMEMBER", key, member(random));
                    case 5 -> pair.compare("SMISMEMBER", key, member(random), member(random));
                    case 6 -> pair.compare("SMOVE", key, other, member(random));
                    case 7 -> pair.compare("SINTERCARD", "2", key, other);
                    case 8 -> pair.compare(random.nextBoolean() ? "SUNIONSTORE" : "SINTERSTORE", other, key, other);
                    case 9 -> pair.compare("SDIFFSTORE", other, key, "s" + random.nextInt(4));
                    case 10 -> pair.compare("SCARD", key);
                    default -> pair.compareValue(key, "SMEMBERS", key);
                }
            }
        }
    }

    @Test
    void randomHashCommands() throws IOException {
        SplittableRandom random = new SplittableRandom(77);
        try (Pair pair = Pair.open("hash-max-listpack-entries", "8", "512");
             Pair unused = Pair.configure(pair, "hash-max-listpack-value", "12", "64")) {
            for (int round = 0; round < 2_500; round++) {
                String key = "h" + random.nextInt(3);
                String field = "f" + random.nextInt(14);
                switch (random.nextInt(11)) {
                    case 0, 1, 2 -> pair.compare("HSET", key, field, value(random), "f" + random.nextInt(14), value(random));
                    case 3 -> pair.compare("HDEL", key, field, "f" + random.nextInt(14));
                    case 4 -> pair.compare("HINCRBY", key, "n" + random.nextInt(3), Integer.toString(random.nextInt(-1000, 1000)));
                    case 5 -> pair.compare("HINCRBYFLOAT", key, "x" + random.nextInt(3), random.nextInt(-99, 99) + "." + random.nextInt(100));
                    case 6 -> pair.compare("HSETNX", key, field, value(random));
                    case 7 -> pair.compare("HMGET", key, field, "n0", "x0");
                    case 8 -> pair.compare("HSTRLEN", key, field);
                    case 9 -> pair.compare("HLEN", key);
                    default -> pair.compareValue(key, "HGETALL", key);
                }
            }
        }
    }

    private static String member(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> WORDS[random.nextInt(WORDS.length)];
            case 1 -> Long.toString(random.nextLong());
            case 2 -> Integer.toString(random.nextInt(-100_000, 100_000));
            default -> Integer.toString(random.nextInt(-20, 20));
        };
    }

    private static String value(SplittableRandom random) {
        int length = random.nextInt(16);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    /** A connection to each server, flushed, with a directive set on both until closed. */
    private record Pair(RawConnection redis, RawConnection nuthatch, String directive, String restore)
            implements AutoCloseable {
        static Pair open(String directive, String value, String restore) throws IOException {
            ReferencePair servers = ReferencePair.shared();
            Pair pair = new Pair(new RawConnection(servers.redisPort()), new RawConnection(servers.nuthatchPort()),
                    directive, restore);
            for (RawConnection connection : List.of(pair.redis, pair.nuthatch)) {
                connection.call("FLUSHALL");
                connection.call("CONFIG", "SET", directive, value);
            }
            return pair;
        }

        /** Sets one more directive on the pair's servers, restored when the returned pair closes. */
        static Pair configure(Pair pair, String directive, String value, String restore) throws IOException {
            for (RawConnection connection : List.of(pair.redis, pair.nuthatch)) {
                connection.call("CONFIG", "SET", directive, value);
            }
            return new Pair(pair.redis, pair.nuthatch, directive, restore);
        }

        void compare(String... command) throws IOException {
            assertEquals(Resp.escape(redis.call(command)), Resp.escape(nuthatch.call(command)), String.join(" ", command));
        }

        /** A whole-value reply: exact for listpacks and intsets, as sorted elements for hash tables. */
        void compareValue(String key, String... command) throws IOException {
            compare("OBJECT", "ENCODING", key);
            String encoding = String.valueOf(RespValue.parse(nuthatch.call("OBJECT", "ENCODING", key)));
            if (!encoding.equals("hashtable")) {
                compare(command);
                return;
            }
            assertEquals(sorted(redis.call(command)), sorted(nuthatch.call(command)), String.join(" ", command));
        }

        @SuppressWarnings("unchecked")
        private static List<String> sorted(byte[] reply) {
            Object value = RespValue.parse(reply);
            List<String> elements = new ArrayList<>();
            if (value instanceof java.util.Map<?, ?> map) {
                map.forEach((field, fieldValue) -> elements.add(field + "=" + fieldValue));
            } else {
                List<Object> list = (List<Object>) value;
                for (int i = 0; i < list.size(); i++) {
                    elements.add(String.valueOf(list.get(i)));
                }
            }
            elements.sort(null);
            return elements;
        }

        @Override
        public void close() throws IOException {
            for (RawConnection connection : List.of(redis, nuthatch)) {
                connection.call("CONFIG", "SET", directive, restore);
            }
            if (directive.equals("hash-max-listpack-value")) {
                return;
            }
            redis.close();
            nuthatch.close();
        }
    }
}
