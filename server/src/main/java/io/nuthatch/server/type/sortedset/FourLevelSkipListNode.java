package io.nuthatch.server.type.sortedset;

import io.nuthatch.server.type.MemoryLayout;

/**
 * A node on the fourth level too, its link and span there in plain fields (why fields, see
 * {@link ThreeLevelSkipListNode}). The levels from the fifth up live in {@link TallSkipListNode}.
 */
class FourLevelSkipListNode extends ThreeLevelSkipListNode {
    static final long BYTES = MemoryLayout.align(ThreeLevelSkipListNode.BYTES + MemoryLayout.REFERENCE + 4);

    /** The next node at the fourth level; null for the last there. */
    SkipListNode fourth;
    /** The span of {@link #fourth} (see {@link SkipList}). */
    int fourthSpan;

    FourLevelSkipListNode(byte[] member, int hash, double score) {
        super(member, hash, score);
    }

    @Override
    int levels() {
        return 4;
    }

    @Override
    long memoryUsage() {
        return BYTES + MemoryLayout.byteArray(member.length);
    }
}
