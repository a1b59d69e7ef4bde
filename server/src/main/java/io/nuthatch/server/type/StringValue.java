package io.nuthatch.server.type;

import java.util.Arrays;

/**
 * A string value: bytes, binary-safe, up to proto-max-bulk-len.
 *
 * <p>A value written whole (SET, INCR) holds an array of exactly its length. A value grown in place
 * (APPEND, SETRANGE, SETBIT) keeps spare capacity, doubling like Redis's sds, so that repeated
 * appends cost amortized O(1) per byte rather than a copy of the whole value each time.
 *
 * <p>The encoding follows Redis's rules so that OBJECT ENCODING answers as Redis does: a value
 * written whole is "int" when it is a canonical 64-bit integer, "embstr" up to 44 bytes and "raw"
 * beyond; a value changed in place is always "raw".
 */
public final class StringValue implements StoredValue {
    /** Longest string Redis stores as embstr (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
    private static final int EMBSTR_LIMIT = 44;
    /** Spare capacity doubles until this size, then grows by this much (sds's SDS_MAX_PREALLOC). */
    private static final int MAX_PREALLOCATION = 1024 * 1024;

    private byte[] bytes;
    private int length;
    private boolean changedInPlace;
    /** Never "int" encoded, even when it reads as an integer (Redis's createStringObject). */
    private boolean plain;
    private boolean copied;

    private StringValue(byte[] bytes, int length, boolean changedInPlace) {
        this.bytes = bytes;
        this.length = length;
        this.changedInPlace = changedInPlace;
    }

    /** A value that keeps the given array; the caller must not change it afterwards. */
    public static StringValue wrap(byte[] bytes) {
        return new StringValue(bytes, bytes.length, false);
    }

    /**
     * A value Redis stores without trying the integer encoding (INCRBYFLOAT's result): "embstr" up
     * to 44 bytes, "raw" beyond, whatever its text. The caller must not change the array afterwards.
     */
    public static StringValue wrapPlain(byte[] bytes) {
        StringValue value = new StringValue(bytes, bytes.length, false);
        value.plain = true;
        return value;
    }

    public static StringValue of(long number) {
        return wrap(NumericStrings.toBytes(number));
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

    /** The value as an array of exactly its length (the backing array when it fits exactly). */
    public byte[] toByteArray() {
        return bytes.length == length ? bytes : Arrays.copyOf(bytes, length);
    }

    /** The value as a canonical 64-bit integer; throws NumberFormatException when it is not one. */
    public long parseLong() {
        return NumericStrings.parseLong(bytes, 0, length);
    }

    /**
     * Makes the value at least {@code newLength} bytes long, padding with zero bytes, and marks it
     * changed in place. Returns the backing array, which may be a new one.
     */
    public byte[] growTo(int newLength) {
        changedInPlace = true;
        if (newLength > bytes.length) {
            int capacity = newLength < MAX_PREALLOCATION ? newLength * 2 : newLength + MAX_PREALLOCATION;
            if (capacity < 0) {
                capacity = newLength;
            }
            bytes = Arrays.copyOf(bytes, capacity);
        } else if (newLength > length) {
            Arrays.fill(bytes, length, newLength, (byte) 0);
        }
        length = Math.max(length, newLength);
        return bytes;
    }

    /** Appends bytes in place (APPEND). */
    public void append(byte[] source, int offset, int count) {
        int oldLength = length;
        growTo(oldLength + count);
        System.arraycopy(source, offset, bytes, oldLength, count);
    }

    /** Marks the value as changed in place by a caller that wrote into {@link #array()} directly. */
    public void markChangedInPlace() {
        changedInPlace = true;
    }

    @Override
    public String encoding() {
        if (changedInPlace) {
            return "raw";
        }
        if (!plain && length <= 20 && NumericStrings.isLong(bytes, 0, length)) {
            return "int";
        }
        return length <= EMBSTR_LIMIT ? "embstr" : "raw";
    }

    /** Whether OBJECT ENCODING would say "int". */
    public boolean isIntegerEncoded() {
        return !changedInPlace && !plain && length <= 20 && NumericStrings.isLong(bytes, 0, length);
    }

    @Override
    public long memoryUsage() {
        return MemoryLayout.align(MemoryLayout.OBJECT_HEADER + MemoryLayout.REFERENCE + 4 + 1)
                + MemoryLayout.byteArray(bytes.length);
    }

    @Override
    public StoredValue copy() {
        StringValue copy = new StringValue(Arrays.copyOf(bytes, length), length, changedInPlace);
        copy.plain = plain;
        copy.copied = true;
        return copy;
    }

    /**
     * Whether this value was made by {@link #copy()} (COPY). Redis duplicates an integer without
     * using its shared integer objects then, so OBJECT REFCOUNT of the copy says 1.
     */
    public boolean isCopy() {
        return copied;
    }
}
