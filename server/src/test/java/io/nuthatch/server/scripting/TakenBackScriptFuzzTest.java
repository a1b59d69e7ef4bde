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
    /**
     * A list and a stream of many nodes, which the undo log keeps by sharing their nodes, and a
     * sorted set past the listpack limit, which it keeps by a journal of replaced scores.
     */
    private static final String LONG_LIST = "queue";
    private static final String STREAM = "events";
    private static final String LARGE_ZSET = "completed";
    private static final String[] DESCRIBED = {"s1", "s2", "n", "l1", "l2", "h", "z", "set", LONG_LIST, STREAM,
            LARGE_ZSET};
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
            for (RawConnection connection : List.of(redis, nuthatch)) {
                connection.call("FLUSHALL");
                connection.call("EVAL", "for i = 1, 3000 do redis.call('RPUSH', KEYS[1], 'job:' .. i) end"
                        + " for i = 1, 1000 do redis.call('XADD', KEYS[2], i .. '-1', 'event', 'added', 'job', i) end"
                        + " for i = 1, 300 do redis.call('ZADD', KEYS[3], i % 50, 'job:' .. i) end", "3",
                        LONG_LIST, STREAM, LARGE_ZSET);
            }
            while (System.nanoTime() < deadline) {
                String script = script(random, scripts);
                byte[] expected = redis.call("EVAL", script, "0");
                byte[] actual = nuthatch.call("EVAL", script, "0");
                scripts++;
                if (!Arrays.equals(expected, actual)) {
                    fail("seed " + seed + ", script " + scripts + ": " + script + "\n  redis-server: "
                            + Resp.escape(expected) + "\n  nuthatch:     " + Resp.escape(actual));
                }
                for (String key : DESCRIBED) {
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
    private static String script(SplittableRandom random, int number) {
        StringBuilder script = new StringBuilder("local r = {}");
        int commands = 1 + random.nextInt(8);
        for (int i = 0; i < commands; i++) {
            String command = random.nextInt(3) == 0 ? queueCommand(random, number, i) : command(random);
            script.append(" r[#r + 1] = redis.pcall(").append(command).append(')');
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

    /** What a job queue does to its long list and its events stream; stream IDs grow with the script's number. */
    private static String queueCommand(SplittableRandom random, int number, int index) {
        String list = quoted(LONG_LIST);
        String stream = quoted(STREAM);
        String id = quoted((2000 + number) + "-" + (index + 1));
        String zset = quoted(LARGE_ZSET);
        String member = "'job:" + (1 + random.nextInt(400)) + "'";
        return switch (random.nextInt(21)) {
            case 0 -> "'LPUSH', " + list + ", 'new'";
            case 1 -> "'RPUSH', " + list + ", 'new'";
            case 2 -> "'LPOP', " + list;
            case 3 -> "'RPOP', " + list + ", 3";
            case 4 -> "'LMOVE', " + list + ", 'l1', 'RIGHT', 'LEFT'";
            case 5 -> "'LSET', " + list + ", " + random.nextInt(3000) + ", 'set'";
            case 6 -> "'LINSERT', " + list + ", 'BEFORE', 'job:" + (1 + random.nextInt(3000)) + "', 'inserted'";
            case 7 -> "'LREM', " + list + ", 1, 'job:" + (1 + random.nextInt(3000)) + "'";
            case 8 -> "'LTRIM', " + list + ", 1, -2";
            case 9 -> "'XADD', " + stream + ", 'MAXLEN', '~', 800, " + id + ", 'event', 'moved'";
            case 10 -> "'XADD', " + stream + ", " + id + ", 'event', 'completed'";
            case 11 -> "'XDEL', " + stream + ", '" + (1 + random.nextInt(1000)) + "-1'";
            case 12 -> "'ZADD', " + zset + ", " + random.nextInt(60) + ", " + member;
            case 13 -> "'ZADD', " + zset + ", 'INCR', 1.5, " + member;
            case 14 -> "'ZREM', " + zset + ", " + member + ", 'job:7'";
            case 15 -> "'ZPOPMIN', " + zset + ", 2";
            case 16 -> "'ZPOPMAX', " + zset;
            case 17 -> "'ZREMRANGEBYSCORE', " + zset + ", 10, 12";
            case 18 -> "'ZREMRANGEBYRANK', " + zset + ", 5, 7";
            // Not ZREMRANGEBYLEX: over mixed scores, what it removes depends on the skip list's levels.
            case 19 -> "'ZREMRANGEBYSCORE', " + zset + ", '(30', 31";
            default -> "'XTRIM', " + stream + ", 'MAXLEN', " + (700 + random.nextInt(300));
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
            case "+stream\\r\\n" -> Resp.escape(connection.call("XRANGE", key, "-", "+"))
                    + Resp.escape(connection.call("XINFO", "STREAM", key));
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
