package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.MemoryLayout;

import java.util.Arrays;

/**
 * What keys just evicted leave behind, kept for the next keys created: their arrays, matched by
 * exact length, and their entry objects.
 *
 * <p><b>Why.</b> A cache at maxmemory evicts a key for nearly every key it adds. Each evicted entry
 * is old by then, and its array becomes garbage scattered over the old generation, while the new
 * key's array is allocated young, survives and is promoted: the old generation churns at the write
 * rate, and G1 has to mark and compact it concurrently to keep up. With the data at 80% of the
 * heap it does not, and falls into full collections (bench/results/2026-12-02-container.md). When
 * values have one size, as a cache's often do (a format, a token, a counter, an object of fixed
 * fields), the new key's array has the length of one just evicted: writing the new key into it,
 * and reusing the entry object, leaves no garbage and promotes nothing. How much of what eviction
 * frees comes back this way is counted ({@link #reusedBytes}): the eviction gives the data a
 * larger share of the heap while nearly all of it does.
 *
 * <p>Arrays are kept by length and taken at the exact length a key needs (its layout and accounting
 * are then those of a newly allocated one) or, for longer strings, a little longer (see
 * {@code Database.insertString}), up to {@link #MAX_LENGTH} bytes each and {@link #MAX_KEPT_BYTES} in all (a full
 * store drops its arrays and starts over: they are lengths nobody takes), and entry objects up to
 * {@link #MAX_ENTRIES} of each class: enough for the bursts a walk hands back (it
 * keeps the keys evicted before it reached them, and recycles them once given). What is kept is
 * not in used_memory, as the pages jemalloc keeps for reuse are not in Redis's: it is part of the
 * room the heap keeps beside the data ({@code MemoryBudget.RECYCLING_HEADROOM}).
 *
 * <p>Only what nothing can read any more is offered: the entry is gone from its table and its expiry
 * index, no walk still has to give it, no undo log holds it, and what hears of the eviction has
 * read the key. An entry sampled for eviction may still sit in another policy's candidate pool
 * (per-database policies); the eviction takes it out of every pool before it is offered.
 */
final class RecycledEntries {
    static final int MAX_LENGTH = 4096;
    /** The arrays kept take at most a 128th of the heap, and 4 MiB. */
    static final long MAX_KEPT_BYTES = Math.min(4L << 20, Runtime.getRuntime().maxMemory() / 128);
    static final int MAX_ENTRIES = 4096;

    /** The arrays kept, a stack per length; grown, never shrunk, so that keeping allocates nothing. */
    private final byte[][][] byLength = new byte[MAX_LENGTH + 1][][];
    private final int[] counts = new int[MAX_LENGTH + 1];
    private long keptBytes;
    private final StringEntry[] plainEntries = new StringEntry[MAX_ENTRIES];
    private int plainCount;
    private final ExpiringEntry[] expiringEntries = new ExpiringEntry[MAX_ENTRIES];
    private int expiringCount;
    /** The memory handed out again since the start, in the units of used_memory. */
    private long reusedBytes;

    /** Keeps an evicted string entry's array and the entry itself; the entry keeps neither. */
    void offer(KeyEntry entry) {
        byte[] array = entry.data;
        entry.data = null;
        entry.next = null;
        offer(array);
        if (entry instanceof StringEntry plain) {
            if (plainCount < MAX_ENTRIES) {
                plainEntries[plainCount++] = plain;
            }
        } else if (entry instanceof ExpiringEntry expiring && expiringCount < MAX_ENTRIES) {
            expiring.value = null;
            expiringEntries[expiringCount++] = expiring;
        }
    }

    private void offer(byte[] array) {
        int length = array.length;
        long bytes = MemoryLayout.byteArray(length);
        if (length > MAX_LENGTH) {
            return;
        }
        if (keptBytes + bytes > MAX_KEPT_BYTES) {
            // Full: what is kept is what nobody takes (values changed size, or more is evicted than
            // created). Start over rather than refuse the lengths the new keys may need.
            dropArrays();
        }
        byte[][] stack = byLength[length];
        int count = counts[length];
        if (stack == null || count == stack.length) {
            stack = Arrays.copyOf(stack == null ? new byte[0][] : stack, Math.max(4, 2 * count));
            byLength[length] = stack;
        }
        stack[count] = array;
        counts[length] = count + 1;
        keptBytes += bytes;
    }

    /** An array of exactly {@code length} bytes, with old contents, or null when none is kept. */
    byte[] take(int length) {
        if (length > MAX_LENGTH || counts[length] == 0) {
            return null;
        }
        int count = --counts[length];
        byte[][] stack = byLength[length];
        byte[] array = stack[count];
        stack[count] = null;
        long bytes = MemoryLayout.byteArray(length);
        keptBytes -= bytes;
        reusedBytes += bytes;
        return array;
    }

    /** The shortest array kept of {@code min} to {@code max} bytes, with old contents, or null. */
    byte[] takeBetween(int min, int max) {
        int last = Math.min(max, MAX_LENGTH);
        for (int length = min; length <= last; length++) {
            if (counts[length] > 0) {
                return take(length);
            }
        }
        return null;
    }

    /** An evicted entry without expiry to reuse, its fields to be set anew; or null. */
    StringEntry takePlain() {
        if (plainCount == 0) {
            return null;
        }
        StringEntry entry = plainEntries[--plainCount];
        plainEntries[plainCount] = null;
        reusedBytes += StringEntry.BYTES;
        return entry;
    }

    /** An evicted entry with an expiry to reuse, its fields to be set anew; or null. */
    ExpiringEntry takeExpiring() {
        if (expiringCount == 0) {
            return null;
        }
        ExpiringEntry entry = expiringEntries[--expiringCount];
        expiringEntries[expiringCount] = null;
        reusedBytes += ExpiringEntry.BYTES;
        return entry;
    }

    long reusedBytes() {
        return reusedBytes;
    }

    /** The memory of the arrays kept now. */
    long keptBytes() {
        return keptBytes;
    }

    private void dropArrays() {
        for (int length = 0; length <= MAX_LENGTH; length++) {
            if (counts[length] > 0) {
                Arrays.fill(byLength[length], 0, counts[length], null);
                counts[length] = 0;
            }
        }
        keptBytes = 0;
    }

    /** Drops everything kept (FLUSHALL), the stacks too. */
    void clear() {
        Arrays.fill(byLength, null);
        Arrays.fill(counts, 0);
        Arrays.fill(plainEntries, null);
        Arrays.fill(expiringEntries, null);
        keptBytes = 0;
        plainCount = 0;
        expiringCount = 0;
    }
}
