package io.nuthatch.server.type.sortedset;

import io.nuthatch.server.type.MemoryLayout;

/**
 * A node on the third level too, its link and span there in plain fields. A search crosses about
 * as many links on each level, and on the levels from the third up a link held in an array costs a
 * cache miss for the array besides the one for the node: with the third and fourth levels in
 * fields (here and in {@link FourLevelSkipListNode}), only the few nodes above the fourth level,
 * one in 256, keep arrays, and those are visited often enough to stay in the cache. Such a node is
 * 56 bytes, where one with a link array and a span array of one slot each would be 104.
 */
class ThreeLevelSkipListNode extends TwoLevelSkipListNode {
    static final long BYTES = MemoryLayout.align(TwoLevelSkipListNode.BYTES + MemoryLayout.REFERENCE + 4);

    /** The next node at the third level; null for the last there. */
    SkipListNode third;
    /** The span of {@link #third} (see {@link SkipList}). */
    int thirdSpan;

    ThreeLevelSkipListNode(byte[] member, int hash, double score) {
        super(member, hash, score);
    }

    @Override
    int levels() {
        return 3;
    }

    @Override
    long memoryUsage() {
        return BYTES + MemoryLayout.byteArray(member.length);
    }
}
