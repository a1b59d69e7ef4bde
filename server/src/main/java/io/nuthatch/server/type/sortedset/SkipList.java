package io.nuthatch.server.type.sortedset;

import io.nuthatch.server.type.MemoryLayout;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The elements of a large sorted set in (score, member) order: Pugh's skiplist with a span on
 * every link, as Redis keeps it, so that inserting, deleting, finding a score or a member's
 * position, and reaching the element at a rank all cost O(log n) on average.
 *
 * <p><b>The algorithm.</b> Every node is on the bottom level; a node is also on level k+1 with
 * probability 1/4 if it is on level k, up to 32 levels. A search starts at the header's highest
 * level in use and moves forward while the next node precedes the target, then drops a level; it
 * visits about 4/3 log4(n) nodes per level on average. A link's span is how many bottom-level steps
 * it skips, so the ranks crossed on the way down add up to the rank of where the search stops.
 * Inserting or deleting records, per level, the last node before the place ({@code update}) and its
 * rank ({@code rank}), and fixes the links and spans of exactly those nodes. Ties in score are
 * ordered by member bytes, unsigned, a shorter member first when it is a prefix of the other; two
 * elements never compare equal because members are unique. The bottom level is also linked
 * backwards, for reverse ranges and for the tail.
 *
 * <p>The list knows nothing of members' uniqueness: {@link MemberTable} finds a member's node, and
 * {@link SortedSet} keeps the two in step. The per-level scratch arrays of a search are per
 * thread, not per list, so a large set does not carry them; every operation clears the nodes it
 * left there (see {@link #release}).
 */
final class SkipList {
    static final int MAX_LEVEL = 32;
    private static final long OBJECT_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER
            + 2L * MemoryLayout.REFERENCE + 4 + 4 + 8);
    private static final ThreadLocal<SearchPath> PATHS = ThreadLocal.withInitial(SearchPath::new);

    private final TallSkipListNode header = new TallSkipListNode(null, 0, 0, MAX_LEVEL);
    private SkipListNode tail;
    private int length;
    /** Levels in use: the highest level of any node. */
    private int level = 1;
    /** Bytes of the nodes and their members, the header included. */
    private long memory = header.memoryUsage();

    /** The nodes before the place a search reached, per level, and their ranks. */
    private static final class SearchPath {
        final SkipListNode[] update = new SkipListNode[MAX_LEVEL];
        final int[] rank = new int[MAX_LEVEL];
    }

    /**
     * Clears the first {@code levels} nodes a search left in the thread's path. A node links to
     * its neighbours, so one node left there would keep its whole list reachable: a set deleted
     * or converted would stay on the heap, uncounted, until the thread's next skiplist operation
     * (the calibration test saw a whole 100,000-member set held that way).
     */
    private static void release(SkipListNode[] update, int levels) {
        Arrays.fill(update, 0, levels, null);
    }

    int length() {
        return length;
    }

    long memoryUsage() {
        return OBJECT_BYTES + memory;
    }

    SkipListNode first() {
        return header.next;
    }

    SkipListNode last() {
        return tail;
    }

    // ---------------------------------------------------------------- links

    private static SkipListNode forward(SkipListNode node, int level) {
        return switch (level) {
            case 0 -> node.next;
            case 1 -> ((TwoLevelSkipListNode) node).second;
            case 2 -> ((ThreeLevelSkipListNode) node).third;
            case 3 -> ((FourLevelSkipListNode) node).fourth;
            default -> ((TallSkipListNode) node).forward[level - 4];
        };
    }

    private static void setForward(SkipListNode node, int level, SkipListNode target) {
        switch (level) {
            case 0 -> node.next = target;
            case 1 -> ((TwoLevelSkipListNode) node).second = target;
            case 2 -> ((ThreeLevelSkipListNode) node).third = target;
            case 3 -> ((FourLevelSkipListNode) node).fourth = target;
            default -> ((TallSkipListNode) node).forward[level - 4] = target;
        }
    }

    /** The span of a link; the bottom level's is always 1. */
    private static int span(SkipListNode node, int level) {
        return switch (level) {
            case 0 -> 1;
            case 1 -> ((TwoLevelSkipListNode) node).secondSpan;
            case 2 -> ((ThreeLevelSkipListNode) node).thirdSpan;
            case 3 -> ((FourLevelSkipListNode) node).fourthSpan;
            default -> ((TallSkipListNode) node).span[level - 4];
        };
    }

    private static void setSpan(SkipListNode node, int level, int span) {
        switch (level) {
            case 1 -> ((TwoLevelSkipListNode) node).secondSpan = span;
            case 2 -> ((ThreeLevelSkipListNode) node).thirdSpan = span;
            case 3 -> ((FourLevelSkipListNode) node).fourthSpan = span;
            default -> ((TallSkipListNode) node).span[level - 4] = span;
        }
    }

    /** Whether {@code node} comes before the element (score, member) in the order of the list. */
    static boolean precedes(SkipListNode node, double score, byte[] member, int offset, int length) {
        return node.score < score || (node.score == score
                && Arrays.compareUnsigned(node.member, 0, node.member.length, member, offset, offset + length) < 0);
    }

    // ---------------------------------------------------------------- insertion and deletion

    /** A new node for a member (kept, not copied) with a level drawn at random. */
    static SkipListNode newNode(byte[] member, int hash, double score) {
        // Two random bits per level: each level is kept with probability 1/4.
        int levels = Math.min(MAX_LEVEL, 1 + (Long.numberOfTrailingZeros(ThreadLocalRandom.current().nextLong()) >>> 1));
        return switch (levels) {
            case 1 -> new SkipListNode(member, hash, score);
            case 2 -> new TwoLevelSkipListNode(member, hash, score);
            case 3 -> new ThreeLevelSkipListNode(member, hash, score);
            case 4 -> new FourLevelSkipListNode(member, hash, score);
            default -> new TallSkipListNode(member, hash, score, levels);
        };
    }

    /** Links a node in at the place its score and member give it; the member must not be in the list. */
    void insert(SkipListNode node) {
        link(node);
        memory += node.memoryUsage();
    }

    private void link(SkipListNode node) {
        SearchPath path = PATHS.get();
        SkipListNode[] update = path.update;
        int[] rank = path.rank;
        byte[] member = node.member;
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            SkipListNode next;
            while ((next = forward(x, i)) != null && precedes(next, node.score, member, 0, member.length)) {
                rank[i] += span(x, i);
                x = next;
            }
            update[i] = x;
        }
        int levels = node.levels();
        if (levels > level) {
            for (int i = level; i < levels; i++) {
                rank[i] = 0;
                update[i] = header;
                setSpan(header, i, length);
            }
            level = levels;
        }
        for (int i = 0; i < levels; i++) {
            setForward(node, i, forward(update[i], i));
            setForward(update[i], i, node);
            if (i > 0) {
                setSpan(node, i, span(update[i], i) - (rank[0] - rank[i]));
                setSpan(update[i], i, rank[0] - rank[i] + 1);
            }
        }
        for (int i = levels; i < level; i++) {
            setSpan(update[i], i, span(update[i], i) + 1);
        }
        node.backward = update[0] == header ? null : update[0];
        if (node.next != null) {
            node.next.backward = node;
        } else {
            tail = node;
        }
        length++;
        release(update, level);
    }

    /** Unlinks a node of this list. */
    void delete(SkipListNode node) {
        unlink(node);
        memory -= node.memoryUsage();
    }

    private void unlink(SkipListNode node) {
        SkipListNode[] update = PATHS.get().update;
        byte[] member = node.member;
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null && next != node
                    && precedes(next, node.score, member, 0, member.length)) {
                x = next;
            }
            update[i] = x;
        }
        int levels = level;
        unlink(node, update);
        release(update, levels);
    }

    /** Unlinks {@code node}, whose predecessors per level are in {@code update}. */
    private void unlink(SkipListNode node, SkipListNode[] update) {
        for (int i = 0; i < level; i++) {
            if (forward(update[i], i) == node) {
                if (i > 0) {
                    setSpan(update[i], i, span(update[i], i) + span(node, i) - 1);
                }
                setForward(update[i], i, forward(node, i));
            } else if (i > 0) {
                setSpan(update[i], i, span(update[i], i) - 1);
            }
        }
        if (node.next != null) {
            node.next.backward = node.backward;
        } else {
            tail = node.backward;
        }
        while (level > 1 && forward(header, level - 1) == null) {
            level--;
        }
        length--;
    }

    /**
     * Gives a node a new score. When its neighbours' scores still frame the new one, it keeps its
     * place (the common case of small increments); otherwise it moves, the same node relinked.
     */
    void updateScore(SkipListNode node, double score) {
        if ((node.backward == null || node.backward.score < score) && (node.next == null || node.next.score > score)) {
            node.score = score;
            return;
        }
        unlink(node);
        node.score = score;
        link(node);
    }

    // ---------------------------------------------------------------- ranks

    /** The 1-based rank of a node of this list. */
    int rankOf(SkipListNode node) {
        int rank = 0;
        SkipListNode x = header;
        byte[] member = node.member;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null
                    && (next == node || precedes(next, node.score, member, 0, member.length))) {
                rank += span(x, i);
                x = next;
            }
            if (x == node) {
                return rank;
            }
        }
        throw new IllegalStateException("node not in the list");
    }

    /** The node of the 1-based rank, or null past the end. */
    SkipListNode nodeAt(int rank) {
        if (rank < 1 || rank > length) {
            return null;
        }
        int traversed = 0;
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null && traversed + span(x, i) <= rank) {
                traversed += span(x, i);
                x = next;
            }
            if (traversed == rank) {
                return x;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- score and lex ranges

    /** The first node in the range, or null. */
    SkipListNode firstIn(ScoreRange range) {
        if (range.isEmpty() || tail == null || !range.aboveMin(tail.score) || !range.belowMax(header.next.score)) {
            return null;
        }
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null && !range.aboveMin(next.score)) {
                x = next;
            }
        }
        x = x.next;
        return range.belowMax(x.score) ? x : null;
    }

    /** The last node in the range, or null. */
    SkipListNode lastIn(ScoreRange range) {
        if (range.isEmpty() || tail == null || !range.aboveMin(tail.score) || !range.belowMax(header.next.score)) {
            return null;
        }
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null && range.belowMax(next.score)) {
                x = next;
            }
        }
        return x != header && range.aboveMin(x.score) ? x : null;
    }

    SkipListNode firstIn(LexRange range) {
        if (range.isEmpty() || tail == null || !range.aboveMin(tail.member) || !range.belowMax(header.next.member)) {
            return null;
        }
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null && !range.aboveMin(next.member)) {
                x = next;
            }
        }
        x = x.next;
        return range.belowMax(x.member) ? x : null;
    }

    SkipListNode lastIn(LexRange range) {
        if (range.isEmpty() || tail == null || !range.aboveMin(tail.member) || !range.belowMax(header.next.member)) {
            return null;
        }
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null && range.belowMax(next.member)) {
                x = next;
            }
        }
        return x != header && range.aboveMin(x.member) ? x : null;
    }

    // ---------------------------------------------------------------- deleting ranges

    /** Whether {@link #deleteRange(LexRange, MemberTable, ElementVisitor)} would delete anything. */
    boolean removesAny(LexRange range) {
        if (range.isEmpty()) {
            return false;
        }
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null && !range.aboveMin(next.member)) {
                x = next;
            }
        }
        return x.next != null && range.belowMax(x.next.member);
    }

    /** Deletes the nodes of a score range, taking each out of {@code members} too; returns how many. */
    int deleteRange(ScoreRange range, MemberTable members, ElementVisitor removed) {
        SkipListNode[] update = PATHS.get().update;
        int levels = level;
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null && !range.aboveMin(next.score)) {
                x = next;
            }
            update[i] = x;
        }
        int deleted = 0;
        x = x.next;
        while (x != null && range.belowMax(x.score)) {
            SkipListNode following = x.next;
            deleteWithPath(x, update, members, removed);
            deleted++;
            x = following;
        }
        release(update, levels);
        return deleted;
    }

    int deleteRange(LexRange range, MemberTable members, ElementVisitor removed) {
        if (range.isEmpty()) {
            return 0;
        }
        SkipListNode[] update = PATHS.get().update;
        int levels = level;
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null && !range.aboveMin(next.member)) {
                x = next;
            }
            update[i] = x;
        }
        int deleted = 0;
        x = x.next;
        while (x != null && range.belowMax(x.member)) {
            SkipListNode following = x.next;
            deleteWithPath(x, update, members, removed);
            deleted++;
            x = following;
        }
        release(update, levels);
        return deleted;
    }

    /** Deletes the nodes of 1-based ranks {@code start} to {@code end}; returns how many. */
    int deleteRanks(int start, int end, MemberTable members, ElementVisitor removed) {
        SkipListNode[] update = PATHS.get().update;
        int levels = level;
        int traversed = 0;
        SkipListNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = forward(x, i)) != null && traversed + span(x, i) < start) {
                traversed += span(x, i);
                x = next;
            }
            update[i] = x;
        }
        int deleted = 0;
        traversed++;
        x = x.next;
        while (x != null && traversed <= end) {
            SkipListNode following = x.next;
            deleteWithPath(x, update, members, removed);
            deleted++;
            traversed++;
            x = following;
        }
        release(update, levels);
        return deleted;
    }

    /** Unlinks a node of a range, telling {@code removed} (when not null) of it first. */
    private void deleteWithPath(SkipListNode node, SkipListNode[] update, MemberTable members, ElementVisitor removed) {
        if (removed != null) {
            removed.element(node.member, 0, node.member.length, node.score);
        }
        unlink(node, update);
        members.remove(node);
        memory -= node.memoryUsage();
    }
}
