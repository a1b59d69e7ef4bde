package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.MemoryLayout;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.StringEncoding;
import io.nuthatch.server.type.StringValue;
import io.nuthatch.server.type.ValueType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One key of a database and what the server keeps about it: the key, the value, the expiry, the
 * access clock eviction reads, and the bit the point-in-time walk reads.
 *
 * <p><b>Layout.</b> An entry is as small as the key it holds allows, because with small values the
 * entries are most of the memory (the figures that chose it are in the package documentation):
 * <ul>
 * <li>{@code data}, one byte array: the key's length as a varint, the key, then, for a string
 *     value, the string itself. A string written whole has exactly its length; a string grown in
 *     place (APPEND, SETRANGE, SETBIT, BITFIELD) has a 4-byte length after the key and spare
 *     capacity after the string, as Redis's sds has.</li>
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
    /** Bits of meta that stay with the key when its value changes: the clock and the walk bit. */
    static final int KEPT_BITS = CLOCK_MASK | WALK_BIT;

    static final int SIZE_FIELD = 4;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

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
        return data[0] >= 0 ? 1 : varintSize(keyLength(data));
    }

    public final int keyLength() {
        return keyLength(data);
    }

    /** A copy of the key, for the places that keep it (propagation, replies built later). */
    public final byte[] key() {
        int offset = keyOffset();
        return Arrays.copyOfRange(data, offset, offset + keyLength());
    }

    /** Whether the key is the given bytes. */
    public final boolean keyEquals(byte[] key, int offset, int length) {
        return keyLength(data) == length && Arrays.equals(data, keyOffset(), keyOffset() + length, key, offset,
                offset + length);
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
        int offset = keyOffset() + keyLength(data);
        return (meta & FORM_MASK) == SIZED ? offset + SIZE_FIELD : offset;
    }

    public final int stringLength() {
        StoredValue value = value();
        if (value != null) {
            return ((StringValue) value).length();
        }
        int keyEnd = keyOffset() + keyLength(data);
        return (meta & FORM_MASK) == SIZED ? (int) INT.get(data, keyEnd) : data.length - keyEnd;
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

    /** Bytes this entry takes on the heap: itself, its array, and its value object if any. */
    final long memoryUsage() {
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

    // ---------------------------------------------------------------- the data array

    /** The tag bits of a key's hash, as they sit in meta. */
    static int tag(int hash) {
        return hash & (0xF << TAG_SHIFT);
    }

    static int keyLength(byte[] data) {
        int b = data[0];
        if (b >= 0) {
            return b;
        }
        int value = 0;
        int shift = 0;
        int i = 0;
        do {
            b = data[i++];
            value |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        return value;
    }

    static int varintSize(int value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    /** A data array for the key and a string of {@code valueLength} bytes written after it. */
    static byte[] newData(byte[] key, int keyOffset, int keyLength, int valueLength) {
        int header = varintSize(keyLength);
        byte[] data = new byte[header + keyLength + valueLength];
        writeVarint(data, keyLength);
        System.arraycopy(key, keyOffset, data, header, keyLength);
        return data;
    }

    /**
     * A data array for a string grown in place: key, 4-byte length, {@code length} bytes of which
     * the first {@code kept} are copied from {@code source} and the rest are zero, and spare room up to
     * {@code capacity}.
     */
    static byte[] newSizedData(byte[] keyData, byte[] source, int sourceOffset, int kept, int length, int capacity) {
        int keyEnd = keyOffsetOf(keyData) + keyLength(keyData);
        byte[] data = new byte[keyEnd + SIZE_FIELD + capacity];
        System.arraycopy(keyData, 0, data, 0, keyEnd);
        INT.set(data, keyEnd, length);
        System.arraycopy(source, sourceOffset, data, keyEnd + SIZE_FIELD, kept);
        return data;
    }

    static void writeSize(byte[] data, int length) {
        INT.set(data, keyOffsetOf(data) + keyLength(data), length);
    }

    /** The data array of a key alone, taken from another entry's array. */
    static byte[] keyOnly(byte[] data) {
        return Arrays.copyOf(data, keyOffsetOf(data) + keyLength(data));
    }

    static int keyOffsetOf(byte[] data) {
        return data[0] >= 0 ? 1 : varintSize(keyLength(data));
    }

    private static void writeVarint(byte[] target, int value) {
        int i = 0;
        while ((value & ~0x7F) != 0) {
            target[i++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        target[i] = (byte) value;
    }
}
