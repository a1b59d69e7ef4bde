package io.nuthatch.server.type;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A sorted set of 64-bit integers packed into one byte array, as Redis's intset packs the small
 * sets whose members are all integers: the layout behind OBJECT ENCODING's "intset".
 *
 * <p><b>Layout.</b> {@code [width][integer 0][integer 1]...}: one byte giving the width every
 * integer is stored at (2, 4 or 8 bytes, little-endian), then the integers in ascending order.
 * The width is the smallest that holds every member; adding a member that needs more rewrites the
 * whole array at the wider width, and removing members never narrows it again (Redis behaves the
 * same, and its MEMORY USAGE reflects it). The array is exactly as long as its contents, so the
 * member count follows from its length and nothing else needs storing: a set of ten small
 * integers is one 40-byte array.
 *
 * <p>Every change returns a new array (or the same one when nothing changed), the way Redis
 * reallocates its intset on every insertion. Sets stay small (set-max-intset-entries, 512 by
 * default), so the copy is a few hundred bytes at most, and the old array can be kept unchanged by
 * whoever still holds it (a copy taken for a snapshot).
 */
public final class IntSet {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private IntSet() {
    }

    /** A set holding one integer. */
    public static byte[] of(long value) {
        int width = widthFor(value);
        byte[] set = new byte[1 + width];
        set[0] = (byte) width;
        write(set, width, 0, value);
        return set;
    }

    public static int size(byte[] set) {
        return (set.length - 1) / set[0];
    }

    /** The width in bytes each member is stored at. */
    public static int width(byte[] set) {
        return set[0];
    }

    /** The member at {@code index} in ascending order. */
    public static long get(byte[] set, int index) {
        return read(set, set[0], index);
    }

    public static boolean contains(byte[] set, long value) {
        return widthFor(value) <= set[0] && search(set, value) >= 0;
    }

    /** The set with {@code value} added; the same array when it was already there. */
    public static byte[] add(byte[] set, long value) {
        int width = set[0];
        int needed = widthFor(value);
        if (needed > width) {
            return widened(set, needed, value);
        }
        int found = search(set, value);
        if (found >= 0) {
            return set;
        }
        int at = -found - 1;
        byte[] grown = new byte[set.length + width];
        int split = 1 + at * width;
        System.arraycopy(set, 0, grown, 0, split);
        System.arraycopy(set, split, grown, split + width, set.length - split);
        write(grown, width, at, value);
        return grown;
    }

    /** The set without {@code value}; the same array when it was not there. */
    public static byte[] remove(byte[] set, long value) {
        if (widthFor(value) > set[0]) {
            return set;
        }
        int found = search(set, value);
        if (found < 0) {
            return set;
        }
        int width = set[0];
        byte[] shrunk = new byte[set.length - width];
        int split = 1 + found * width;
        System.arraycopy(set, 0, shrunk, 0, split);
        System.arraycopy(set, split + width, shrunk, split, set.length - split - width);
        return shrunk;
    }

    /** The set without the member at {@code index}. */
    public static byte[] removeAt(byte[] set, int index) {
        return remove(set, get(set, index));
    }

    /** Heap bytes of the array. */
    public static long memoryUsage(byte[] set) {
        return MemoryLayout.byteArray(set.length);
    }

    public static byte[] copy(byte[] set) {
        return Arrays.copyOf(set, set.length);
    }

    /** The narrowest of Redis's widths that holds the value. */
    static int widthFor(long value) {
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return 2;
        }
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? 4 : 8;
    }

    /**
     * A value wider than every member is either below all of them or above all of them, so the
     * rewrite at the new width puts it first or last.
     */
    private static byte[] widened(byte[] set, int width, long value) {
        int size = size(set);
        byte[] wide = new byte[1 + (size + 1) * width];
        wide[0] = (byte) width;
        int shift = value < 0 ? 1 : 0;
        for (int i = 0; i < size; i++) {
            write(wide, width, i + shift, get(set, i));
        }
        write(wide, width, value < 0 ? 0 : size, value);
        return wide;
    }

    /** The index of the value, or (-(insertion point) - 1) as {@link Arrays#binarySearch} answers. */
    private static int search(byte[] set, long value) {
        int width = set[0];
        int low = 0;
        int high = size(set) - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            long member = read(set, width, middle);
            if (member < value) {
                low = middle + 1;
            } else if (member > value) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -(low + 1);
    }

    private static long read(byte[] set, int width, int index) {
        int offset = 1 + index * width;
        return switch (width) {
            case 2 -> (short) SHORT.get(set, offset);
            case 4 -> (int) INT.get(set, offset);
            default -> (long) LONG.get(set, offset);
        };
    }

    private static void write(byte[] set, int width, int index, long value) {
        int offset = 1 + index * width;
        switch (width) {
            case 2 -> SHORT.set(set, offset, (short) value);
            case 4 -> INT.set(set, offset, (int) value);
            default -> LONG.set(set, offset, value);
        }
    }
}
