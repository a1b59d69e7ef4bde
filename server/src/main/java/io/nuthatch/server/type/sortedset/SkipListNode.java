package io.nuthatch.server.type.sortedset;

import io.nuthatch.server.type.MemoryLayout;

/**
 * One element of a large sorted set: its member and score, its links in the skiplist and its link
 * in the member table. Three nodes in four have only the bottom level (the levels are drawn with
 * p = 1/4), so the bottom level's forward link lives here as a plain field and its span, always 1,
 * is not stored at all; the second, third and fourth levels are in {@link TwoLevelSkipListNode}
 * and its subclasses, the levels above them in {@link TallSkipListNode}. With the member's hash kept here for the table (it fills what would
 * be padding), a node is 40 bytes, where a node with arrays for every level would be 88.
 */
class SkipListNode {
    static final long BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 4 + 8 + 4L * MemoryLayout.REFERENCE);

    final byte[] member;
    final int hash;
    double score;
    /** The previous node at the bottom level; null for the first. */
    SkipListNode backward;
    /** The next node at the bottom level; null for the last. */
    SkipListNode next;
    /** The next node of the same member table bucket. */
    SkipListNode hashNext;

    SkipListNode(byte[] member, int hash, double score) {
        this.member = member;
        this.hash = hash;
        this.score = score;
    }

    /** Number of levels, the bottom one included. */
    int levels() {
        return 1;
    }

    /** Heap bytes of the node, its level arrays and its member. */
    long memoryUsage() {
        return BYTES + MemoryLayout.byteArray(member.length);
    }
}
