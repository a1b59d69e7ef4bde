package io.nuthatch.server.config;

import java.util.List;

/** maxmemory and eviction, lazy freeing, and Redis's allocator knobs. */
public final class MemoryManagementDirectives {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final String LAZY_FREE = "the JVM frees memory in the background anyway";
    private static final String DEFRAG = "Active defragmentation cannot be enabled: it requires a Redis server compiled"
            + " with a modified Jemalloc like the one shipped by default with the Redis source distribution";

    public final MemoryDirective maxmemory;
    public final EnumDirective maxmemoryPolicy;
    public final DatabasePolicyDirective maxmemoryPolicyDb;
    public final IntegerDirective maxmemorySamples;
    public final IntegerDirective maxmemoryEvictionTenacity;
    public final IntegerDirective lfuLogFactor;
    public final IntegerDirective lfuDecayTime;
    public final BooleanDirective lazyfreeLazyEviction;
    public final BooleanDirective lazyfreeLazyExpire;
    public final BooleanDirective lazyfreeLazyServerDel;
    public final BooleanDirective lazyfreeLazyUserDel;
    public final BooleanDirective lazyfreeLazyUserFlush;
    public final BooleanDirective activedefrag;
    public final MemoryDirective activeDefragIgnoreBytes;
    public final IntegerDirective activeDefragThresholdLower;
    public final IntegerDirective activeDefragThresholdUpper;
    public final IntegerDirective activeDefragCycleMin;
    public final IntegerDirective activeDefragCycleMax;
    public final IntegerDirective activeDefragMaxScanFields;

    MemoryManagementDirectives(DirectiveRegistry registry, IntegerDirective databases) {
        maxmemory = registry.add(new MemoryDirective("maxmemory", 0, 0, -1L).unsigned());
        List<String> policies = List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction");
        maxmemoryPolicy = registry.add(new EnumDirective("maxmemory-policy", "noeviction",
                policies.toArray(String[]::new)));
        // Not Redis's: hidden from CONFIG GET's patterns, so that CONFIG GET * lists what Redis lists.
        maxmemoryPolicyDb = registry.add(new DatabasePolicyDirective(databases, policies)).hidden();
        maxmemorySamples = registry.add(new IntegerDirective("maxmemory-samples", 5, 1, INT_MAX));
        maxmemoryEvictionTenacity = registry.add(new IntegerDirective("maxmemory-eviction-tenacity", 10, 0, 100));
        lfuLogFactor = registry.add(new IntegerDirective("lfu-log-factor", 10, 0, INT_MAX));
        lfuDecayTime = registry.add(new IntegerDirective("lfu-decay-time", 1, 0, INT_MAX));
        lazyfreeLazyEviction = registry.add(new BooleanDirective("lazyfree-lazy-eviction", false));
        lazyfreeLazyExpire = registry.add(new BooleanDirective("lazyfree-lazy-expire", false));
        lazyfreeLazyServerDel = registry.add(new BooleanDirective("lazyfree-lazy-server-del", false))
                .withoutEffect(LAZY_FREE);
        lazyfreeLazyUserDel = registry.add(new BooleanDirective("lazyfree-lazy-user-del", false))
                .withoutEffect(LAZY_FREE);
        lazyfreeLazyUserFlush = registry.add(new BooleanDirective("lazyfree-lazy-user-flush", false))
                .withoutEffect(LAZY_FREE);
        activedefrag = registry.add(new BooleanDirective("activedefrag", false).refusingYes(DEFRAG));
        activeDefragIgnoreBytes = registry.add(new MemoryDirective("active-defrag-ignore-bytes", 100L << 20, 1,
                Long.MAX_VALUE).unsigned()).withoutEffect(NoEffect.JVM_MEMORY);
        activeDefragThresholdLower = registry.add(new IntegerDirective("active-defrag-threshold-lower", 10, 0, 1000))
                .withoutEffect(NoEffect.JVM_MEMORY);
        activeDefragThresholdUpper = registry.add(new IntegerDirective("active-defrag-threshold-upper", 100, 0, 1000))
                .withoutEffect(NoEffect.JVM_MEMORY);
        activeDefragCycleMin = registry.add(new IntegerDirective("active-defrag-cycle-min", 1, 1, 99))
                .withoutEffect(NoEffect.JVM_MEMORY);
        activeDefragCycleMax = registry.add(new IntegerDirective("active-defrag-cycle-max", 25, 1, 99))
                .withoutEffect(NoEffect.JVM_MEMORY);
        activeDefragMaxScanFields = registry.add(new IntegerDirective("active-defrag-max-scan-fields", 1000, 1,
                Long.MAX_VALUE)).withoutEffect(NoEffect.JVM_MEMORY);
    }
}
