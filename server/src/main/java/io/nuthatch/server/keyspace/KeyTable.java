package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.MemoryLayout;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The hash table of one database: keys to entries, chained in power-of-two bucket arrays.
 *
 * <p><b>Incremental rehash.</b> Growing a table of millions of keys in one go would stall every
 * client for as long as the copy takes. So, as in Redis's dict, a resize allocates the new bucket
 * array and then moves one bucket per operation (and more from the server's cron) while both
 * arrays are live: lookups look in both, inserts go to the new one, and the old one is dropped
 * when its last bucket has moved. Entries do not store their hash (it would cost 8 bytes an entry,
 * see {@link KeyEntry}): a move hashes the key again, as Redis's rehash does, and a lookup compares
 * the four bits of the hash every entry keeps before it reads a key.
 *
 * <p><b>Scan cursors.</b> {@link #scan} visits buckets in the order of their index's bits
 * reversed, and the cursor is the next bucket index. With power-of-two sizes, every bucket of a
 * smaller table expands to buckets of the larger one that share its low bits, and reversing the
 * bits makes those buckets consecutive in cursor order. That is why a full iteration returns every
 * key present from start to end, whether the table grows, shrinks or is mid-rehash between calls
 * (some keys may come twice). During a rehash each call visits the cursor's bucket in the smaller
 * array and all its expansions in the larger one. This is Redis's dictScan algorithm.
 */
final class KeyTable {
    private static final int INITIAL_CAPACITY = 4;
    private static final KeyEntry[] NONE = new KeyEntry[0];
    /** A table under this fill percentage shrinks (Redis's HASHTABLE_MIN_FILL). */
    private static final int MIN_FILL_PERCENT = 10;
    /** Empty buckets one rehash step may skip before it gives up (Redis: 10 per bucket moved). */
    private static final int EMPTY_VISITS_PER_STEP = 10;

    /** Where the bucket arrays' bytes are counted; a table given up (FLUSHDB) counts in one of its own. */
    private MemoryTotals totals;
    private KeyEntry[] buckets = NONE;
    /** The array being rehashed into, or null. */
    private KeyEntry[] rehashTarget;
    /** Next bucket of {@link #buckets} to move, while rehashing. */
    private int rehashIndex = -1;
    private int size;
    /**
     * The database number this table had when the walk in progress started, which is the number the
     * walk reports for its keys whatever SWAPDB does later; -1 for a table the walk did not see.
     */
    int walkDatabase = -1;

    KeyTable(MemoryTotals totals) {
        this.totals = totals;
    }

    /**
     * Takes the table's arrays out of the totals, for a table its database gave up (FLUSHDB) but a
     * walk may still read: what happens to it later is no longer the keyspace's memory.
     */
    void leaveTotals() {
        totals.index -= bucketBytes();
        totals = new MemoryTotals();
    }

    int size() {
        return size;
    }

    boolean isRehashing() {
        return rehashTarget != null;
    }

    KeyEntry find(byte[] key, int offset, int length, int hash) {
        if (size == 0) {
            return null;
        }
        if (rehashTarget != null) {
            rehashStep();
        }
        KeyEntry found = findIn(buckets, key, offset, length, hash);
        if (found == null && rehashTarget != null) {
            found = findIn(rehashTarget, key, offset, length, hash);
        }
        return found;
    }

    private static KeyEntry findIn(KeyEntry[] table, byte[] key, int offset, int length, int hash) {
        if (table.length == 0) {
            return null;
        }
        int tag = KeyEntry.tag(hash);
        for (KeyEntry entry = table[hash & (table.length - 1)]; entry != null; entry = entry.next) {
            if (KeyEntry.tag(entry.meta) == tag && entry.keyEquals(key, offset, length)) {
                return entry;
            }
        }
        return null;
    }

    static int hashOf(KeyEntry entry) {
        byte[] data = entry.data;
        return KeyHashing.hash(data, EntryData.keyOffset(data), EntryData.keyLength(data));
    }

    /** Adds an entry whose key is not in the table; {@code hash} is its key's hash. */
    void insert(KeyEntry entry, int hash) {
        if (rehashTarget != null) {
            rehashStep();
        } else {
            growIfFull();
        }
        KeyEntry[] table = rehashTarget != null ? rehashTarget : buckets;
        int index = hash & (table.length - 1);
        entry.next = table[index];
        table[index] = entry;
        size++;
    }

    /**
     * Puts {@code replacement}, an entry of the same key, where {@code entry} is in its chain, so that
     * an entry can change class without a remove and an insert (which could move a rehash along
     * under a SCAN, and would reorder the chain). False if {@code entry} is not in the table.
     */
    boolean replace(KeyEntry entry, KeyEntry replacement) {
        int hash = hashOf(entry);
        if (relink(buckets, entry, replacement, hash)
                || (rehashTarget != null && relink(rehashTarget, entry, replacement, hash))) {
            entry.next = null;
            return true;
        }
        return false;
    }

    private static boolean relink(KeyEntry[] table, KeyEntry entry, KeyEntry replacement, int hash) {
        if (table.length == 0) {
            return false;
        }
        int index = hash & (table.length - 1);
        KeyEntry previous = null;
        for (KeyEntry current = table[index]; current != null; current = current.next) {
            if (current == entry) {
                replacement.next = entry.next;
                if (previous == null) {
                    table[index] = replacement;
                } else {
                    previous.next = replacement;
                }
                return true;
            }
            previous = current;
        }
        return false;
    }

    /** Removes the given entry (by identity); false if it is not in the table. */
    boolean remove(KeyEntry entry) {
        if (size == 0) {
            return false;
        }
        if (rehashTarget != null) {
            rehashStep();
        }
        int hash = hashOf(entry);
        if (unlink(buckets, entry, hash) || (rehashTarget != null && unlink(rehashTarget, entry, hash))) {
            size--;
            entry.next = null;
            return true;
        }
        return false;
    }

    private static boolean unlink(KeyEntry[] table, KeyEntry entry, int hash) {
        if (table.length == 0) {
            return false;
        }
        int index = hash & (table.length - 1);
        KeyEntry previous = null;
        for (KeyEntry current = table[index]; current != null; current = current.next) {
            if (current == entry) {
                if (previous == null) {
                    table[index] = current.next;
                } else {
                    previous.next = current.next;
                }
                return true;
            }
            previous = current;
        }
        return false;
    }

    private void growIfFull() {
        if (buckets.length == 0) {
            buckets = new KeyEntry[INITIAL_CAPACITY];
            totals.index += MemoryLayout.referenceArray(INITIAL_CAPACITY);
        } else if (size >= buckets.length) {
            startRehash(capacityFor(size + 1));
        }
    }

    /** An empty table takes the capacity for {@code entries} keys at once (loading). */
    void reserve(int entries) {
        if (size == 0 && rehashTarget == null) {
            int capacity = capacityFor(entries);
            if (capacity > buckets.length) {
                long before = bucketBytes();
                buckets = new KeyEntry[capacity];
                totals.index += bucketBytes() - before;
            }
        }
    }

    /** Starts shrinking a table that has become mostly empty; called from the cron, as in Redis. */
    void shrinkIfSparse() {
        if (rehashTarget == null && buckets.length > INITIAL_CAPACITY
                && (long) size * 100 / buckets.length < MIN_FILL_PERCENT) {
            int capacity = capacityFor(size);
            if (capacity < buckets.length) {
                startRehash(capacity);
            }
        }
    }

    private static int capacityFor(int entries) {
        int capacity = INITIAL_CAPACITY;
        while (capacity < entries && capacity < (1 << 30)) {
            capacity <<= 1;
        }
        return capacity;
    }

    private void startRehash(int capacity) {
        rehashTarget = new KeyEntry[capacity];
        totals.index += MemoryLayout.referenceArray(capacity);
        rehashIndex = 0;
    }

    /** Moves one bucket to the new array. Returns false once no rehash is in progress. */
    boolean rehashStep() {
        if (rehashTarget == null) {
            return false;
        }
        int emptyVisits = EMPTY_VISITS_PER_STEP;
        while (rehashIndex < buckets.length && buckets[rehashIndex] == null) {
            rehashIndex++;
            if (--emptyVisits == 0) {
                break;
            }
        }
        if (rehashIndex < buckets.length && buckets[rehashIndex] != null) {
            KeyEntry[] target = rehashTarget;
            int mask = target.length - 1;
            KeyEntry entry = buckets[rehashIndex];
            while (entry != null) {
                KeyEntry following = entry.next;
                int index = hashOf(entry) & mask;
                entry.next = target[index];
                target[index] = entry;
                entry = following;
            }
            buckets[rehashIndex] = null;
            rehashIndex++;
        }
        if (rehashIndex >= buckets.length) {
            totals.index -= MemoryLayout.referenceArray(buckets.length);
            buckets = rehashTarget;
            rehashTarget = null;
            rehashIndex = -1;
            return false;
        }
        return true;
    }

    /** Runs rehash steps until done or until the deadline ({@link System#nanoTime()}). */
    void rehashUntil(long deadlineNanos) {
        while (rehashTarget != null) {
            for (int i = 0; i < 100; i++) {
                if (!rehashStep()) {
                    return;
                }
            }
            if (System.nanoTime() >= deadlineNanos) {
                return;
            }
        }
    }

    /**
     * A random entry, every bucket being equally likely (Redis's dictGetRandomKey); null when empty.
     */
    KeyEntry randomEntry(RandomGenerator random) {
        if (size == 0) {
            return null;
        }
        if (rehashTarget != null) {
            rehashStep();
        }
        KeyEntry bucket;
        if (rehashTarget != null) {
            int oldSpan = buckets.length - rehashIndex;
            int span = oldSpan + rehashTarget.length;
            do {
                int pick = random.nextInt(span);
                bucket = pick < oldSpan ? buckets[rehashIndex + pick] : rehashTarget[pick - oldSpan];
            } while (bucket == null);
        } else {
            do {
                bucket = buckets[random.nextInt(buckets.length)];
            } while (bucket == null);
        }
        int chainLength = 0;
        for (KeyEntry entry = bucket; entry != null; entry = entry.next) {
            chainLength++;
        }
        KeyEntry chosen = bucket;
        for (int skip = random.nextInt(chainLength); skip > 0; skip--) {
            chosen = chosen.next;
        }
        return chosen;
    }

    /**
     * Up to {@code count} entries for eviction's sampling, as Redis's dictGetSomeKeys takes them:
     * the chains of consecutive buckets from a random one. Reading neighbouring buckets costs one
     * cache miss per line of them where a random draw per entry costs one per draw, and eviction
     * samples on every write at maxmemory. While the table is being resized, each entry is drawn
     * on its own ({@link #randomEntry}).
     *
     * @return how many entries were written to {@code into}, at least one unless the table is empty
     */
    int sample(RandomGenerator random, KeyEntry[] into, int count) {
        if (size == 0 || count <= 0) {
            return 0;
        }
        if (rehashTarget != null) {
            rehashStep();
        }
        if (rehashTarget != null) {
            for (int i = 0; i < count; i++) {
                into[i] = randomEntry(random);
            }
            return count;
        }
        KeyEntry[] table = buckets;
        int mask = table.length - 1;
        int index = random.nextInt(table.length);
        while (table[index] == null) {
            index = (index + 1) & mask;
        }
        // The first chain is entered at a random entry and read round to it: entered at its head
        // only, as Redis does, the entries past the count-th of a long chain could never be drawn.
        KeyEntry head = table[index];
        int chainLength = 0;
        for (KeyEntry entry = head; entry != null; entry = entry.next) {
            chainLength++;
        }
        KeyEntry start = head;
        for (int skip = random.nextInt(chainLength); skip > 0; skip--) {
            start = start.next;
        }
        int found = 0;
        for (KeyEntry entry = start; entry != null && found < count; entry = entry.next) {
            into[found++] = entry;
        }
        for (KeyEntry entry = head; entry != start && found < count; entry = entry.next) {
            into[found++] = entry;
        }
        // Then the next buckets, as Redis's dictGetSomeKeys: a bounded walk, ten buckets a wanted entry.
        index = (index + 1) & mask;
        for (int steps = 1; found < count && steps < count * 10 && steps <= mask; steps++) {
            for (KeyEntry entry = table[index]; entry != null && found < count; entry = entry.next) {
                into[found++] = entry;
            }
            index = (index + 1) & mask;
        }
        return found;
    }

    /**
     * Visits the entries of the buckets at {@code cursor} and returns the next cursor, 0 when the
     * iteration is complete. The visitor must not change the table.
     */
    long scan(long cursor, Consumer<KeyEntry> visitor) {
        if (size == 0) {
            return 0;
        }
        long v = cursor;
        if (rehashTarget == null) {
            long mask = buckets.length - 1;
            visitBucket(buckets[(int) (v & mask)], visitor);
            return nextCursor(v, mask);
        }
        KeyEntry[] small = buckets;
        KeyEntry[] large = rehashTarget;
        if (small.length > large.length) {
            small = rehashTarget;
            large = buckets;
        }
        long smallMask = small.length - 1;
        long largeMask = large.length - 1;
        visitBucket(small[(int) (v & smallMask)], visitor);
        do {
            visitBucket(large[(int) (v & largeMask)], visitor);
            v = nextCursor(v, largeMask);
        } while ((v & (smallMask ^ largeMask)) != 0);
        return v;
    }

    /** Increments the cursor's bits within the mask, from the most significant down. */
    private static long nextCursor(long cursor, long mask) {
        long v = cursor | ~mask;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    private static void visitBucket(KeyEntry bucket, Consumer<KeyEntry> visitor) {
        for (KeyEntry entry = bucket; entry != null; entry = entry.next) {
            visitor.accept(entry);
        }
    }

    /** Visits every entry. The visitor must not change the table. */
    void forEach(Consumer<KeyEntry> visitor) {
        for (KeyEntry bucket : buckets) {
            visitBucket(bucket, visitor);
        }
        if (rehashTarget != null) {
            for (KeyEntry bucket : rehashTarget) {
                visitBucket(bucket, visitor);
            }
        }
    }

    /** Number of bucket slots, for INFO and tests. */
    int capacity() {
        return buckets.length + (rehashTarget == null ? 0 : rehashTarget.length);
    }

    /** Bytes of the bucket arrays, each counted as the heap holds it (see {@link MemoryLayout}). */
    long bucketBytes() {
        long bytes = buckets.length == 0 ? 0 : MemoryLayout.referenceArray(buckets.length);
        return rehashTarget == null ? bytes : bytes + MemoryLayout.referenceArray(rehashTarget.length);
    }

    /** Slots of the array a resize in progress is draining, 0 when none (INFO memory). */
    int drainingCapacity() {
        return rehashTarget == null ? 0 : buckets.length;
    }
}
