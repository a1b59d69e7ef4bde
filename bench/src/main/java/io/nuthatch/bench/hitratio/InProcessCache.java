package io.nuthatch.bench.hitratio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reference points replayed in this process at a given capacity in keys: Caffeine's W-TinyLFU
 * (the candidate the issue asks us to weigh) and exact LRU (what allkeys-lru approximates by
 * sampling). Comparing them at the key count a server held isolates the policy from the memory a
 * key costs.
 */
abstract class InProcessCache implements CacheUnderTest {
    private final String name;
    protected final int capacity;

    private InProcessCache(String name, int capacity) {
        this.name = name;
        this.capacity = capacity;
    }

    static InProcessCache named(String kind, int capacity) {
        return switch (kind) {
            case "caffeine" -> new WindowTinyLfu(capacity);
            case "exact-lru" -> new ExactLru(capacity);
            default -> throw new IllegalArgumentException("unknown in-process cache " + kind
                    + " (caffeine, exact-lru)");
        };
    }

    abstract boolean contains(int key);

    abstract void put(int key);

    abstract long size();

    @Override
    public void lookup(int[] keys, int count, boolean[] hits) {
        for (int i = 0; i < count; i++) {
            hits[i] = contains(keys[i]);
        }
    }

    @Override
    public void store(int[] keys, int count) {
        for (int i = 0; i < count; i++) {
            put(keys[i]);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String finalState() {
        return "keys=" + size() + " capacity=" + capacity;
    }

    @Override
    public void close() {
    }

    /** Caffeine bounded by entry count; maintenance runs on the calling thread, so a run is reproducible. */
    private static final class WindowTinyLfu extends InProcessCache {
        private final Cache<Integer, Boolean> cache;

        WindowTinyLfu(int capacity) {
            super("caffeine", capacity);
            this.cache = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
        }

        @Override
        boolean contains(int key) {
            return cache.getIfPresent(key) != null;
        }

        @Override
        void put(int key) {
            cache.put(key, Boolean.TRUE);
        }

        @Override
        long size() {
            cache.cleanUp();
            return cache.estimatedSize();
        }
    }

    private static final class ExactLru extends InProcessCache {
        private final LinkedHashMap<Integer, Boolean> map;

        ExactLru(int capacity) {
            super("exact-lru", capacity);
            this.map = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
                    return size() > ExactLru.this.capacity;
                }
            };
        }

        @Override
        boolean contains(int key) {
            return map.get(key) != null;
        }

        @Override
        void put(int key) {
            map.put(key, Boolean.TRUE);
        }

        @Override
        long size() {
            return map.size();
        }
    }
}
