package io.nuthatch.server.type.sortedset;

import io.nuthatch.server.type.MemoryLayout;

/**
 * A node on the second level too: its link and span there are plain fields. Of the nodes above
 * the bottom level, three in four stop at the second (levels are drawn with p = 1/4), so with
 * the link here rather than in arrays such a node is 48 bytes, where one with a link array and a
 * span array of one slot each would be 96; that is about 9 bytes saved per element of a large set,
 * a tenth of what an element costs. The third level is in {@link ThreeLevelSkipListNode}.
 */
class TwoLevelSkipListNode extends SkipListNode {
    static final long BYTES = MemoryLayout.align(SkipListNode.BYTES + MemoryLayout.REFERENCE + 4);

    /** The next node at the second level; null for the last there. */
    SkipListNode second;
    /** The span of {@link #second} (see {@link SkipList}). */
    int secondSpan;

    TwoLevelSkipListNode(byte[] member, int hash, double score) {
        super(member, hash, score);
    }

    @Override
    int levels() {
        return 2;
    }

    @Override
    long memoryUsage() {
        return BYTES + MemoryLayout.byteArray(member.length);
    }
}
