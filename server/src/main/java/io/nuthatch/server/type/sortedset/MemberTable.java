package io.nuthatch.server.type.sortedset;

import io.nuthatch.server.type.MemoryLayout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The members of a large sorted set, hashed to their skiplist nodes: ZSCORE, ZRANK, ZADD of an
 * existing member and ZREM find a member in O(1) here, as Redis's zset dict does. The nodes are
 * chained through their own {@code hashNext} field and carry their hash, so the table adds only its
 * bucket array (4 bytes a bucket) to the nodes, and growing it reads no member again.
 *
 * <p>The table doubles when it holds as many members as buckets, and shrinks to the smallest
 * power of two that holds its members when it falls under a tenth full, as Redis's dict does. It
 * resizes in one go rather than incrementally: with the hash in each node a resize is one pass of
 * relinking (about 10 ms at a million members on the 2-core VM), which costs, amortized, one
 * relink per insertion.
 *
 * <p><b>Scan cursors.</b> {@link #scan} visits buckets in the order of their index's bits reversed,
 * the cursor being the next index, Redis's dictScan: since a bucket of a table of 2^k buckets
 * expands into buckets that are consecutive in that order in any larger table (and folds into one
 * of a smaller table), a full scan returns every member present from its start to its end, at
 * least once, whatever resizes happen between the calls.
 *
 * <p>The hash is seeded at random when the process starts, so that members cannot be chosen to
 * fall into one bucket.
 */
final class MemberTable {
    private static final int MIN_CAPACITY = 4;
    private static final SkipListNode[] NONE = new SkipListNode[0];
    private static final long OBJECT_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + MemoryLayout.REFERENCE + 4);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = new SecureRandom().nextLong();
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

    private SkipListNode[] buckets = NONE;
    private int size;

    int size() {
        return size;
    }

    long memoryUsage() {
        return OBJECT_BYTES + MemoryLayout.referenceArray(buckets.length);
    }

    /**
     * The hash of a member: eight bytes at a time, each word multiplied into the state and folded,
     * then a final avalanche (the finalizer of MurmurHash3's 64-bit variant).
     */
    static int hash(byte[] bytes, int offset, int length) {
        long h = SEED ^ (length * MULTIPLIER);
        int p = offset;
        int end = offset + (length & ~7);
        for (; p < end; p += 8) {
            long word = (long) LONG_LE.get(bytes, p);
            h = Long.rotateLeft(h ^ (word * MULTIPLIER), 29) * MULTIPLIER;
        }
        long tail = 0;
        for (int shift = 0; p < offset + length; p++, shift += 8) {
            tail |= (bytes[p] & 0xffL) << shift;
        }
        h ^= tail * MULTIPLIER;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    SkipListNode find(byte[] member, int offset, int length, int hash) {
        if (size == 0) {
            return null;
        }
        for (SkipListNode node = buckets[hash & (buckets.length - 1)]; node != null; node = node.hashNext) {
            if (node.hash == hash && Arrays.equals(node.member, 0, node.member.length, member, offset, offset + length)) {
                return node;
            }
        }
        return null;
    }

    /** Adds a node whose member is not in the table. */
    void add(SkipListNode node) {
        if (size >= buckets.length) {
            resize(Math.max(MIN_CAPACITY, buckets.length * 2));
        }
        int index = node.hash & (buckets.length - 1);
        node.hashNext = buckets[index];
        buckets[index] = node;
        size++;
    }

    /** Takes a node of the table out of it. */
    void remove(SkipListNode node) {
        int index = node.hash & (buckets.length - 1);
        SkipListNode current = buckets[index];
        if (current == node) {
            buckets[index] = node.hashNext;
        } else {
            while (current.hashNext != node) {
                current = current.hashNext;
            }
            current.hashNext = node.hashNext;
        }
        node.hashNext = null;
        size--;
    }

    /** Shrinks a table under a tenth full, as Redis resizes a dict after deletions. */
    void shrinkIfSparse() {
        if (buckets.length > MIN_CAPACITY && (long) size * 100 / buckets.length < 10) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(size, 1) * 2 - 1)));
        }
    }

    /** Makes room for {@code expected} members at once (a copy), so that adding them never resizes. */
    void presize(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < expected) {
            capacity <<= 1;
        }
        if (capacity > buckets.length) {
            resize(capacity);
        }
    }

    private void resize(int capacity) {
        SkipListNode[] old = buckets;
        SkipListNode[] table = new SkipListNode[capacity];
        int mask = capacity - 1;
        for (SkipListNode head : old) {
            SkipListNode node = head;
            while (node != null) {
                SkipListNode following = node.hashNext;
                int index = node.hash & mask;
                node.hashNext = table[index];
                table[index] = node;
                node = following;
            }
        }
        buckets = table;
    }

    /** Receives the nodes of a scan step. */
    interface NodeVisitor {
        void visit(SkipListNode node);
    }

    /** One SCAN step: visits the nodes of the cursor's bucket and returns the next cursor, 0 at the end. */
    long scan(long cursor, NodeVisitor visitor) {
        if (size == 0) {
            return 0;
        }
        long mask = buckets.length - 1;
        for (SkipListNode node = buckets[(int) (cursor & mask)]; node != null; node = node.hashNext) {
            visitor.visit(node);
        }
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }
}
