package io.nuthatch.server.type;

import java.util.Arrays;

/**
 * A sorted set of 64-bit integers packed into one primitive array, as Redis's intset packs the
 * small sets whose members are all integers: the layout behind OBJECT ENCODING's "intset".
 *
 * <p><b>Layout.</b> A {@code short[]}, {@code int[]} or {@code long[]} of the members in ascending
 * order: the array's type is the width every member is stored at (2, 4 or 8 bytes, Redis's
 * widths), the smallest that holds them all, and its length is the member count, so nothing else
 * is stored: ten members under 32768 are one 40-byte array, and ten under 2^31 one 56-byte array
 * (Redis: a 28- or 48-byte intset in a 32- or 48-byte allocation). Adding a member that needs a
 * wider type rewrites the set at that width; removing members never narrows it again, as in
 * Redis.
 *
 * <p>Every change returns a new array (or the same one when nothing changed), the way Redis
 * reallocates its intset on every insertion. Sets stay small (set-max-intset-entries, 512 by
 * default), so the copy is a few kilobytes at most, and an old array can be kept unchanged by
 * whoever still holds it.
 */
public final class IntSet {
    private static final short[] EMPTY = new short[0];

    private IntSet() {
    }

    /** The empty set. */
    public static Object empty() {
        return EMPTY;
    }

    /** Whether an object is an intset array (rather than another layout of a set). */
    public static boolean isIntSet(Object set) {
        return set instanceof short[] || set instanceof int[] || set instanceof long[];
    }

    public static int size(Object set) {
        if (set instanceof short[] shorts) {
            return shorts.length;
        }
        return set instanceof int[] ints ? ints.length : ((long[]) set).length;
    }

    /** The width in bytes each member is stored at. */
    public static int width(Object set) {
        if (set instanceof short[]) {
            return 2;
        }
        return set instanceof int[] ? 4 : 8;
    }

    /** The member at {@code index} in ascending order. */
    public static long get(Object set, int index) {
        if (set instanceof short[] shorts) {
            return shorts[index];
        }
        return set instanceof int[] ints ? ints[index] : ((long[]) set)[index];
    }

    public static boolean contains(Object set, long value) {
        return widthFor(value) <= width(set) && search(set, value) >= 0;
    }

    /** The set with {@code value} added; the same array when it was already there. */
    public static Object add(Object set, long value) {
        int width = width(set);
        int needed = widthFor(value);
        if (needed > width) {
            return widened(set, needed, value);
        }
        int found = search(set, value);
        if (found >= 0) {
            return set;
        }
        int at = -found - 1;
        int size = size(set);
        Object grown = newArray(width, size + 1);
        System.arraycopy(set, 0, grown, 0, at);
        System.arraycopy(set, at, grown, at + 1, size - at);
        write(grown, at, value);
        return grown;
    }

    /** The set without {@code value}; the same array when it was not there. */
    public static Object remove(Object set, long value) {
        if (widthFor(value) > width(set)) {
            return set;
        }
        int found = search(set, value);
        return found < 0 ? set : removeAt(set, found);
    }

    /** The set without the member at {@code index}. */
    public static Object removeAt(Object set, int index) {
        int size = size(set);
        Object shrunk = newArray(width(set), size - 1);
        System.arraycopy(set, 0, shrunk, 0, index);
        System.arraycopy(set, index + 1, shrunk, index, size - index - 1);
        return shrunk;
    }

    /** Heap bytes of the array. */
    public static long memoryUsage(Object set) {
        return MemoryLayout.allocated(MemoryLayout.align(MemoryLayout.ARRAY_HEADER + (long) size(set) * width(set)));
    }

    public static Object copy(Object set) {
        if (set instanceof short[] shorts) {
            return shorts.clone();
        }
        return set instanceof int[] ints ? ints.clone() : ((long[]) set).clone();
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
    private static Object widened(Object set, int width, long value) {
        int size = size(set);
        Object wide = newArray(width, size + 1);
        int shift = value < 0 ? 1 : 0;
        for (int i = 0; i < size; i++) {
            write(wide, i + shift, get(set, i));
        }
        write(wide, value < 0 ? 0 : size, value);
        return wide;
    }

    /** The index of the value, or (-(insertion point) - 1) as {@link Arrays#binarySearch} answers. */
    private static int search(Object set, long value) {
        if (set instanceof short[] shorts) {
            return Arrays.binarySearch(shorts, (short) value);
        }
        return set instanceof int[] ints ? Arrays.binarySearch(ints, (int) value)
                : Arrays.binarySearch((long[]) set, value);
    }

    private static Object newArray(int width, int size) {
        return switch (width) {
            case 2 -> new short[size];
            case 4 -> new int[size];
            default -> new long[size];
        };
    }

    private static void write(Object set, int index, long value) {
        if (set instanceof short[] shorts) {
            shorts[index] = (short) value;
        } else if (set instanceof int[] ints) {
            ints[index] = (int) value;
        } else {
            ((long[]) set)[index] = value;
        }
    }
}
