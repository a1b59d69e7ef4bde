package io.nuthatch.server.command.key;

import io.nuthatch.server.testing.KeyView;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DUMP and RESTORE against redis-server 7.0, both ways: each case builds the same value on both
 * servers; redis-server's DUMP is restored into Nuthatch and Nuthatch's into redis-server, and
 * the restored keys are read back on both sides and compared with the originals (type, encoding,
 * elements, TTL). Where Redis's encoding is deterministic (everything but hash tables), the two
 * DUMP payloads must also be the same bytes.
 */
class DumpRestoreDifferentialTest {
    private static RawConnection redis;
    private static RawConnection nuthatch;

    @BeforeAll
    static void connect() throws IOException {
        ReferencePair pair = ReferencePair.shared();
        redis = new RawConnection(pair.redisPort());
        nuthatch = new RawConnection(pair.nuthatchPort());
    }

    @AfterAll
    static void disconnect() throws IOException {
        redis.close();
        nuthatch.close();
    }

    /** A value built by commands; {@code sameBytes}: both servers' DUMP must match byte for byte. */
    private record Case(String name, boolean sameBytes, List<List<String>> commands) {
    }

    private static List<String> cmd(String... words) {
        return Arrays.asList(words);
    }

    private static List<String> many(String command, String key, int count, java.util.function.IntFunction<String[]> item) {
        List<String> words = new ArrayList<>(List.of(command, key));
        for (int i = 0; i < count; i++) {
            words.addAll(Arrays.asList(item.apply(i)));
        }
        return words;
    }

    private static Case of(String name, boolean sameBytes, List<?>... commands) {
        List<List<String>> list = new ArrayList<>();
        for (List<?> command : commands) {
            List<String> words = new ArrayList<>();
            for (Object word : command) {
                words.add((String) word);
            }
            list.add(words);
        }
        return new Case(name, sameBytes, list);
    }

    private static String random(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) (33 + random.nextInt(90)));
        }
        return s.toString();
    }

    private static List<Case> cases() {
        Random random = new Random(42);
        String noise = random(random, 300);
        return List.of(
            of("short string", true, cmd("SET", "k", "hello")),
            of("integer string", true, cmd("SET", "k", "-12345")),
            of("64-bit integer string", true, cmd("SET", "k", "12345678901234")),
            of("compressible string (LZF)", true, cmd("SET", "k", "abcabcabc".repeat(40))),
            of("incompressible string", true, cmd("SET", "k", noise)),
            of("large string", true, cmd("SET", "k", "0123456789".repeat(5000))),
            of("binary string", true, cmd("SET", "k", "a\u0000b\u00ff\r\n")),
            of("string with TTL", true, cmd("SET", "k", "v", "PX", "500000")),
            of("small list", true, cmd("RPUSH", "k", "a", "1", "-1", "300", "-70000", "9223372036854775807", "x".repeat(70), "")),
            // Node boundaries: Redis 7.0 lets a node take an element while its listpack size plus
            // the element's length plus 8 stays within 8 KB; ListValue measures its own layout
            // (no header, integers as text), so its nodes end a few elements apart from Redis's
            // and the payloads differ. The values restore the same both ways.
            of("list of many nodes", false, many("RPUSH", "k", 3000, i -> new String[] {"element-" + i})),
            of("list of many nodes with integers", false, many("RPUSH", "k", 3000,
                    i -> new String[] {i % 3 == 0 ? Integer.toString(i * 31) : "element-" + i})),
            of("list element of 16383 bytes (a 3-byte back-length)", true, cmd("RPUSH", "k", "q".repeat(16_380), "a")),
            of("list of big elements", true, many("RPUSH", "k", 20, i -> new String[] {"y".repeat(5000 + i)})),
            of("intset of 16-bit members", true, cmd("SADD", "k", "1", "2", "3", "-5", "300")),
            of("intset of 64-bit members", true, cmd("SADD", "k", "1", "4294967296", "-9223372036854775808")),
            of("intset after a removal", true, cmd("SADD", "k", "1", "100000"), cmd("SREM", "k", "100000")),
            of("set table", false, many("SADD", "k", 100, i -> new String[] {"member:" + i})),
            of("large intset becomes a table", false, many("SADD", "k", 600, i -> new String[] {Integer.toString(i)})),
            of("small hash", true, cmd("HSET", "k", "f1", "v1", "n", "42", "neg", "-7", "e", "")),
            of("hash after deletes", true, many("HSET", "k", 30, i -> new String[] {"f" + i, "v" + i}),
                    cmd("HDEL", "k", "f3", "f10", "f29")),
            of("hash table", false, many("HSET", "k", 700, i -> new String[] {"field" + i, Integer.toString(i)})),
            of("hash table by value length", false, cmd("HSET", "k", "a", "b", "long", "z".repeat(100))),
            of("small sorted set", true, cmd("ZADD", "k", "1", "a", "2.5", "b", "-inf", "c", "inf", "d", "1e20", "e",
                    "0.1", "f", "-3", "g", "4503599627370496", "h", "123456789012", "i")),
            of("sorted set skiplist", true, many("ZADD", "k", 300, i -> new String[] {Double.toString(i * 1.25 - 100), "m" + i})),
            of("sorted set skiplist by member length", true, cmd("ZADD", "k", "1", "a", "2", "m".repeat(100))),
            of("stream", true, many("XADD", "k", 1, i -> new String[] {"1-1", "a", "1", "b", "2"}),
                    cmd("XADD", "k", "1-2", "a", "3", "b", "4"), cmd("XADD", "k", "2-0", "c", "x"),
                    cmd("XADD", "k", "5-0", "a", "5", "b", "6")),
            of("stream with groups and pending entries", false,
                    cmd("XADD", "k", "1-1", "a", "1"), cmd("XADD", "k", "1-2", "a", "2"), cmd("XADD", "k", "2-1", "b", "3"),
                    cmd("XGROUP", "CREATE", "k", "g1", "0"), cmd("XGROUP", "CREATE", "k", "g2", "$"),
                    cmd("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "k", ">"),
                    cmd("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "1", "STREAMS", "k", ">"),
                    cmd("XGROUP", "CREATECONSUMER", "k", "g2", "carol"), cmd("XDEL", "k", "1-2"))
        );
    }

    @TestFactory
    Stream<DynamicTest> dumpedValuesRestoreBothWays() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String compression : new String[] {"yes", "no"}) {
            for (Case c : cases()) {
                tests.add(DynamicTest.dynamicTest(c.name() + " (rdbcompression " + compression + ")",
                        () -> run(c, compression)));
            }
        }
        tests.add(DynamicTest.dynamicTest("stream with tombstones over many nodes", this::streamWithTombstones));
        return tests.stream();
    }

    private void run(Case c, String compression) throws IOException {
        both("FLUSHALL");
        both("CONFIG", "SET", "rdbcompression", compression);
        both("CONFIG", "SET", "stream-node-max-entries", "100");
        for (List<String> command : c.commands()) {
            byte[] expected = redis.call(command.toArray(new String[0]));
            byte[] actual = nuthatch.call(command.toArray(new String[0]));
            if (!command.get(0).startsWith("X")) {
                assertEquals(Resp.escape(expected), Resp.escape(actual), "reply to " + command.get(0));
            }
        }
        compareBothWays(c.sameBytes());
        both("CONFIG", "SET", "rdbcompression", "yes");
    }

    private void streamWithTombstones() throws IOException {
        both("FLUSHALL");
        both("CONFIG", "SET", "stream-node-max-entries", "10");
        for (int i = 1; i <= 95; i++) {
            String[] fields = i % 4 == 0 ? new String[] {"other", "v" + i} : new String[] {"a", Integer.toString(i), "b", "x" + i};
            List<String> words = new ArrayList<>(List.of("XADD", "k", i + "-" + (i % 3)));
            words.addAll(Arrays.asList(fields));
            both(words.toArray(new String[0]));
        }
        both("XDEL", "k", "1-1", "5-2", "50-2", "95-2");
        both("XTRIM", "k", "MINID", "13");
        compareBothWays(true);
        both("CONFIG", "SET", "stream-node-max-entries", "100");
    }

    private void compareBothWays(boolean sameBytes) throws IOException {
        byte[] fromRedis = bulk(redis.call("DUMP", "k"));
        byte[] fromNuthatch = bulk(nuthatch.call("DUMP", "k"));
        if (sameBytes) {
            assertEquals(Resp.escape(fromRedis), Resp.escape(fromNuthatch), "DUMP payloads");
        }
        String redisTtl = Long.toString(Math.max(0, (Long) RespValue.parse(redis.call("PTTL", "k"))));
        String nuthatchTtl = Long.toString(Math.max(0, (Long) RespValue.parse(nuthatch.call("PTTL", "k"))));
        assertEquals("+OK\r\n", text(nuthatch.call(args("RESTORE", "r", redisTtl, fromRedis))));
        assertEquals("+OK\r\n", text(redis.call(args("RESTORE", "n", nuthatchTtl, fromNuthatch))));
        assertEquals(view(redis, "k"), view(nuthatch, "r"), "redis-server's value restored into Nuthatch");
        assertEquals(view(nuthatch, "k"), view(redis, "n"), "Nuthatch's value restored into redis-server");
        KeyView.assertSameTtl(redis, nuthatch, "k", "r");
        KeyView.assertSameTtl(nuthatch, redis, "k", "n");
        assertEquals(view(redis, "k").subList(0, 2), view(nuthatch, "k").subList(0, 2), "type and encoding");
    }

    private static List<String> view(RawConnection connection, String key) throws IOException {
        return KeyView.of(connection, key);
    }

    // ---------------------------------------------------------------- RESTORE's errors and options

    @Test
    void restoreErrorsAreRedisErrors() throws IOException {
        both("FLUSHALL");
        both("SET", "k", "v");
        byte[] payload = bulk(redis.call("DUMP", "k"));
        byte[] wrongCrc = payload.clone();
        wrongCrc[wrongCrc.length - 1] ^= 1;
        byte[] newerVersion = payload.clone();
        newerVersion[newerVersion.length - 10] = 11;
        List<List<byte[]>> requests = List.of(
                args("RESTORE", "k", "0", payload),
                args("RESTORE", "new", "-1", payload),
                args("RESTORE", "new", "x", payload),
                args("RESTORE", "new", "0", wrongCrc),
                args("RESTORE", "new", "0", newerVersion),
                args("RESTORE", "new", "0", bytes("short")),
                args("RESTORE", "new", "0", payload, "BOGUS"),
                args("RESTORE", "new", "0", payload, "IDLETIME"),
                args("RESTORE", "new", "0", payload, "IDLETIME", "-1"),
                args("RESTORE", "new", "0", payload, "IDLETIME", "x"),
                args("RESTORE", "new", "0", payload, "FREQ", "256"),
                args("RESTORE", "new", "0", payload, "FREQ", "1", "IDLETIME", "1"),
                args("RESTORE", "new", "0", payload, "IDLETIME", "1", "FREQ", "1"),
                args("RESTORE", "k", "x", payload),
                args("RESTORE", "k", "0", wrongCrc, "REPLACE"),
                args("RESTORE", "k", "0", payload, "REPLACE", "ABSTTL"),
                args("RESTORE", "past", "1", payload, "ABSTTL"),
                args("EXISTS", "past"),
                args("RESTORE", "k", "1", payload, "ABSTTL", "REPLACE"),
                args("EXISTS", "k"),
                args("RESTORE"),
                args("DUMP", "missing"),
                args("DUMP", "k", "extra"));
        for (List<byte[]> request : requests) {
            assertEquals(Resp.escape(redis.call(request)), Resp.escape(nuthatch.call(request)),
                    "reply to " + text(request.get(0)) + " " + (request.size() > 2 ? text(request.get(2)) : ""));
        }
    }

    @Test
    void restoreOptionsSetTtlIdleTimeAndFrequency() throws IOException {
        both("FLUSHALL");
        both("SET", "k", "v");
        byte[] payload = bulk(redis.call("DUMP", "k"));
        long future = System.currentTimeMillis() + 1_000_000;
        both(args("RESTORE", "rel", "500000", payload));
        both(args("RESTORE", "abs", Long.toString(future), payload, "ABSTTL"));
        both(args("RESTORE", "idle", "0", payload, "IDLETIME", "1000"));
        for (RawConnection connection : new RawConnection[] {redis, nuthatch}) {
            long relative = (Long) RespValue.parse(connection.call("PTTL", "rel"));
            assertTrue(relative > 490_000 && relative <= 500_000, "PTTL " + relative);
            long absolute = (Long) RespValue.parse(connection.call("PEXPIRETIME", "abs"));
            assertEquals(future, absolute);
            long idle = (Long) RespValue.parse(connection.call("OBJECT", "IDLETIME", "idle"));
            assertTrue(idle >= 1000 && idle <= 1002, "IDLETIME " + idle);
        }
        both("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        try {
            both(args("RESTORE", "freq", "0", payload, "FREQ", "77"));
            assertEquals(Resp.escape(redis.call("OBJECT", "FREQ", "freq")), Resp.escape(nuthatch.call("OBJECT", "FREQ", "freq")));
            assertEquals(":77\r\n", text(nuthatch.call("OBJECT", "FREQ", "freq")));
        } finally {
            both("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
    }

    /**
     * An idle time longer than the 24-bit clock's present value wraps as Redis 7.0 wraps it (the
     * clock made positive again by adding its maximum), so OBJECT IDLETIME gives it back, and one
     * past the clock's whole range comes back modulo it, as there.
     */
    @Test
    void restoreIdleTimesPastTheClockWrapAsRedisDoes() throws IOException {
        both("FLUSHALL");
        both("SET", "k", "v");
        byte[] payload = bulk(redis.call("DUMP", "k"));
        for (String idle : new String[] {"3000000", "16777000", "20000000"}) {
            both(args("RESTORE", "idle", "0", payload, "IDLETIME", idle, "REPLACE"));
            long expected = (Long) RespValue.parse(redis.call("OBJECT", "IDLETIME", "idle"));
            long actual = (Long) RespValue.parse(nuthatch.call("OBJECT", "IDLETIME", "idle"));
            assertTrue(Math.abs(expected - actual) <= 2, "IDLETIME " + idle + ": redis " + expected + ", nuthatch " + actual);
        }
        assertTrue(Math.abs((Long) RespValue.parse(nuthatch.call("OBJECT", "IDLETIME", "idle")) - 3_000_000)
                > 10, "the third is past the range");
    }

    /** FREQ and IDLETIME follow the policy of the key's database (maxmemory-policy-db, ours alone). */
    @Test
    void restoreFollowsThePolicyOfTheKeysDatabase() throws IOException {
        nuthatch.call("FLUSHALL");
        nuthatch.call("SET", "k", "v");
        byte[] payload = bulk(nuthatch.call("DUMP", "k"));
        nuthatch.call("CONFIG", "SET", "maxmemory-policy-db", "5 allkeys-lfu");
        try {
            nuthatch.call("SELECT", "5");
            assertEquals("+OK\r\n", text(nuthatch.call(args("RESTORE", "freq", "0", payload, "FREQ", "77"))));
            assertEquals(":77\r\n", text(nuthatch.call("OBJECT", "FREQ", "freq")));
            nuthatch.call("SELECT", "0");
            assertEquals("+OK\r\n", text(nuthatch.call(args("RESTORE", "idle", "0", payload, "IDLETIME", "500"))));
            long idle = (Long) RespValue.parse(nuthatch.call("OBJECT", "IDLETIME", "idle"));
            assertTrue(idle >= 500 && idle <= 502, "IDLETIME " + idle);
        } finally {
            nuthatch.call("SELECT", "0");
            nuthatch.call("CONFIG", "SET", "maxmemory-policy-db", "");
        }
    }

    /**
     * Payloads of every type with bytes changed and the CRC recomputed, so they pass the checksum
     * and reach the decoder: Nuthatch answers OK or Bad data format, as redis-server does, and keeps
     * serving; whatever it accepted reads back.
     */
    @Test
    void corruptedPayloadsAreRefusedCleanly() throws IOException {
        both("FLUSHALL");
        nuthatch.call("RPUSH", "list", "a", "b", "300", "-4");
        nuthatch.call("HSET", "hash", "f", "v", "g", "12");
        nuthatch.call("ZADD", "zset", "1.5", "a", "2", "b");
        nuthatch.call("SADD", "set", "1", "2", "70000");
        nuthatch.call("XADD", "stream", "1-1", "a", "1");
        nuthatch.call("SET", "string", "abcabcabcabcabcabcabcabcabcabcabcabcabc");
        Random random = new Random(5);
        int refused = 0;
        for (String key : new String[] {"list", "hash", "zset", "set", "stream", "string"}) {
            byte[] payload = bulk(nuthatch.call("DUMP", key));
            for (int round = 0; round < 150; round++) {
                byte[] damaged = payload.clone();
                int body = damaged.length - 10;
                damaged[random.nextInt(body)] = (byte) random.nextInt(256);
                long crc = io.nuthatch.persistence.rdb.Crc64.of(damaged, 0, damaged.length - 8);
                for (int i = 0; i < 8; i++) {
                    damaged[damaged.length - 8 + i] = (byte) (crc >>> (8 * i));
                }
                String reply = text(nuthatch.call(args("RESTORE", "restored", "0", damaged, "REPLACE")));
                assertTrue(reply.equals("+OK\r\n") || reply.equals("-ERR Bad data format\r\n"), reply);
                if (reply.startsWith("-")) {
                    refused++;
                } else {
                    assertNotNull(RespValue.parse(nuthatch.call("TYPE", "restored")));
                    nuthatch.call("DUMP", "restored");
                }
            }
        }
        assertEquals("+PONG\r\n", text(nuthatch.call("PING")));
        assertTrue(refused > 100, "refused " + refused);
    }

    // ---------------------------------------------------------------- helpers

    private static void both(String... command) throws IOException {
        byte[] expected = redis.call(command);
        byte[] actual = nuthatch.call(command);
        assertEquals(Resp.escape(expected), Resp.escape(actual), "reply to " + String.join(" ", command));
    }

    private static void both(List<byte[]> command) throws IOException {
        byte[] expected = redis.call(command);
        byte[] actual = nuthatch.call(command);
        assertEquals(Resp.escape(expected), Resp.escape(actual), "reply to " + text(command.get(0)));
    }

    private static List<byte[]> args(Object... words) {
        List<byte[]> list = new ArrayList<>();
        for (Object word : words) {
            list.add(word instanceof byte[] b ? b : bytes((String) word));
        }
        return list;
    }

    private static byte[] bulk(byte[] reply) {
        Object value = RespValue.parse(reply);
        assertTrue(value instanceof String, "a bulk reply: " + Resp.escape(reply));
        return ((String) value).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
