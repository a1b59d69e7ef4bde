package io.nuthatch.server.config;

/** The sizes under which Redis keeps a value in a compact encoding (listpack, intset, sparse HLL). */
public final class EncodingDirectives {
    private static final long INT_MAX = Integer.MAX_VALUE;

    public final IntegerDirective hashMaxListpackEntries;
    public final MemoryDirective hashMaxListpackValue;
    public final IntegerDirective listMaxListpackSize;
    public final IntegerDirective listCompressDepth;
    public final IntegerDirective setMaxIntsetEntries;
    public final IntegerDirective zsetMaxListpackEntries;
    public final MemoryDirective zsetMaxListpackValue;
    public final MemoryDirective hllSparseMaxBytes;
    public final MemoryDirective streamNodeMaxBytes;
    public final IntegerDirective streamNodeMaxEntries;

    EncodingDirectives(DirectiveRegistry registry) {
        hashMaxListpackEntries = registry.add(new IntegerDirective("hash-max-listpack-entries", 512, 0, Long.MAX_VALUE)
                .unsigned()).alias("hash-max-ziplist-entries");
        hashMaxListpackValue = registry.add(new MemoryDirective("hash-max-listpack-value", 64, 0, Long.MAX_VALUE)
                .unsigned()).alias("hash-max-ziplist-value");
        listMaxListpackSize = registry.add(new IntegerDirective("list-max-listpack-size", -2, Integer.MIN_VALUE, INT_MAX))
                .alias("list-max-ziplist-size");
        // List nodes are never compressed: the depth is accepted, reported and ignored.
        listCompressDepth = registry.add(new IntegerDirective("list-compress-depth", 0, 0, INT_MAX))
                .withoutEffect("list nodes are never compressed");
        setMaxIntsetEntries = registry.add(new IntegerDirective("set-max-intset-entries", 512, 0, Long.MAX_VALUE)
                .unsigned());
        zsetMaxListpackEntries = registry.add(new IntegerDirective("zset-max-listpack-entries", 128, 0, Long.MAX_VALUE)
                .unsigned()).alias("zset-max-ziplist-entries");
        zsetMaxListpackValue = registry.add(new MemoryDirective("zset-max-listpack-value", 64, 0, Long.MAX_VALUE)
                .unsigned()).alias("zset-max-ziplist-value");
        hllSparseMaxBytes = registry.add(new MemoryDirective("hll-sparse-max-bytes", 3000, 0, Long.MAX_VALUE).unsigned());
        streamNodeMaxBytes = registry.add(new MemoryDirective("stream-node-max-bytes", 4096, 0, Long.MAX_VALUE)
                .unsigned());
        streamNodeMaxEntries = registry.add(new IntegerDirective("stream-node-max-entries", 100, 0, Long.MAX_VALUE));
    }
}
