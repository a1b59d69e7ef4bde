package io.nuthatch.server.scripting;

import io.nuthatch.server.Engine;
import io.nuthatch.server.keyspace.KeyspaceMemory;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random scripts of write commands, sent to redis-server and to Nuthatch alike, most of them made
 * to move to the script's thread after writing on their caller's thread (a loop past the inline
 * slice, more keys than a run may take back): each script's reply and then every key must be the
 * same on both, so a change the undo log failed to take back shows up as a change made twice. The
 * memory account must still be exact at the end.
 *
 * <p>{@code -Dnuthatch.fuzz.seed=N} replays another seed, {@code -Dnuthatch.fuzz.seconds=N} runs
 * longer (default 6).
 */
class TakenBackScriptFuzzTest {
    private static final long DEFAULT_SEED = 0x5C_2026_1202L;
    private static final String[] KEYS = {"s1", "s2", "n", "l1", "l2", "h", "z", "set"};
    private static final String LOOP_PAST_THE_SLICE = " local x = 0 for i = 1, 1000000 do x = x + i end";
    private static final String MANY_KEYS = " for i = 1, 70 do redis.call('SET', 'many' .. i, i) end";

    @Test
    void scriptsTakenBackAndRunAgainChangeWhatRedisChanges() throws IOException {
        long seed = Long.getLong("nuthatch.fuzz.seed", DEFAULT_SEED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("nuthatch.fuzz.seconds", 6));
        ReferencePair pair = ReferencePair.shared();
        SplittableRandom random = new SplittableRandom(seed);
        int scripts = 0;
        try (RawConnection redis = new RawConnection(pair.redisPort());
             RawConnection nuthatch = new RawConnection(pair.nuthatchPort())) {
            redis.call("FLUSHALL");
            nuthatch.call("FLUSHALL");
            while (System.nanoTime() < deadline) {
                String script = script(random);
                byte[] expected = redis.call("EVAL", script, "0");
                byte[] actual = nuthatch.call("EVAL", script, "0");
                scripts++;
                if (!Arrays.equals(expected, actual)) {
                    fail("seed " + seed + ", script " + scripts + ": " + script + "\n  redis-server: "
                            + Resp.escape(expected) + "\n  nuthatch:     " + Resp.escape(actual));
                }
                for (String key : KEYS) {
                    String redisKey = describe(redis, key);
                    String nuthatchKey = describe(nuthatch, key);
                    assertEquals(redisKey, nuthatchKey, "seed " + seed + ", after script " + scripts + ": " + script);
                }
                assertEquals(Resp.escape(redis.call("DBSIZE")), Resp.escape(nuthatch.call("DBSIZE")), script);
            }
            redis.call("FLUSHALL");
            Engine engine = pair.nuthatch().engine();
            engine.lock().lock();
            try {
                KeyspaceMemory.assertExact(engine.keyspace());
            } finally {
                engine.lock().unlock();
            }
            nuthatch.call("FLUSHALL");
        }
        System.out.printf("taken-back script fuzz, seed %d: %d scripts%n", seed, scripts);
    }

    /** Up to eight writes, pcalled (a wrong type is part of the game), then usually a reason to move. */
    private static String script(SplittableRandom random) {
        StringBuilder script = new StringBuilder("local r = {}");
        int commands = 1 + random.nextInt(8);
        for (int i = 0; i < commands; i++) {
            script.append(" r[#r + 1] = redis.pcall(").append(command(random)).append(')');
        }
        int ending = random.nextInt(6);
        if (ending < 3) {
            script.append(LOOP_PAST_THE_SLICE);
        } else if (ending == 3) {
            script.append(MANY_KEYS);
        }
        script.append(" for i = 1, #r do if type(r[i]) == 'table' and r[i].err then r[i] = r[i].err end end return r");
        return script.toString();
    }

    private static String command(SplittableRandom random) {
        String key = quoted(KEYS[random.nextInt(KEYS.length)]);
        String other = quoted(KEYS[random.nextInt(KEYS.length)]);
        String value = quoted(Integer.toString(random.nextInt(100)));
        return switch (random.nextInt(30)) {
            case 0 -> "'SET', " + key + ", " + value;
            case 1 -> "'SET', " + key + ", " + value + ", 'EX', 1000";
            case 2 -> "'APPEND', " + key + ", 'xy'";
            case 3 -> "'INCR', " + key;
            case 4 -> "'SETRANGE', " + key + ", 3, 'ab'";
            case 5 -> "'DEL', " + key + ", " + other;
            case 6 -> "'EXPIRE', " + key + ", 500";
            case 7 -> "'PERSIST', " + key;
            case 8 -> "'RENAME', " + key + ", " + other;
            case 9 -> "'LPUSH', " + key + ", " + value + ", 'a'";
            case 10 -> "'RPUSH', " + key + ", " + value;
            case 11 -> "'LPOP', " + key;
            case 12 -> "'LSET', " + key + ", 0, " + value;
            case 13 -> "'LMOVE', " + key + ", " + other + ", 'LEFT', 'RIGHT'";
            case 14 -> "'HSET', " + key + ", 'f' .. " + value + ", " + value;
            case 15 -> "'HDEL', " + key + ", 'f1', 'f2', 'f3'";
            case 16 -> "'HINCRBY', " + key + ", 'f', 3";
            case 17 -> "'SADD', " + key + ", " + value + ", 'm'";
            case 18 -> "'SREM', " + key + ", 'm'";
            case 19 -> "'SMOVE', " + key + ", " + other + ", 'm'";
            case 20 -> "'ZADD', " + key + ", " + value + ", 'a', 1, 'b'";
            case 21 -> "'ZINCRBY', " + key + ", 2, 'b'";
            case 22 -> "'ZPOPMIN', " + key;
            case 23 -> "'COPY', " + key + ", " + other + ", 'REPLACE'";
            case 24 -> "'GETDEL', " + key;
            case 25 -> "'GETEX', " + key + ", 'PERSIST'";
            case 26 -> "'SINTERSTORE', " + key + ", " + key + ", " + other;
            case 27 -> "'ZUNIONSTORE', " + key + ", 2, " + key + ", " + other;
            case 28 -> "'MSET', " + key + ", " + value + ", " + other + ", 'v'";
            default -> "'PEXPIRE', " + key + ", 100000";
        };
    }

    private static String quoted(String text) {
        return "'" + text + "'";
    }

    /** A key as its type's read shows it, collections in a fixed order, and whether it expires. */
    private static String describe(RawConnection connection, String key) throws IOException {
        String type = Resp.escape(connection.call("TYPE", key));
        String contents = switch (type) {
            case "+string\\r\\n" -> Resp.escape(connection.call("GET", key));
            case "+list\\r\\n" -> Resp.escape(connection.call("LRANGE", key, "0", "-1"));
            case "+hash\\r\\n" -> sorted(connection.call("HGETALL", key));
            case "+set\\r\\n" -> sorted(connection.call("SMEMBERS", key));
            case "+zset\\r\\n" -> Resp.escape(connection.call("ZRANGE", key, "0", "-1", "WITHSCORES"));
            default -> "";
        };
        long ttl = Long.parseLong(Resp.escape(connection.call("TTL", key)).replaceAll("[:\\\\rn]", ""));
        return key + " " + type + " " + contents + (ttl >= 0 ? " expires" : " ttl " + ttl);
    }

    private static String sorted(byte[] reply) {
        List<String> lines = new ArrayList<>(List.of(Resp.escape(reply).split("\\\\r\\\\n")));
        lines.sort(null);
        return String.join(" ", lines);
    }
}
