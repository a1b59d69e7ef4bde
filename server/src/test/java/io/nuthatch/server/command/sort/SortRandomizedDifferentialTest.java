package io.nuthatch.server.command.sort;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random SORT calls, every option drawn at random, over lists, sets and sorted sets that random
 * writes keep changing, and over BY and GET keys (strings, hash fields, missing keys, keys of other
 * types) that change too; sent to redis-server and to Nuthatch, every reply compared byte for byte.
 *
 * <p>Only what Redis leaves to its hash order is compared otherwise: a hash-table set replied
 * unsorted is compared as a sorted list, and ALPHA BY over a set or a sorted set (whose equal BY
 * values Redis leaves in its hash table's order) uses the {@code u_*} keys, distinct for every
 * member. Lists are compared exactly in every form, ties and partial sorts included. The seeds are
 * fixed, so a failure repeats.
 */
class SortRandomizedDifferentialTest {
    private static final String[] MEMBERS;

    static {
        List<String> members = new ArrayList<>();
        for (int i = -6; i <= 14; i++) {
            members.add(Integer.toString(i));
        }
        members.addAll(List.of("a", "b", "B", "apple", "x1", "01", "1.5", "-0", "", " 3", "1e2", "inf", "0x1f", "9z"));
        MEMBERS = members.toArray(String[]::new);
    }

    private RawConnection redis;
    private RawConnection nuthatch;

    @BeforeEach
    void open() throws IOException {
        ReferencePair servers = ReferencePair.shared();
        redis = new RawConnection(servers.redisPort());
        nuthatch = new RawConnection(servers.nuthatchPort());
        both("FLUSHALL");
        both("CONFIG", "SET", "set-max-intset-entries", "6");
        both("CONFIG", "SET", "zset-max-listpack-entries", "6");
        for (int i = 0; i < MEMBERS.length; i++) {
            both("SET", "u_" + MEMBERS[i], "unique" + (char) ('a' + (i * 7) % 26) + i);
        }
    }

    @AfterEach
    void close() throws IOException {
        both("CONFIG", "SET", "set-max-intset-entries", "512");
        both("CONFIG", "SET", "zset-max-listpack-entries", "128");
        redis.close();
        nuthatch.close();
    }

    @Test
    void randomSortsOverChangingValues() throws IOException {
        SplittableRandom random = new SplittableRandom(6_2026_12_01L);
        for (int round = 0; round < 3_000; round++) {
            int draw = random.nextInt(20);
            if (draw < 7) {
                write(random);
            } else {
                sort(random);
            }
        }
    }

    private void write(SplittableRandom random) throws IOException {
        String member = member(random);
        switch (random.nextInt(11)) {
            case 0, 1 -> compare((random.nextBoolean() ? "RPUSH" : "LPUSH"), "l" + random.nextInt(2), member, member(random));
            case 2 -> compare("LPOP", "l" + random.nextInt(2));
            case 3 -> compare("SADD", "s" + random.nextInt(2), member, member(random));
            case 4 -> compare("SREM", "s" + random.nextInt(2), member);
            case 5 -> compare("ZADD", "z" + random.nextInt(2), Integer.toString(random.nextInt(-3, 4)), member);
            case 6 -> compare("ZREM", "z" + random.nextInt(2), member);
            case 7 -> compare("SET", "w_" + member, weight(random));
            case 8 -> compare("DEL", random.nextBoolean() ? "w_" + member : "h_" + member);
            case 9 -> compare("HSET", "h_" + member, "f", weight(random), "g", member(random));
            default -> compare("RPUSH", (random.nextBoolean() ? "w_" : "h_") + member, "wrong type");
        }
    }

    private void sort(SplittableRandom random) throws IOException {
        int source = random.nextInt(3);
        String key = switch (source) {
            case 0 -> "l" + random.nextInt(2);
            case 1 -> "s" + random.nextInt(2);
            default -> "z" + random.nextInt(2);
        };
        boolean list = source == 0;
        List<String> command = new ArrayList<>(List.of(random.nextInt(4) == 0 ? "SORT_RO" : "SORT", key));
        boolean alpha = random.nextInt(3) == 0;
        String by = switch (random.nextInt(7)) {
            case 0, 1 -> null;
            case 2 -> "nosort";
            case 3 -> "w_*";
            case 4 -> "h_*->f";
            case 5 -> "missing_*";
            default -> "u_*";
        };
        if (alpha && by != null && !by.equals("nosort") && !list) {
            by = "u_*";
        }
        boolean limited = random.nextBoolean();
        boolean store = command.get(0).equals("SORT") && random.nextInt(3) == 0;
        if (by != null) {
            command.add("BY");
            command.add(by);
        }
        if (limited) {
            command.add("LIMIT");
            command.add(Integer.toString(random.nextInt(-2, 12)));
            command.add(Integer.toString(random.nextInt(-2, 12)));
        }
        if (alpha) {
            command.add("ALPHA");
        }
        int order = random.nextInt(3);
        if (order > 0) {
            command.add(order == 1 ? "ASC" : "DESC");
        }
        for (int gets = random.nextInt(4) - 1; gets > 0; gets--) {
            command.add("GET");
            command.add(switch (random.nextInt(5)) {
                case 0 -> "#";
                case 1 -> "w_*";
                case 2 -> "h_*->g";
                case 3 -> "nostar";
                default -> "h_*->f";
            });
        }
        if (store) {
            command.add("STORE");
            command.add("dest");
        }
        String[] arguments = command.toArray(String[]::new);
        boolean hashOrdered = source == 1 && "nosort".equals(by) && !store
                && "hashtable".equals(String.valueOf(RespValue.parse(nuthatch.call("OBJECT", "ENCODING", key))));
        if (hashOrdered && !limited) {
            assertEquals(sorted(redis.call(arguments)), sorted(nuthatch.call(arguments)), String.join(" ", arguments));
        } else if (hashOrdered) {
            assertEquals(Resp.escape(redis.call(arguments)).charAt(0), Resp.escape(nuthatch.call(arguments)).charAt(0),
                    String.join(" ", arguments));
        } else {
            compare(arguments);
        }
        if (store) {
            compare("LRANGE", "dest", "0", "-1");
            compare("TYPE", "dest");
        }
        if (source == 2) {
            compare("OBJECT", "ENCODING", key);
        }
    }

    private static String member(SplittableRandom random) {
        return MEMBERS[random.nextInt(MEMBERS.length)];
    }

    private static String weight(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> "x";
            case 1 -> random.nextInt(3) + "." + random.nextInt(10);
            case 2 -> "";
            case 3 -> member(random);
            default -> Integer.toString(random.nextInt(-4, 5));
        };
    }

    private void compare(String... command) throws IOException {
        assertEquals(Resp.escape(redis.call(command)), Resp.escape(nuthatch.call(command)), String.join(" ", command));
    }

    private void both(String... command) throws IOException {
        redis.call(command);
        nuthatch.call(command);
    }

    @SuppressWarnings("unchecked")
    private static List<String> sorted(byte[] reply) {
        Object value = RespValue.parse(reply);
        if (!(value instanceof List<?>)) {
            return List.of(String.valueOf(value));
        }
        List<String> elements = new ArrayList<>();
        for (Object element : (List<Object>) value) {
            elements.add(String.valueOf(element));
        }
        elements.sort(null);
        return elements;
    }
}
