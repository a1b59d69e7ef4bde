package io.nuthatch.server.type.sortedset;

import io.nuthatch.server.type.MemoryLayout;

/**
 * A node with levels above the fourth: {@code forward[i]} and {@code span[i]} are those of level
 * {@code i + 5} (the first four are in the superclasses' fields). The span is the number of
 * bottom-level steps the link skips (the rank of the forward node minus this node's), or, where
 * there is no forward node, the number of nodes after this one; that is what lets a rank be summed
 * on the way down in O(log n). The skiplist's header is one of these, with every level.
 */
final class TallSkipListNode extends FourLevelSkipListNode {
    static final long BYTES = MemoryLayout.align(FourLevelSkipListNode.BYTES + 2L * MemoryLayout.REFERENCE);

    final SkipListNode[] forward;
    final int[] span;

    TallSkipListNode(byte[] member, int hash, double score, int levels) {
        super(member, hash, score);
        this.forward = new SkipListNode[levels - 4];
        this.span = new int[levels - 4];
    }

    @Override
    int levels() {
        return forward.length + 4;
    }

    @Override
    long memoryUsage() {
        long member = this.member == null ? 0 : MemoryLayout.byteArray(this.member.length);
        return BYTES + MemoryLayout.referenceArray(forward.length) + MemoryLayout.byteArray(4 * span.length) + member;
    }
}
