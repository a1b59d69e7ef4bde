package io.nuthatch.server.type;

import io.nuthatch.server.keyspace.KeyHashing;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The hash table behind large sets and hashes (OBJECT ENCODING "hashtable"): byte arrays, each a
 * set's member or a hash's field and value together ({@link FieldValue}), found by their key (the
 * member, or the field).
 *
 * <p><b>Layout: open addressing, nothing per element but its array.</b> Elements sit in a
 * power-of-two array of slots and are found by linear probing from their home slot (hash & mask);
 * a parallel byte array keeps, per slot, seven bits of the element's hash with the high bit set
 * (0 is an empty slot), so a probe compares bytes only when those seven bits agree, and runs over a
 * dense array rather than through the elements. An element costs its own array plus 5 bytes per
 * slot at a load between 3/8 and 3/4: about 8 to 13 bytes, where Redis's dict spends a 24-byte
 * entry and 8 to 16 bytes of buckets, and a chained table of entry objects here would spend 24
 * bytes of entry and 4 to 8 of buckets. Deletion shifts the rest of the probe run back (no
 * tombstones), so runs stay as short as the load allows. Elements are never changed in place: a
 * hash field's new value is a new array, so copies can trust them.
 *
 * <p><b>Incremental resizing.</b> Rehashing a million elements at once would stall every client
 * for tens of milliseconds (each move reads the element to hash it again), so a resize of a large
 * table allocates the new array and then migrates a few slots per change, as Redis's dict moves a
 * bucket per operation. Migration walks the old slots in order from a slot that was empty when it
 * began, so no probe run crosses its starting point, and every element it passes goes to the new
 * array. The slots already passed are empty; an element still in the old array whose home slot
 * was passed is found by probing from the first slot not yet passed (its run is intact from there
 * on, since the run from its home to it was intact before the slots before it were emptied). Lookups
 * try the old array, then the new one; insertions go to the new one. Only changes migrate: reads
 * leave the table as it is, so its memory changes only between the keyspace's change brackets.
 * Tables of under {@value #INCREMENTAL_FROM} slots are resized at once, in microseconds.
 *
 * <p><b>Positions.</b> A slot is named by its index, the new array's slots following the old
 * array's during a migration. A position stays valid until the next change.
 *
 * <p><b>Scan cursors.</b> {@link #scan} visits home slots in reverse-binary order, the keyspace's
 * SCAN algorithm (see {@code KeyTable}): a home slot of a smaller power-of-two array expands to
 * home slots of a larger one that are consecutive in that order, so a full iteration returns every
 * element present from its start to its end, across resizes and migrations. Visiting a home slot
 * walks the probe run that starts there and keeps the elements whose home it is.
 */
public final class MemberTable {
    public static final int NONE = -1;

    private static final int MIN_CAPACITY = 4;
    /** Capacities from which a resize migrates a few slots per change instead of all at once. */
    static final int INCREMENTAL_FROM = 1024;
    /** Slots one migration step passes at most, and elements it moves at most. */
    private static final int STEP_SLOTS = 16;
    private static final int STEP_MOVES = 2;
    private static final long SHALLOW_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 1
            + 4L * MemoryLayout.REFERENCE + 4 * 4 + 8);

    /** Whether elements are field-value pairs whose key is the field, or members that are their own key. */
    private final boolean pairs;
    /** The table, or the one being migrated from. */
    private byte[][] slots;
    private byte[] tags;
    private int count;
    /** The table being migrated to, or null. */
    private byte[][] targetSlots;
    private byte[] targetTags;
    private int targetCount;
    /** The old slot the migration began at (empty then), and how many slots from there it has passed. */
    private int migrationStart;
    private int migrated;
    /** Heap bytes of the elements' arrays. */
    private long elementBytes;

    private MemberTable(boolean pairs, int capacity) {
        this.pairs = pairs;
        this.slots = new byte[capacity][];
        this.tags = new byte[capacity];
    }

    /** A table of members (a set's). */
    public static MemberTable ofMembers(int expectedSize) {
        return new MemberTable(false, capacityFor(expectedSize));
    }

    /** A table of {@link FieldValue} pairs, keyed by their field (a hash's). */
    public static MemberTable ofPairs(int expectedSize) {
        return new MemberTable(true, capacityFor(expectedSize));
    }

    public int size() {
        return count + targetCount;
    }

    // ---------------------------------------------------------------- lookups

    /** The position of the element whose key is the given bytes, or {@link #NONE}. */
    public int find(byte[] key, int offset, int length) {
        int hash = KeyHashing.hash(key, offset, length);
        byte tag = tag(hash);
        if (count > 0) {
            int found = probe(slots, tags, effectiveHome(hash & (slots.length - 1)), tag, key, offset, length);
            if (found != NONE) {
                return found;
            }
        }
        if (targetCount > 0) {
            int found = probe(targetSlots, targetTags, hash & (targetSlots.length - 1), tag, key, offset, length);
            if (found != NONE) {
                return slots.length + found;
            }
        }
        return NONE;
    }

    private int probe(byte[][] table, byte[] tagArray, int start, byte tag, byte[] key, int offset, int length) {
        int mask = table.length - 1;
        for (int i = start; ; i = (i + 1) & mask) {
            byte slotTag = tagArray[i];
            if (slotTag == 0) {
                return NONE;
            }
            if (slotTag == tag && keyEquals(table[i], key, offset, length)) {
                return i;
            }
        }
    }

    /** The element at a position. */
    public byte[] elementAt(int position) {
        return position < slots.length ? slots[position] : targetSlots[position - slots.length];
    }

    // ---------------------------------------------------------------- iteration

    /** The first occupied position, or {@link #NONE}. */
    public int first() {
        return next(-1);
    }

    /** The occupied position after {@code position}, or {@link #NONE}. */
    public int next(int position) {
        int i = position + 1;
        for (; i < slots.length; i++) {
            if (tags[i] != 0) {
                return i;
            }
        }
        if (targetSlots != null) {
            for (int t = i - slots.length; t < targetSlots.length; t++) {
                if (targetTags[t] != 0) {
                    return slots.length + t;
                }
            }
        }
        return NONE;
    }

    /**
     * A position drawn at random, every element being equally likely: a slot drawn among those
     * that can hold elements until one does. The load (at least 1/8, see {@link #remove}) bounds
     * the expected draws.
     */
    public int randomPosition(RandomGenerator random) {
        if (size() == 0) {
            return NONE;
        }
        if (targetSlots == null) {
            int i;
            do {
                i = random.nextInt(slots.length);
            } while (tags[i] == 0);
            return i;
        }
        int mask = slots.length - 1;
        int unmigrated = slots.length - migrated;
        int span = unmigrated + targetSlots.length;
        while (true) {
            int pick = random.nextInt(span);
            if (pick < unmigrated) {
                int i = (migrationStart + migrated + pick) & mask;
                if (tags[i] != 0) {
                    return i;
                }
            } else if (targetTags[pick - unmigrated] != 0) {
                return slots.length + pick - unmigrated;
            }
        }
    }

    // ---------------------------------------------------------------- changes

    /**
     * Adds an element whose key is not in the table (a {@link #find} just said so). The table keeps
     * the array, which must not change afterwards.
     */
    public void insert(byte[] element) {
        int hash = hashOf(element);
        migrateStep();
        if (targetSlots != null && (targetCount + 1) * 8L > targetSlots.length * 7L) {
            finishMigration();
        }
        if (targetSlots == null) {
            if ((count + 1) * 4L > slots.length * 3L) {
                resize(slots.length * 2);
            }
        }
        if (targetSlots != null) {
            place(targetSlots, targetTags, element, hash);
            targetCount++;
        } else {
            place(slots, tags, element, hash);
            count++;
        }
        elementBytes += MemoryLayout.byteArray(element.length);
    }

    /** Puts an element with the same key in place of the one at {@code position}. */
    public void replace(int position, byte[] element) {
        byte[] old;
        if (position < slots.length) {
            old = slots[position];
            slots[position] = element;
        } else {
            old = targetSlots[position - slots.length];
            targetSlots[position - slots.length] = element;
        }
        elementBytes += MemoryLayout.byteArray(element.length) - MemoryLayout.byteArray(old.length);
    }

    /**
     * Removes the element at {@code position}; shrinks the table once it is under 1/8 full, as
     * Redis's dict shrinks under 10%.
     */
    public void removeAt(int position) {
        byte[] old;
        if (position < slots.length) {
            old = slots[position];
            shiftBack(slots, tags, position, targetSlots != null);
            count--;
        } else {
            old = targetSlots[position - slots.length];
            shiftBack(targetSlots, targetTags, position - slots.length, false);
            targetCount--;
        }
        elementBytes -= MemoryLayout.byteArray(old.length);
        migrateStep();
        if (targetSlots == null && slots.length > MIN_CAPACITY && size() * 8L < slots.length) {
            resize(capacityFor(size()));
        }
    }

    /**
     * Deletion without tombstones: the elements after the emptied slot in its probe run move back
     * into it when their home slot is at or before it, so every run stays unbroken.
     */
    private void shiftBack(byte[][] table, byte[] tagArray, int hole, boolean migrating) {
        int mask = table.length - 1;
        for (int j = (hole + 1) & mask; tagArray[j] != 0; j = (j + 1) & mask) {
            int home = hashOf(table[j]) & mask;
            if (migrating) {
                home = effectiveHome(home);
            }
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                table[hole] = table[j];
                tagArray[hole] = tagArray[j];
                hole = j;
            }
        }
        table[hole] = null;
        tagArray[hole] = 0;
    }

    private static void place(byte[][] table, byte[] tagArray, byte[] element, int hash) {
        int mask = table.length - 1;
        int i = hash & mask;
        while (tagArray[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = element;
        tagArray[i] = tag(hash);
    }

    // ---------------------------------------------------------------- resizing

    private void resize(int capacity) {
        if (capacity == slots.length) {
            return;
        }
        if (Math.max(capacity, slots.length) < INCREMENTAL_FROM) {
            byte[][] newSlots = new byte[capacity][];
            byte[] newTags = new byte[capacity];
            for (int i = 0; i < slots.length; i++) {
                if (tags[i] != 0) {
                    place(newSlots, newTags, slots[i], hashOf(slots[i]));
                }
            }
            slots = newSlots;
            tags = newTags;
            return;
        }
        targetSlots = new byte[capacity][];
        targetTags = new byte[capacity];
        targetCount = 0;
        // No probe run crosses an empty slot, so migrating from one leaves every run either
        // wholly passed or wholly ahead, apart from the one being passed.
        int start = 0;
        while (tags[start] != 0) {
            start++;
        }
        migrationStart = start;
        migrated = 0;
    }

    /**
     * Where a probe of the old array starts for an element of home slot {@code home}: the home
     * itself, or, when the migration has passed it, the first slot it has not passed.
     */
    private int effectiveHome(int home) {
        if (targetSlots == null) {
            return home;
        }
        int mask = slots.length - 1;
        if (((home - migrationStart) & mask) < migrated) {
            return (migrationStart + migrated) & mask;
        }
        return home;
    }

    /** Moves the next few old slots' elements to the new array; ends the migration when all are passed. */
    private void migrateStep() {
        if (targetSlots == null) {
            return;
        }
        int mask = slots.length - 1;
        int moves = STEP_MOVES;
        for (int visits = STEP_SLOTS; visits > 0 && moves > 0 && migrated < slots.length; visits--) {
            moves -= migrateSlot((migrationStart + migrated) & mask);
            migrated++;
        }
        if (migrated == slots.length) {
            endMigration();
        }
    }

    private void finishMigration() {
        int mask = slots.length - 1;
        while (migrated < slots.length) {
            migrateSlot((migrationStart + migrated) & mask);
            migrated++;
        }
        endMigration();
    }

    private int migrateSlot(int i) {
        byte[] element = slots[i];
        if (element == null) {
            return 0;
        }
        place(targetSlots, targetTags, element, hashOf(element));
        slots[i] = null;
        tags[i] = 0;
        count--;
        targetCount++;
        return 1;
    }

    private void endMigration() {
        slots = targetSlots;
        tags = targetTags;
        count = targetCount;
        targetSlots = null;
        targetTags = null;
        targetCount = 0;
        migrated = 0;
        migrationStart = 0;
    }

    /** The smallest power-of-two capacity that holds {@code size} elements at a load of at most 1/2. */
    private static int capacityFor(int size) {
        int capacity = MIN_CAPACITY;
        while (capacity < size * 2L && capacity < (1 << 30)) {
            capacity <<= 1;
        }
        return capacity;
    }

    // ---------------------------------------------------------------- scan

    /**
     * Visits the elements of the home slots at {@code cursor} and returns the next cursor, 0 when
     * the iteration is complete. The visitor must not change the table.
     */
    public long scan(long cursor, Consumer<byte[]> visitor) {
        if (size() == 0) {
            return 0;
        }
        if (targetSlots == null) {
            long mask = slots.length - 1;
            visitHome(slots, tags, (int) (cursor & mask), false, visitor);
            return nextCursor(cursor, mask);
        }
        boolean oldIsSmall = slots.length < targetSlots.length;
        byte[][] small = oldIsSmall ? slots : targetSlots;
        byte[] smallTags = oldIsSmall ? tags : targetTags;
        byte[][] large = oldIsSmall ? targetSlots : slots;
        byte[] largeTags = oldIsSmall ? targetTags : tags;
        long smallMask = small.length - 1;
        long largeMask = large.length - 1;
        long v = cursor;
        visitHome(small, smallTags, (int) (v & smallMask), oldIsSmall, visitor);
        do {
            visitHome(large, largeTags, (int) (v & largeMask), !oldIsSmall, visitor);
            v = nextCursor(v, largeMask);
        } while ((v & (smallMask ^ largeMask)) != 0);
        return v;
    }

    private void visitHome(byte[][] table, byte[] tagArray, int home, boolean isOld, Consumer<byte[]> visitor) {
        int mask = table.length - 1;
        int start = isOld ? effectiveHome(home) : home;
        for (int i = start; tagArray[i] != 0; i = (i + 1) & mask) {
            if ((hashOf(table[i]) & mask) == home) {
                visitor.accept(table[i]);
            }
        }
    }

    /** Increments the cursor's bits within the mask, from the most significant down. */
    private static long nextCursor(long cursor, long mask) {
        long v = cursor | ~mask;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    // ---------------------------------------------------------------- memory and copies

    /** Heap bytes of the table, its arrays and its elements. */
    public long memoryUsage() {
        long bytes = SHALLOW_BYTES + elementBytes + arraysBytes(slots.length);
        return targetSlots == null ? bytes : bytes + arraysBytes(targetSlots.length);
    }

    private static long arraysBytes(int capacity) {
        return MemoryLayout.referenceArray(capacity) + MemoryLayout.byteArray(capacity);
    }

    /** An independent copy: the same layout, each element's array copied. */
    public MemberTable copy() {
        MemberTable copy = new MemberTable(pairs, 0);
        copy.slots = copyElements(slots);
        copy.tags = tags.clone();
        copy.count = count;
        if (targetSlots != null) {
            copy.targetSlots = copyElements(targetSlots);
            copy.targetTags = targetTags.clone();
            copy.targetCount = targetCount;
            copy.migrationStart = migrationStart;
            copy.migrated = migrated;
        }
        copy.elementBytes = elementBytes;
        return copy;
    }

    private static byte[][] copyElements(byte[][] table) {
        byte[][] copy = new byte[table.length][];
        for (int i = 0; i < table.length; i++) {
            if (table[i] != null) {
                copy[i] = Arrays.copyOf(table[i], table[i].length);
            }
        }
        return copy;
    }

    // ---------------------------------------------------------------- keys and hashes

    private int hashOf(byte[] element) {
        if (pairs) {
            return KeyHashing.hash(element, FieldValue.fieldOffset(element), FieldValue.fieldLength(element));
        }
        return KeyHashing.hash(element, 0, element.length);
    }

    private boolean keyEquals(byte[] element, byte[] key, int offset, int length) {
        if (pairs) {
            int fieldLength = FieldValue.fieldLength(element);
            int fieldOffset = FieldValue.fieldOffset(element);
            return fieldLength == length
                    && Arrays.equals(element, fieldOffset, fieldOffset + length, key, offset, offset + length);
        }
        return element.length == length && Arrays.equals(element, 0, length, key, offset, offset + length);
    }

    /** Seven bits of the hash, with the high bit set so that no element's tag is 0 (empty). */
    private static byte tag(int hash) {
        return (byte) (0x80 | (hash >>> 25));
    }

    /** For tests: whether a migration is in progress. */
    boolean isMigrating() {
        return targetSlots != null;
    }

    /** For tests: slots of the table (both arrays during a migration). */
    int capacity() {
        return slots.length + (targetSlots == null ? 0 : targetSlots.length);
    }
}
