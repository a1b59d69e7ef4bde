package io.nuthatch.server.type.stream;

/**
 * Stream entry IDs as two unsigned 64-bit numbers, milliseconds and sequence, kept in pairs of
 * {@code long}s rather than objects so that walking or comparing them allocates nothing. IDs order
 * as Redis orders them: by milliseconds, then sequence, both unsigned.
 */
public final class StreamIds {
    /** The largest part of an ID, 18446744073709551615 (all bits set). */
    public static final long MAX = -1L;
    /** Longest text of an ID: two 20-digit numbers and the dash. */
    public static final int MAX_TEXT_LENGTH = 41;
    /** 10^19 as an unsigned 64-bit number. */
    private static final long TEN_TO_THE_19 = Long.parseUnsignedLong("10000000000000000000");

    private StreamIds() {
    }

    /** Orders two IDs: negative, zero or positive as the first is smaller, equal or larger. */
    public static int compare(long ms, long seq, long otherMs, long otherSeq) {
        int byTime = Long.compareUnsigned(ms, otherMs);
        return byTime != 0 ? byTime : Long.compareUnsigned(seq, otherSeq);
    }

    public static boolean isZero(long ms, long seq) {
        return ms == 0 && seq == 0;
    }

    /**
     * Writes the ID as Redis prints it ("1526919030474-55") at {@code offset}; returns the number
     * of bytes written (at most {@link #MAX_TEXT_LENGTH}).
     */
    public static int format(long ms, long seq, byte[] target, int offset) {
        int length = writeUnsigned(ms, target, offset);
        target[offset + length] = '-';
        return length + 1 + writeUnsigned(seq, target, offset + length + 1);
    }

    /** The ID as text, for cold paths (error messages, tests). */
    public static String toString(long ms, long seq) {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** Writes an unsigned number in decimal; returns its length. */
    public static int writeUnsigned(long value, byte[] target, int offset) {
        int digits = unsignedLength(value);
        int position = offset + digits;
        long remaining = value;
        if (remaining < 0) {
            // Above Long.MAX_VALUE: one unsigned division brings the rest into signed range.
            long quotient = Long.divideUnsigned(remaining, 10);
            target[--position] = (byte) ('0' + (remaining - quotient * 10));
            remaining = quotient;
        }
        do {
            target[--position] = (byte) ('0' + remaining % 10);
            remaining /= 10;
        } while (remaining > 0);
        return digits;
    }

    /** Number of decimal digits of an unsigned number. */
    public static int unsignedLength(long value) {
        if (value < 0) {
            // 2^63 and above: 19 digits below 10^19, 20 from there on.
            return Long.compareUnsigned(value, TEN_TO_THE_19) >= 0 ? 20 : 19;
        }
        int digits = 1;
        long remaining = value;
        while (remaining >= 10) {
            remaining /= 10;
            digits++;
        }
        return digits;
    }
}
