package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.MemoryLayout;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.StringEncoding;
import io.nuthatch.server.type.StringValue;
import io.nuthatch.server.type.ValueType;

import java.util.Arrays;

/**
 * One key of a database and what the server keeps about it: the key, the value, the expiry, the
 * access clock eviction reads, and the bit the point-in-time walk reads.
 *
 * <p><b>Layout.</b> An entry is as small as the key it holds allows, because with small values the
 * entries are most of the memory (the figures that chose it are in the package documentation):
 * <ul>
 * <li>{@code data}, one byte array: the key, then, for a string value, the string itself
 *     ({@link EntryData} has the layout).</li>
 * <li>{@code next}, the following entry of the {@link KeyTable} bucket chain, so that no node
 *     objects are needed around entries.</li>
 * <li>{@code meta}, one int: the access clock in the low 24 bits (LRU seconds or LFU minutes and
 *     counter, as Redis keeps them in its 24 LRU bits), then the walk bit, three bits saying how
 *     the string was written (for OBJECT ENCODING and REFCOUNT), and the top four bits of the
 *     key's hash, which let a chain lookup skip most other keys without reading their arrays.</li>
 * </ul>
 * Which class the entry is says the rest: a {@link StringEntry} is only that (24 bytes); a
 * {@link ValueEntry} also refers to a value object (a large string, later lists, hashes ...); an
 * {@link ExpiringEntry} adds the expiry time and its slot in {@link ExpiringKeys} to either form.
 * So a key without expiry pays nothing for expiry, and a string pays nothing for a value object.
 * A change of class (an expiry set or removed, a string replaced by an object) replaces the entry
 * in its chain: {@link Database} does it and returns the live entry.
 *
 * <p>Entries are read by the rest of the server and written only by this package, under the rules
 * of {@link Database}.
 */
public abstract sealed class KeyEntry permits StringEntry, ValueEntry, ExpiringEntry {
    /** Expiry of a key that has none. */
    public static final long NO_EXPIRY = -1;

    static final int CLOCK_MASK = 0xFF_FFFF;
    /** The walk bit: whether the walk in progress has passed this entry (see {@link KeyspaceWalk}). */
    static final int WALK_BIT = 1 << 24;
    /** How a string held in {@code data} was written; three bits. */
    static final int FORM_SHIFT = 25;
    static final int FORM_MASK = 7 << FORM_SHIFT;
    /** Written whole: the encoding follows from the bytes (int, embstr or raw). */
    static final int WHOLE = 0;
    /** Written whole by a command that never tries the integer form (INCRBYFLOAT). */
    static final int PLAIN = 1 << FORM_SHIFT;
    /** Written whole by COPY: an integer here is not one of Redis's shared objects (refcount 1). */
    static final int COPIED = 2 << FORM_SHIFT;
    /** Written whole as raw (BITOP, SETRANGE of a new key), or unshared for a change in place. */
    static final int RAW = 3 << FORM_SHIFT;
    /** Grown in place: a 4-byte length follows the key, spare capacity follows the string. */
    static final int SIZED = 4 << FORM_SHIFT;
    static final int TAG_SHIFT = 28;

    byte[] data;
    KeyEntry next;
    int meta;

    KeyEntry(byte[] data, int meta) {
        this.data = data;
        this.meta = meta;
    }

    // ---------------------------------------------------------------- the key

    /** The array that holds the key, from {@link #keyOffset()} for {@link #keyLength()} bytes. */
    public final byte[] keyArray() {
        return data;
    }

    public final int keyOffset() {
        return EntryData.keyOffset(data);
    }

    public final int keyLength() {
        return EntryData.keyLength(data);
    }

    /** A copy of the key, for the places that keep it (propagation, replies built later). */
    public final byte[] key() {
        int offset = keyOffset();
        return Arrays.copyOfRange(data, offset, offset + keyLength());
    }

    /** Whether the key is the given bytes. */
    public final boolean keyEquals(byte[] key, int offset, int length) {
        if (EntryData.keyLength(data) != length) {
            return false;
        }
        int keyOffset = EntryData.keyOffset(data);
        return Arrays.equals(data, keyOffset, keyOffset + length, key, offset, offset + length);
    }

    // ---------------------------------------------------------------- the value

    /** The value object, or null when the value is a string held in the entry itself. */
    public final StoredValue value() {
        if (this instanceof ValueEntry entry) {
            return entry.value;
        }
        if (this instanceof ExpiringEntry entry) {
            return entry.value;
        }
        return null;
    }

    public final ValueType type() {
        StoredValue value = value();
        return value == null ? ValueType.STRING : value.type();
    }

    public final boolean isString() {
        StoredValue value = value();
        return value == null || value.type() == ValueType.STRING;
    }

    /**
     * The array holding a string value, from {@link #stringOffset()} for {@link #stringLength()}
     * bytes. Only for string values: the caller checks {@link #isString()} first.
     */
    public final byte[] stringArray() {
        StoredValue value = value();
        return value == null ? data : ((StringValue) value).array();
    }

    public final int stringOffset() {
        if (value() != null) {
            return 0;
        }
        int keyEnd = EntryData.keyEnd(data);
        return (meta & FORM_MASK) == SIZED ? keyEnd + EntryData.SIZE_FIELD : keyEnd;
    }

    public final int stringLength() {
        StoredValue value = value();
        if (value != null) {
            return ((StringValue) value).length();
        }
        int keyEnd = EntryData.keyEnd(data);
        return (meta & FORM_MASK) == SIZED ? EntryData.size(data, keyEnd) : data.length - keyEnd;
    }

    /** The encoding OBJECT ENCODING reports, in Redis's vocabulary. */
    public final String encoding() {
        StoredValue value = value();
        if (value != null) {
            return value.encoding();
        }
        int form = meta & FORM_MASK;
        if (form == RAW || form == SIZED) {
            return StringEncoding.RAW;
        }
        return StringEncoding.of(data, stringOffset(), stringLength(), form == PLAIN);
    }

    /** Whether OBJECT ENCODING says "int". */
    public final boolean isIntegerEncoded() {
        int form = meta & FORM_MASK;
        return value() == null && (form == WHOLE || form == COPIED)
                && StringEncoding.isInteger(data, stringOffset(), stringLength());
    }

    /**
     * Whether the value was made by COPY. Redis duplicates an integer without using its shared
     * integer objects then, so OBJECT REFCOUNT of the copy says 1.
     */
    public final boolean isCopy() {
        return (meta & FORM_MASK) == COPIED;
    }

    /** The string value as a number; throws NumberFormatException when it is not a canonical integer. */
    public final long parseLong() {
        return NumericStrings.parseLong(stringArray(), stringOffset(), stringLength());
    }

    // ---------------------------------------------------------------- expiry and clock

    /** Absolute expiry in Unix milliseconds, or {@link #NO_EXPIRY}. */
    public final long expiresAt() {
        return this instanceof ExpiringEntry entry ? entry.expiresAt : NO_EXPIRY;
    }

    public final boolean hasExpiry() {
        return this instanceof ExpiringEntry;
    }

    /** LRU: seconds clock of the last access (24 bits, as Redis); LFU: minutes clock and counter. */
    public final int accessClock() {
        return meta & CLOCK_MASK;
    }

    public final void accessClock(int clock) {
        meta = (meta & ~CLOCK_MASK) | (clock & CLOCK_MASK);
    }

    // ---------------------------------------------------------------- memory

    /**
     * Bytes this entry takes on the heap: itself, its array, and its value object if any, as the
     * memory estimate counts them (MEMORY USAGE answers it).
     */
    public final long memoryUsage() {
        StoredValue value = value();
        long bytes = shallowBytes() + MemoryLayout.byteArray(data.length);
        return value == null ? bytes : bytes + value.memoryUsage();
    }

    private long shallowBytes() {
        if (this instanceof StringEntry) {
            return StringEntry.BYTES;
        }
        return this instanceof ValueEntry ? ValueEntry.BYTES : ExpiringEntry.BYTES;
    }

    // ---------------------------------------------------------------- detached entries

    /**
     * A new entry, in no table, of the class that holds {@code value} and {@code like}'s expiry,
     * with the given array and meta (clock, walk bit, hash tag, form): what the point-in-time walk
     * and the undo log keep of a key, and what the undo log puts back.
     */
    static KeyEntry detached(KeyEntry like, byte[] data, StoredValue value, int meta) {
        if (like instanceof ExpiringEntry expiringEntry) {
            return new ExpiringEntry(data, value, meta, expiringEntry.expiresAt);
        }
        return value == null ? new StringEntry(data, meta) : new ValueEntry(data, value, meta);
    }

    /**
     * A string entry's key and bytes in an array of their own, which later writes in place cannot
     * reach: a sized string (grown in place, with room) is copied at its length and said "raw".
     */
    static KeyEntry detachedString(KeyEntry entry) {
        int meta = entry.meta;
        if ((meta & FORM_MASK) != SIZED) {
            return detached(entry, entry.data.clone(), null, meta);
        }
        int length = entry.stringLength();
        byte[] data = EntryData.newData(entry.data, entry.keyOffset(), entry.keyLength(), length);
        System.arraycopy(entry.data, entry.stringOffset(), data, data.length - length, length);
        return detached(entry, data, null, (meta & ~FORM_MASK) | RAW);
    }

    /** The tag bits of a key's hash, as they sit in meta. */
    static int tag(int hash) {
        return hash & (0xF << TAG_SHIFT);
    }
}
