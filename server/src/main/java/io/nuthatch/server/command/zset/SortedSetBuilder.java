package io.nuthatch.server.command.zset;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.type.sortedset.ElementVisitor;
import io.nuthatch.server.type.sortedset.SortedSet;

/**
 * Collects visited elements into a new sorted set, for the commands that store a result
 * (ZRANGESTORE). The set starts as a listpack and converts as it grows past the limits, so its
 * encoding ends as Redis's would.
 */
final class SortedSetBuilder implements ElementVisitor {
    private final long maxEntries;
    private final long maxValue;
    private final SortedSet set;

    private SortedSetBuilder(long maxEntries, long maxValue) {
        this.maxEntries = maxEntries;
        this.maxValue = maxValue;
        this.set = SortedSet.create(0, maxEntries, maxValue);
    }

    static SortedSetBuilder start(CommandContext c) {
        return new SortedSetBuilder(SortedSetAccess.maxEntries(c), SortedSetAccess.maxValue(c));
    }

    @Override
    public void element(byte[] member, int offset, int length, double score) {
        set.add(member, offset, length, score, 0, maxEntries, maxValue);
    }

    SortedSet result() {
        return set;
    }
}
