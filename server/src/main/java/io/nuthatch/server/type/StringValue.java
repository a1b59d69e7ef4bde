package io.nuthatch.server.type;

import java.util.Arrays;

/**
 * A string value held in an object of its own rather than in its key's entry: a value large enough
 * that the request decoder gave it an array of its own (32 KB and more), which is kept rather than
 * copied. Most strings have no such object: the keyspace keeps a string's bytes in the same array
 * as its key ({@code io.nuthatch.server.keyspace.KeyEntry}).
 *
 * <p>When changed in place (APPEND, SETRANGE, SETBIT, BITFIELD) it keeps spare capacity, doubling
 * like Redis's sds up to 1 MB and then growing by 1 MB, so that repeated appends cost amortized O(1)
 * per byte. Its encoding is always "raw": it is longer than Redis's embstr limit, or was changed
 * in place.
 */
public final class StringValue implements StoredValue {
    private static final long OBJECT_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + MemoryLayout.REFERENCE + 4);

    private byte[] bytes;
    private int length;

    private StringValue(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
    }

    /** A value that keeps the given array; the caller must not change it afterwards. */
    public static StringValue wrap(byte[] bytes) {
        return new StringValue(bytes, bytes.length);
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    /** The backing array; only the first {@link #length()} bytes belong to the value. */
    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /**
     * Makes the value at least {@code newLength} bytes long, padding with zero bytes, with spare
     * capacity as {@link StringCapacity} decides.
     */
    public void growTo(int newLength) {
        if (newLength > bytes.length) {
            bytes = Arrays.copyOf(bytes, StringCapacity.grown(newLength));
        } else if (newLength > length) {
            Arrays.fill(bytes, length, newLength, (byte) 0);
        }
        length = Math.max(length, newLength);
    }

    @Override
    public String encoding() {
        return StringEncoding.RAW;
    }

    @Override
    public long memoryUsage() {
        return OBJECT_BYTES + MemoryLayout.byteArray(bytes.length);
    }

    /** A copy of exactly the value's length, without spare capacity. */
    @Override
    public StringValue copy() {
        return new StringValue(Arrays.copyOf(bytes, length), length);
    }
}
