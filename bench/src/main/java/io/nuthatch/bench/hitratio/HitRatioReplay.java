package io.nuthatch.bench.hitratio;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replays one key trace as a cache client does, GET then SET on a miss, against a server or an
 * in-process cache, and prints one line: the hit ratio after the warm-up, the requests per second
 * of the replay, and the cache's final key count and memory. bench/hitratio.sh runs it for every
 * trace, policy and cache and builds the table.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.nuthatch.bench.hitratio.HitRatioReplay
 * --trace zipf-1.0 (--port P [--name N] | --simulate caffeine|exact-lru --capacity K)
 * [--keys 1000000] [--requests 2000000] [--scan-keys 2000000] [--value-size 100] [--window 32]
 * [--warmup 0.25] [--seed 1]}
 *
 * <p><b>Windows.</b> Requests go in windows of {@code --window}: the window's GETs pipelined, then a
 * SET for each distinct key that missed. A key that comes back within its window counts as a hit
 * (sequentially it would have been, once the first miss was stored) whatever the server answered,
 * so every cache is scored on the same sequence; the server still sees every GET.
 */
public final class HitRatioReplay {
    private HitRatioReplay() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = parse(args);
        String traceName = required(options, "trace");
        int keys = Integer.parseInt(options.getOrDefault("keys", "1000000"));
        long requests = Long.parseLong(options.getOrDefault("requests", "2000000"));
        int scanKeys = Integer.parseInt(options.getOrDefault("scan-keys", "2000000"));
        int valueSize = Integer.parseInt(options.getOrDefault("value-size", "100"));
        int window = Integer.parseInt(options.getOrDefault("window", "32"));
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "0.25"));
        long seed = Long.parseLong(options.getOrDefault("seed", "1"));

        KeyTrace trace = KeyTrace.named(traceName, keys, requests, scanKeys, seed);
        try (CacheUnderTest cache = options.containsKey("simulate")
                ? InProcessCache.named(options.get("simulate"), Integer.parseInt(required(options, "capacity")))
                : new RespServerCache(options.getOrDefault("name", "server"), options.getOrDefault("host", "127.0.0.1"),
                        Integer.parseInt(required(options, "port")), valueSize)) {
            long counted = (long) (requests * warmup);
            long[] score = replay(trace, cache, requests, window, counted);
            double hitRatio = (double) score[0] / (score[0] + score[1]);
            double seconds = score[2] / 1e9;
            System.out.printf("cache=%s trace=%s hit_ratio=%.4f hits=%d misses=%d ops_per_sec=%.0f %s%n",
                    cache.name(), traceName, hitRatio, score[0], score[1], requests / seconds, cache.finalState());
        }
    }

    /** Returns hits and misses counted from request {@code countFrom} on, and the elapsed nanoseconds. */
    private static long[] replay(KeyTrace trace, CacheUnderTest cache, long requests, int window, long countFrom)
            throws IOException {
        int[] keys = new int[window];
        boolean[] hits = new boolean[window];
        int[] missed = new int[window];
        long hitCount = 0;
        long missCount = 0;
        long started = System.nanoTime();
        for (long done = 0; done < requests; ) {
            int count = (int) Math.min(window, requests - done);
            for (int i = 0; i < count; i++) {
                keys[i] = trace.next();
            }
            cache.lookup(keys, count, hits);
            int missedCount = 0;
            for (int i = 0; i < count; i++) {
                boolean hit = hits[i] || seenEarlier(keys, i);
                if (!hit) {
                    missed[missedCount++] = keys[i];
                }
                if (done + i >= countFrom) {
                    if (hit) {
                        hitCount++;
                    } else {
                        missCount++;
                    }
                }
            }
            if (missedCount > 0) {
                cache.store(missed, missedCount);
            }
            done += count;
        }
        return new long[] {hitCount, missCount, System.nanoTime() - started};
    }

    private static boolean seenEarlier(int[] keys, int position) {
        for (int i = 0; i < position; i++) {
            if (keys[i] == keys[position]) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
