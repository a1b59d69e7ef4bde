package io.nuthatch.server.type;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A string seen as an array of bits, as the bit commands see it: bit 0 is the most significant bit
 * of the first byte, and every bit past the end of the string reads as zero.
 *
 * <p>Ranges are inclusive bit positions that the caller has already clamped to the bytes it passes.
 * Scans go eight bytes at a time where they can, since bitmaps of tens of megabytes are common
 * (one bit per user id) and BITCOUNT or BITPOS over them must not cost a loop step per bit.
 */
public final class Bitmaps {
    /** Eight bytes as one long, first byte most significant: bit positions read left to right. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bitmaps() {
    }

    /** The bit at {@code position}; zero past {@code length} bytes. */
    public static boolean get(byte[] bytes, int length, long position) {
        return get(bytes, 0, length, position);
    }

    /** The bit at {@code position} of the string of {@code length} bytes at {@code base}; zero past its end. */
    public static boolean get(byte[] bytes, int base, int length, long position) {
        long index = position >>> 3;
        return index < length && (bytes[base + (int) index] & (0x80 >>> (position & 7))) != 0;
    }

    /** Sets or clears the bit at {@code position}, which must lie within the array; returns its old value. */
    public static boolean set(byte[] bytes, long position, boolean one) {
        return set(bytes, 0, position, one);
    }

    /** As {@link #set(byte[], long, boolean)}, for the string that starts at {@code base}. */
    public static boolean set(byte[] bytes, int base, long position, boolean one) {
        int index = base + (int) (position >>> 3);
        int mask = 0x80 >>> (position & 7);
        boolean old = (bytes[index] & mask) != 0;
        bytes[index] = (byte) (one ? bytes[index] | mask : bytes[index] & ~mask);
        return old;
    }

    /** Number of set bits among the bits {@code first..last}, both inclusive, both within the array. */
    public static long count(byte[] bytes, long first, long last) {
        return count(bytes, 0, first, last);
    }

    /** As {@link #count(byte[], long, long)}, bit positions counted from byte {@code base}. */
    public static long count(byte[] bytes, int base, long first, long last) {
        if (first > last) {
            return 0;
        }
        int firstByte = base + (int) (first >>> 3);
        int lastByte = base + (int) (last >>> 3);
        long count = popcount(bytes, firstByte, lastByte + 1);
        // Whole bytes were counted: take back the bits before `first` and after `last`.
        int before = (0xFF00 >>> (first & 7)) & 0xFF;
        int after = 0xFF >>> ((last & 7) + 1);
        count -= Integer.bitCount(bytes[firstByte] & before);
        count -= Integer.bitCount(bytes[lastByte] & after);
        return count;
    }

    /** Number of set bits in the bytes {@code from} (inclusive) to {@code to} (exclusive). */
    public static long popcount(byte[] bytes, int from, int to) {
        long count = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            count += Long.bitCount((long) WORD.get(bytes, i));
        }
        for (; i < to; i++) {
            count += Integer.bitCount(bytes[i] & 0xFF);
        }
        return count;
    }

    /**
     * Position of the first bit equal to {@code one} among the bits {@code first..last}, both
     * inclusive and within the array; -1 when there is none.
     */
    public static long find(byte[] bytes, long first, long last, boolean one) {
        return find(bytes, 0, first, last, one);
    }

    /** As {@link #find(byte[], long, long, boolean)}, bit positions counted from byte {@code base}. */
    public static long find(byte[] bytes, int base, long first, long last, boolean one) {
        long position = first;
        int length = bytes.length - base;
        // Leading bits up to a byte boundary, one at a time.
        while (position <= last && (position & 7) != 0) {
            if (get(bytes, base, length, position) == one) {
                return position;
            }
            position++;
        }
        long unwanted = one ? 0 : -1L;
        while (position + 63 <= last) {
            long word = (long) WORD.get(bytes, base + (int) (position >>> 3)) ^ unwanted;
            if (word != 0) {
                return position + Long.numberOfLeadingZeros(word);
            }
            position += 64;
        }
        while (position + 7 <= last) {
            int octet = (bytes[base + (int) (position >>> 3)] ^ (int) unwanted) & 0xFF;
            if (octet != 0) {
                return position + Integer.numberOfLeadingZeros(octet) - 24;
            }
            position += 8;
        }
        for (; position <= last; position++) {
            if (get(bytes, base, length, position) == one) {
                return position;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- BITOP

    /** The operations of BITOP. */
    public enum Operation { AND, OR, XOR, NOT }

    /**
     * Combines a source into a target as {@code operation} does, the source padded with zero bytes to
     * the target's length: {@code target = target OP source} (NOT ignores the target). The first
     * source of AND, OR and XOR is to be copied into a zeroed target instead.
     */
    public static void combine(Operation operation, byte[] target, byte[] source, int sourceLength) {
        combine(operation, target, source, 0, sourceLength);
    }

    /** As {@link #combine(Operation, byte[], byte[], int)}, the source starting at {@code sourceOffset}. */
    public static void combine(Operation operation, byte[] target, byte[] source, int sourceOffset, int sourceLength) {
        int shared = Math.min(sourceLength, target.length);
        int s = sourceOffset;
        int i = 0;
        switch (operation) {
            case AND -> {
                for (; i + 8 <= shared; i += 8) {
                    WORD.set(target, i, (long) WORD.get(target, i) & (long) WORD.get(source, s + i));
                }
                for (; i < shared; i++) {
                    target[i] &= source[s + i];
                }
                Arrays.fill(target, shared, target.length, (byte) 0);
            }
            case OR -> {
                for (; i + 8 <= shared; i += 8) {
                    WORD.set(target, i, (long) WORD.get(target, i) | (long) WORD.get(source, s + i));
                }
                for (; i < shared; i++) {
                    target[i] |= source[s + i];
                }
            }
            case XOR -> {
                for (; i + 8 <= shared; i += 8) {
                    WORD.set(target, i, (long) WORD.get(target, i) ^ (long) WORD.get(source, s + i));
                }
                for (; i < shared; i++) {
                    target[i] ^= source[s + i];
                }
            }
            case NOT -> {
                for (; i + 8 <= shared; i += 8) {
                    WORD.set(target, i, ~(long) WORD.get(source, s + i));
                }
                for (; i < shared; i++) {
                    target[i] = (byte) ~source[s + i];
                }
                Arrays.fill(target, shared, target.length, (byte) 0xFF);
            }
        }
    }
}
