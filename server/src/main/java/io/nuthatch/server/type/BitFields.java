package io.nuthatch.server.type;

/**
 * Integers of 1 to 64 bits stored at any bit position of a string (BITFIELD), most significant
 * bit first, signed ones in two's complement; and what happens when a write does not fit.
 *
 * <p>A field spans at most nine bytes. Reads treat bytes past the end of the string as zeros;
 * writes expect the caller to have grown the string first.
 */
public final class BitFields {

    /** What a write that does not fit the field does (BITFIELD's OVERFLOW). */
    public enum Overflow {
        /** Keep the low bits, as two's complement arithmetic does. */
        WRAP,
        /** Store the field's maximum or minimum. */
        SAT,
        /** Write nothing. */
        FAIL
    }

    private BitFields() {
    }

    /** The unsigned field of {@code bits} bits (1 to 64) at bit {@code position}. */
    public static long getUnsigned(byte[] bytes, int length, long position, int bits) {
        return getUnsigned(bytes, 0, length, position, bits);
    }

    /** The unsigned field at bit {@code position} of the string of {@code length} bytes at {@code base}. */
    public static long getUnsigned(byte[] bytes, int base, int length, long position, int bits) {
        long end = position + bits;
        long value = 0;
        for (long index = position >>> 3; index << 3 < end; index++) {
            long byteStart = index << 3;
            long from = Math.max(position, byteStart);
            long to = Math.min(end, byteStart + 8);
            int width = (int) (to - from);
            int octet = index < length ? bytes[base + (int) index] & 0xFF : 0;
            int shift = (int) (byteStart + 8 - to);
            value = (value << width) | ((octet >>> shift) & ((1 << width) - 1));
        }
        return value;
    }

    /** The signed field of {@code bits} bits (1 to 64) at bit {@code position}. */
    public static long getSigned(byte[] bytes, int length, long position, int bits) {
        return getSigned(bytes, 0, length, position, bits);
    }

    /** The signed field at bit {@code position} of the string of {@code length} bytes at {@code base}. */
    public static long getSigned(byte[] bytes, int base, int length, long position, int bits) {
        return signExtend(getUnsigned(bytes, base, length, position, bits), bits);
    }

    /** Writes the low {@code bits} bits of {@code value} at bit {@code position}, within the array. */
    public static void put(byte[] bytes, long position, int bits, long value) {
        put(bytes, 0, position, bits, value);
    }

    /** As {@link #put(byte[], long, int, long)}, for the string that starts at {@code base}. */
    public static void put(byte[] bytes, int base, long position, int bits, long value) {
        long end = position + bits;
        for (long index = position >>> 3; index << 3 < end; index++) {
            long byteStart = index << 3;
            long from = Math.max(position, byteStart);
            long to = Math.min(end, byteStart + 8);
            int width = (int) (to - from);
            int shift = (int) (byteStart + 8 - to);
            int mask = ((1 << width) - 1) << shift;
            int chunk = (int) (value >>> (end - to)) << shift;
            int i = base + (int) index;
            bytes[i] = (byte) ((bytes[i] & ~mask) | (chunk & mask));
        }
    }

    // ---------------------------------------------------------------- signed overflow

    public static long signedMax(int bits) {
        return bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
    }

    public static long signedMin(int bits) {
        return -signedMax(bits) - 1;
    }

    /**
     * Whether {@code value + increment} leaves the range of a signed field: 1 above it, -1 below it,
     * 0 when it fits. SET checks its value with an increment of zero.
     *
     * <p>The room left above and below the value is computed in wrapping 64-bit arithmetic, as Redis
     * computes it. For an increment that only matters when the value is in range, where nothing
     * wraps; but a SET of a value far below the range of a field of 62 or more bits makes the room
     * above wrap negative, and Redis then calls the overflow upward (SAT stores the maximum). We
     * answer as Redis does.
     */
    public static int signedOverflow(long value, long increment, int bits) {
        long max = signedMax(bits);
        long min = signedMin(bits);
        long roomAbove = max - value;
        long roomBelow = min - value;
        boolean narrow = bits != 64;
        if (value > max || (narrow && increment > roomAbove) || (value >= 0 && increment > 0 && increment > roomAbove)) {
            return 1;
        }
        if (value < min || (narrow && increment < roomBelow) || (value < 0 && increment < 0 && increment < roomBelow)) {
            return -1;
        }
        return 0;
    }

    /**
     * The value a signed field takes after adding {@code increment}, given the overflow
     * {@link #signedOverflow} reported, under WRAP or SAT (FAIL writes nothing, so it has no value).
     */
    public static long signedResult(long value, long increment, int bits, int overflow, Overflow rule) {
        if (overflow == 0) {
            return value + increment;
        }
        if (rule == Overflow.SAT) {
            return overflow > 0 ? signedMax(bits) : signedMin(bits);
        }
        return signExtend(value + increment, bits);
    }

    // ---------------------------------------------------------------- unsigned overflow

    /** Largest value of an unsigned field of 1 to 63 bits. */
    public static long unsignedMax(int bits) {
        return (1L << bits) - 1;
    }

    /**
     * Whether {@code value + increment} leaves the range of an unsigned field of 1 to 63 bits: 1 above
     * it, -1 below zero, 0 when it fits. {@code value} is unsigned: SET of a negative number is a
     * huge value, above the range.
     */
    public static int unsignedOverflow(long value, long increment, int bits) {
        long max = unsignedMax(bits);
        if (Long.compareUnsigned(value, max) > 0 || (increment > 0 && increment > max - value)) {
            return 1;
        }
        if (increment < 0 && increment < -value) {
            return -1;
        }
        return 0;
    }

    /** As {@link #signedResult}, for an unsigned field. */
    public static long unsignedResult(long value, long increment, int bits, int overflow, Overflow rule) {
        if (overflow == 0) {
            return value + increment;
        }
        if (rule == Overflow.SAT) {
            return overflow > 0 ? unsignedMax(bits) : 0;
        }
        return (value + increment) & unsignedMax(bits);
    }

    private static long signExtend(long value, int bits) {
        int unused = 64 - bits;
        return (value << unused) >> unused;
    }
}
