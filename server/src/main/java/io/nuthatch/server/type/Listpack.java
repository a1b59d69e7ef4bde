package io.nuthatch.server.type;

import java.util.Arrays;

/**
 * A sequence of byte strings packed into one array: the compact layout small hashes, sorted sets
 * and lists use, as Redis packs them into a listpack. A value of ten short fields costs one object
 * and one array here, where a table of entries would cost three objects per field.
 *
 * <p><b>Layout.</b> Each entry is {@code [length][bytes][back-length]}: the length of its bytes as a
 * varint (7 bits a byte, low groups first, high bit set on every byte but the last), the bytes,
 * then the size of the length and the bytes together written backwards (its last byte holds the
 * low 7 bits, and a set high bit says another byte precedes). The back-length lets iteration run
 * from the tail as cheaply as from the head, so popping the last element or walking a range in
 * reverse does not rescan the whole array. Entries of up to 125 bytes cost two bytes of framing.
 *
 * <p><b>Positions.</b> An entry is named by the offset of its first byte; {@link #first()},
 * {@link #next}, {@link #previous} and {@link #last()} move between them and return {@link #NONE}
 * past either end. A position stays valid until the next change; a change returns what the caller
 * needs to continue (the position after a deletion, the position of an inserted entry).
 *
 * <p><b>Capacity.</b> The array keeps a little room at its end for appends, as a JVM array is
 * rounded up to 8 bytes anyway, and grows by an eighth beyond that; removing entries gives the
 * room back once more than a quarter of the array is unused. Values stay small (the
 * {@code *-max-listpack-*} limits convert them to other layouts), so moving the bytes after an
 * insertion point is a short copy.
 *
 * <p>It knows nothing of what the entries mean: a hash stores field and value alternately, a sorted
 * set member and score. Callers needing that structure skip entries themselves.
 */
public final class Listpack {
    /** The position before the first or after the last entry. */
    public static final int NONE = -1;

    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes;
    /** Bytes in use; entries occupy [0, used). */
    private int used;
    private int count;

    public Listpack() {
        this.bytes = EMPTY;
    }

    private Listpack(byte[] bytes, int used, int count) {
        this.bytes = bytes;
        this.used = used;
        this.count = count;
    }

    /** Number of entries. */
    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Bytes the entries take, framing included (what Redis's listpack size limits compare). */
    public int byteSize() {
        return used;
    }

    /** The backing array; an entry's bytes are at {@link #dataOffset} for {@link #dataLength}. */
    public byte[] array() {
        return bytes;
    }

    // ---------------------------------------------------------------- navigation

    public int first() {
        return count == 0 ? NONE : 0;
    }

    public int last() {
        return count == 0 ? NONE : used - backLength(used);
    }

    public int next(int position) {
        int following = position + entrySize(position);
        return following >= used ? NONE : following;
    }

    public int previous(int position) {
        return position == 0 ? NONE : position - backLength(position);
    }

    /** The position of the entry at {@code index} (0-based, negative from the tail), or NONE. */
    public int positionOf(long index) {
        if (index < 0) {
            index += count;
        }
        if (index < 0 || index >= count) {
            return NONE;
        }
        if (index <= count / 2) {
            int position = 0;
            for (long i = 0; i < index; i++) {
                position = next(position);
            }
            return position;
        }
        int position = last();
        for (long i = count - 1; i > index; i--) {
            position = previous(position);
        }
        return position;
    }

    // ---------------------------------------------------------------- reading an entry

    /** Offset in {@link #array()} of the entry's first data byte. */
    public int dataOffset(int position) {
        int offset = position;
        while ((bytes[offset] & 0x80) != 0) {
            offset++;
        }
        return offset + 1;
    }

    /** Number of data bytes of the entry. */
    public int dataLength(int position) {
        int length = 0;
        int shift = 0;
        int offset = position;
        byte b;
        do {
            b = bytes[offset++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return length;
    }

    /** A copy of the entry's bytes. */
    public byte[] copyOf(int position) {
        int offset = dataOffset(position);
        return Arrays.copyOfRange(bytes, offset, offset + dataLength(position));
    }

    /** Whether the entry's bytes equal the given range. */
    public boolean equalsAt(int position, byte[] other, int offset, int length) {
        if (dataLength(position) != length) {
            return false;
        }
        int start = dataOffset(position);
        return Arrays.equals(bytes, start, start + length, other, offset, offset + length);
    }

    /** Compares the entry's bytes with the given range as unsigned bytes, like memcmp then length. */
    public int compareAt(int position, byte[] other, int offset, int length) {
        int start = dataOffset(position);
        return Arrays.compareUnsigned(bytes, start, start + dataLength(position), other, offset, offset + length);
    }

    /**
     * The first entry from {@code position} on whose bytes equal the given range, looking at every
     * {@code stride}-th entry only (2 for the fields of a hash); NONE when there is none.
     */
    public int find(int position, int stride, byte[] other, int offset, int length) {
        while (position != NONE) {
            if (equalsAt(position, other, offset, length)) {
                return position;
            }
            for (int i = 0; i < stride && position != NONE; i++) {
                position = next(position);
            }
        }
        return NONE;
    }

    // ---------------------------------------------------------------- changes

    /** Appends an entry at the tail; returns its position. */
    public int append(byte[] data, int offset, int length) {
        return insertAt(used, data, offset, length);
    }

    public int append(byte[] data) {
        return append(data, 0, data.length);
    }

    /** Inserts an entry at the head; returns its position (0). */
    public int prepend(byte[] data, int offset, int length) {
        return insertAt(0, data, offset, length);
    }

    /** Inserts an entry before the one at {@code position} (or at the tail for NONE); returns its position. */
    public int insertBefore(int position, byte[] data, int offset, int length) {
        return insertAt(position == NONE ? used : position, data, offset, length);
    }

    /** Inserts an entry after the one at {@code position}; returns its position. */
    public int insertAfter(int position, byte[] data, int offset, int length) {
        return insertAt(position + entrySize(position), data, offset, length);
    }

    /**
     * Inserts an entry of {@code length} bytes before the one at {@code position} (or at the tail
     * for NONE) and returns its position, leaving its bytes for the caller to write at
     * {@link #dataOffset} before any other change: for values encoded straight into the array (a
     * sorted set's scores), which would otherwise need a scratch array.
     */
    public int insertReserved(int position, int length) {
        return insertAt(position == NONE ? used : position, null, 0, length);
    }

    /** Replaces the bytes of the entry at {@code position}; returns its (unchanged) position. */
    public int replace(int position, byte[] data, int offset, int length) {
        int oldSize = entrySize(position);
        int newSize = entrySizeFor(length);
        int after = position + oldSize;
        if (newSize != oldSize) {
            ensureCapacity(used - oldSize + newSize);
            System.arraycopy(bytes, after, bytes, position + newSize, used - after);
            used += newSize - oldSize;
        }
        writeEntry(position, data, offset, length);
        if (newSize < oldSize) {
            shrinkIfSparse();
        }
        return position;
    }

    /**
     * Deletes {@code entries} entries starting at {@code position} (fewer if the tail comes first);
     * returns the position of the entry that now follows them, or NONE.
     */
    public int delete(int position, int entries) {
        return delete(position, entries, true);
    }

    /**
     * Deletes as {@link #delete(int, int)} does; with {@code giveBackRoom} false the array keeps
     * its size, for a caller that knows the listpack will be emptied or grow again soon (the node
     * at a long list's end that pops are taking apart).
     */
    public int delete(int position, int entries, boolean giveBackRoom) {
        int end = position;
        int removed = 0;
        while (removed < entries && end < used) {
            end += entrySize(end);
            removed++;
        }
        System.arraycopy(bytes, end, bytes, position, used - end);
        used -= end - position;
        count -= removed;
        if (giveBackRoom) {
            shrinkIfSparse();
        }
        return position >= used ? NONE : position;
    }

    /**
     * Makes room for entries up to {@code capacity} bytes in all, framing included, for a caller
     * that knows how far the listpack will grow (a new node at the end of a long list, a stream's
     * tail node doubling its room as it fills): one array instead of the growth steps on the way.
     * Changes no entry.
     */
    public void reserve(int capacity) {
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, roundToArrayAlignment(capacity));
        }
    }

    /**
     * Gives back the room kept at the end for appends: for a node of a longer sequence that will not
     * grow again (a list's node once the next one has started), or a value built in one go that
     * will mostly be read (a new hash of ten fields from one HSET), as Redis's listpack is exactly
     * as long as its entries.
     */
    public void trimToSize() {
        int fitted = used == 0 ? 0 : roundToArrayAlignment(used);
        if (fitted < bytes.length) {
            bytes = used == 0 ? EMPTY : Arrays.copyOf(bytes, fitted);
        }
    }

    /**
     * Moves the entries from {@code position} to the end into a new listpack (a list's node split
     * in two); this one keeps those before it.
     */
    public Listpack splitAt(int position) {
        int moved = 0;
        for (int p = position; p != NONE; p = next(p)) {
            moved++;
        }
        Listpack tail = new Listpack(Arrays.copyOfRange(bytes, position, position + roundToArrayAlignment(used - position)),
                used - position, moved);
        // copyOfRange pads past the bytes in use with zeros, which is just room for appends.
        used = position;
        count -= moved;
        shrinkIfSparse();
        return tail;
    }

    /** Deletes every entry. */
    public void clear() {
        bytes = EMPTY;
        used = 0;
        count = 0;
    }

    // ---------------------------------------------------------------- memory

    /** Heap bytes of this object and its array. */
    public long memoryUsage() {
        return MemoryLayout.align(MemoryLayout.OBJECT_HEADER + MemoryLayout.REFERENCE + 4 + 4)
                + MemoryLayout.byteArray(bytes.length);
    }

    /** An independent copy whose array is trimmed to the bytes in use. */
    public Listpack copy() {
        return new Listpack(Arrays.copyOf(bytes, used), used, count);
    }

    // ---------------------------------------------------------------- encoding

    private int insertAt(int position, byte[] data, int offset, int length) {
        int size = entrySizeFor(length);
        ensureCapacity(used + size);
        System.arraycopy(bytes, position, bytes, position + size, used - position);
        used += size;
        count++;
        writeEntry(position, data, offset, length);
        return position;
    }

    private void writeEntry(int position, byte[] data, int offset, int length) {
        int cursor = position;
        int remaining = length;
        while (remaining >= 0x80) {
            bytes[cursor++] = (byte) (remaining | 0x80);
            remaining >>>= 7;
        }
        bytes[cursor++] = (byte) remaining;
        if (data != null) {
            System.arraycopy(data, offset, bytes, cursor, length);
        }
        cursor += length;
        int back = cursor - position;
        int backBytes = varintSize(back);
        // Written so that reading backwards from the entry's end meets the low group first.
        for (int i = backBytes - 1; i >= 0; i--) {
            int group = back & 0x7f;
            back >>>= 7;
            bytes[cursor + i] = (byte) (i == 0 ? group : group | 0x80);
        }
    }

    /** Size of the entry at {@code position}, framing included. */
    private int entrySize(int position) {
        int length = dataLength(position);
        int front = varintSize(length) + length;
        return front + varintSize(front);
    }

    /** The size of the length-and-data part of the entry that ends just before {@code end}. */
    private int backLength(int end) {
        int offset = end - 1;
        int back = bytes[offset] & 0x7f;
        int shift = 7;
        while ((bytes[offset] & 0x80) != 0) {
            offset--;
            back |= (bytes[offset] & 0x7f) << shift;
            shift += 7;
        }
        return back + (end - offset);
    }

    /** The bytes an entry of {@code length} data bytes takes, framing included. */
    public static int entrySizeOf(int length) {
        return entrySizeFor(length);
    }

    private static int entrySizeFor(int length) {
        int front = varintSize(length) + length;
        return front + varintSize(front);
    }

    private static int varintSize(int value) {
        int size = 1;
        while (value >= 0x80) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    private void ensureCapacity(int needed) {
        if (needed <= bytes.length) {
            return;
        }
        int capacity = Math.max(needed, bytes.length + (bytes.length >>> 3));
        bytes = Arrays.copyOf(bytes, roundToArrayAlignment(capacity));
    }

    private void shrinkIfSparse() {
        if (used == 0) {
            bytes = EMPTY;
        } else if (bytes.length - used > bytes.length / 4 && bytes.length > 64) {
            bytes = Arrays.copyOf(bytes, roundToArrayAlignment(used));
        }
    }

    /** The largest length whose array occupies the same heap as one of {@code capacity} bytes. */
    private static int roundToArrayAlignment(int capacity) {
        long aligned = MemoryLayout.byteArray(capacity) - MemoryLayout.ARRAY_HEADER;
        return (int) Math.min(aligned, Integer.MAX_VALUE - 8);
    }
}
