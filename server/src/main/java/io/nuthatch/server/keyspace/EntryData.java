package io.nuthatch.server.keyspace;

import io.nuthatch.resp.RequestArguments;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The byte array an entry keeps its key in, and its string when the value is one:
 * <pre>
 *   key length (varint) | key | string                                  written whole
 *   key length (varint) | key | string length (4 bytes) | string | spare   grown in place
 *   key length (varint) | key                                           value in an object
 * </pre>
 * One array rather than two saves an array header and a reference per key, and a lookup that
 * finds the key has the value in the same cache lines. A string written whole (SET, INCR, MSET)
 * fills the array exactly; one grown in place (APPEND, SETRANGE, SETBIT, BITFIELD) keeps room to
 * grow, as Redis's sds does, and its length then needs a field of its own. The entry's meta bits
 * say which form it is ({@link KeyEntry#SIZED}).
 */
final class EntryData {
    static final int SIZE_FIELD = 4;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private EntryData() {
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

    static int keyOffset(byte[] data) {
        return data[0] >= 0 ? 1 : varintSize(keyLength(data));
    }

    /** Where what follows the key starts. */
    static int keyEnd(byte[] data) {
        return keyOffset(data) + keyLength(data);
    }

    /** The length of a string grown in place, whose length field is at {@code keyEnd}. */
    static int size(byte[] data, int keyEnd) {
        return (int) INT.get(data, keyEnd);
    }

    static void writeSize(byte[] data, int length) {
        INT.set(data, keyEnd(data), length);
    }

    /** An array for the key and a string of {@code valueLength} bytes, to be written at its end. */
    static byte[] newData(byte[] key, int keyOffset, int keyLength, int valueLength) {
        return writeKey(new byte[length(keyLength, valueLength)], key, keyOffset, keyLength);
    }

    /** The length of the array for a key and a string of {@code valueLength} bytes written whole. */
    static int length(int keyLength, int valueLength) {
        return varintSize(keyLength) + keyLength + valueLength;
    }

    /** Writes the key at the start of {@code data}, an array of {@link #length} bytes for it. */
    static byte[] writeKey(byte[] data, byte[] key, int keyOffset, int keyLength) {
        writeVarint(data, keyLength);
        System.arraycopy(key, keyOffset, data, varintSize(keyLength), keyLength);
        return data;
    }

    /**
     * An array for a string grown in place: the key of {@code keyData}, the length field, then
     * {@code length} bytes of which the first {@code kept} come from {@code source} and the rest are
     * zero, and spare room up to {@code capacity} string bytes.
     */
    static byte[] newSized(byte[] keyData, byte[] source, int sourceOffset, int kept, int length, int capacity) {
        int keyEnd = keyEnd(keyData);
        byte[] data = new byte[keyEnd + SIZE_FIELD + capacity];
        System.arraycopy(keyData, 0, data, 0, keyEnd);
        INT.set(data, keyEnd, length);
        System.arraycopy(source, sourceOffset, data, keyEnd + SIZE_FIELD, kept);
        return data;
    }

    /** The array of a key alone, from another entry's array. */
    static byte[] keyOnly(byte[] data) {
        return Arrays.copyOf(data, keyEnd(data));
    }

    /**
     * The array to write a whole string of {@code length} bytes into, at its end: the entry's own
     * when it holds a string of exactly that length (so that a SET of the same length or a counter
     * allocates nothing), else a new one with the key copied.
     */
    static byte[] forString(KeyEntry entry, int length) {
        byte[] data = entry.data;
        if (entry.value() == null && (entry.meta & KeyEntry.FORM_MASK) != KeyEntry.SIZED
                && data.length - keyEnd(data) == length) {
            return data;
        }
        return newData(data, keyOffset(data), keyLength(data), length);
    }

    /**
     * An array for the key of argument {@code keyIndex} followed by what follows the source's key:
     * its string, with the length field and spare room of a string grown in place unless
     * {@code exact} (then just the string's bytes).
     */
    static byte[] underKey(KeyEntry source, RequestArguments arguments, int keyIndex, boolean exact) {
        byte[] old = source.data;
        int tailStart = keyEnd(old);
        int tailLength = old.length - tailStart;
        if (source.value() == null && exact && (source.meta & KeyEntry.FORM_MASK) == KeyEntry.SIZED) {
            tailStart = source.stringOffset();
            tailLength = source.stringLength();
        }
        byte[] data = newData(arguments.array(keyIndex), arguments.offset(keyIndex), arguments.length(keyIndex),
                tailLength);
        System.arraycopy(old, tailStart, data, data.length - tailLength, tailLength);
        return data;
    }

    private static int varintSize(int value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
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
