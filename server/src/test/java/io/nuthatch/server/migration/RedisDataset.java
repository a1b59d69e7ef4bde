package io.nuthatch.server.migration;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.Resp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills a redis-server with every type in every encoding Redis 7.0 has, with and without TTLs,
 * across several databases: the dataset the import tests write with redis-server and compare
 * key by key after Nuthatch imported it.
 */
public final class RedisDataset {
    /** Keys with an expiry of a few milliseconds: gone before the import, which must skip them. */
    public static final String EXPIRED_KEY = "soon-gone";

    private RedisDataset() {
    }

    static void fill(RawConnection redis) throws IOException {
        fill(redis, true);
    }

    /** Every type and encoding, TTLs, three databases; with a function library when the server has FUNCTION. */
    public static void fill(RawConnection redis, boolean withFunction) throws IOException {
        call(redis, "FLUSHALL");
        call(redis, "SELECT", "0");
        call(redis, "SET", "string", "hello");
        call(redis, "SET", "integer", "-12345");
        call(redis, "SET", "big-integer", "12345678901234");
        call(redis, "SET", "compressible", "abcabcabc".repeat(50));
        call(redis, "SET", "large", "0123456789".repeat(6000));
        call(redis, "SET", "with-ttl", "v", "PX", "900000");
        call(redis, "SET", EXPIRED_KEY, "v", "PX", "1");
        call(redis, "PFADD", "hll", "a", "b", "c");
        call(redis, "RPUSH", "small-list", "a", "1", "-300", "x".repeat(70));
        call(redis, many("RPUSH", "long-list", 4000, i -> i % 3 == 0 ? Integer.toString(i * 31) : "element-" + i));
        call(redis, "EXPIRE", "long-list", "800000");
        call(redis, "SADD", "intset", "1", "2", "-70000");
        call(redis, "SADD", "intset64", "1", "4294967296");
        call(redis, many("SADD", "set-table", 300, i -> "member:" + i));
        call(redis, "HSET", "small-hash", "f1", "v1", "n", "42");
        call(redis, many("HSET", "hash-table", 1200, i -> (i % 2 == 0 ? "field" : "value") + i));
        call(redis, "ZADD", "small-zset", "1", "a", "2.5", "b", "-inf", "c", "1e20", "d", "0.1", "e");
        call(redis, many("ZADD", "zset-skiplist", 600, i -> Double.toString(i * 0.75 - 40)));
        call(redis, "XADD", "stream", "1-1", "a", "1", "b", "2");
        call(redis, "XADD", "stream", "1-2", "a", "3", "b", "4");
        call(redis, "XADD", "stream", "2-1", "other", "x");
        call(redis, "XADD", "stream", "3-0", "a", "5", "b", "6");
        call(redis, "XDEL", "stream", "1-2");
        call(redis, "XGROUP", "CREATE", "stream", "g1", "0");
        call(redis, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "stream", ">");
        call(redis, "XGROUP", "CREATECONSUMER", "stream", "g1", "bob");
        if (withFunction) {
            call(redis, "FUNCTION", "LOAD", "#!lua name=importlib\nredis.register_function('importf', function() return 1 end)");
        }
        call(redis, "SELECT", "3");
        call(redis, "SET", "string", "in db 3", "EX", "700000");
        call(redis, "HSET", "small-hash", "db", "3");
        call(redis, many("RPUSH", "list-of-big", 12, i -> "y".repeat(6000 + i)));
        call(redis, "SELECT", "15");
        call(redis, "SADD", "last-db", "only");
        call(redis, "SELECT", "0");
    }

    private static List<String> many(String command, String key, int count, java.util.function.IntFunction<String> item) {
        List<String> words = new ArrayList<>(List.of(command, key));
        for (int i = 0; i < count; i++) {
            words.add(item.apply(i));
            if (command.equals("ZADD")) {
                words.add("m" + i);
            }
        }
        return words;
    }

    private static void call(RawConnection redis, List<String> words) throws IOException {
        call(redis, words.toArray(new String[0]));
    }

    static void call(RawConnection redis, String... words) throws IOException {
        byte[] reply = redis.call(words);
        if (reply == null || reply[0] == '-') {
            throw new IOException(String.join(" ", words).substring(0, 40) + ": " + (reply == null ? "closed" : Resp.escape(reply)));
        }
    }
}
