package io.nuthatch.server.command.sort;

import java.util.Comparator;

/**
 * One element of the value SORT sorts, with what it is compared by: its numeric score (from the
 * element or its BY key; 0 when the BY key is missing) or, for ALPHA with BY, the bytes of its BY
 * key (null when missing).
 */
final class SortElement {
    final byte[] element;
    double score;
    byte[] compared;

    SortElement(byte[] element) {
        this.element = element;
    }

    /**
     * Redis 7.0's comparison, which decides the reply's order, ties included:
     * <ul>
     * <li>numeric: by score, and equal scores by the elements' bytes, so that the order is total;</li>
     * <li>ALPHA with BY: a missing BY value first, two missing ones equal, else by the BY values;</li>
     * <li>ALPHA alone: by the elements.</li>
     * </ul>
     * Strings compared under ALPHA are compared as the C strings strcoll reads (up to the first NUL;
     * under the C locale redis-server runs in here strcoll compares bytes) unless the result is
     * stored, when Redis compares the whole byte strings. Two elements ALPHA finds equal stay in
     * the order they came in, as glibc's merge sort (the qsort Redis calls) keeps them. DESC
     * reverses the comparison, not the order of equals.
     */
    static Comparator<SortElement> order(boolean alpha, boolean byPattern, boolean storing, boolean descending) {
        Comparator<SortElement> ascending;
        if (!alpha) {
            ascending = SortElement::compareNumerically;
        } else if (byPattern) {
            ascending = (a, b) -> compareMissingFirst(a.compared, b.compared, storing);
        } else {
            ascending = (a, b) -> compareStrings(a.element, b.element, storing);
        }
        return descending ? (a, b) -> ascending.compare(b, a) : ascending;
    }

    private static int compareNumerically(SortElement a, SortElement b) {
        if (a.score > b.score) {
            return 1;
        }
        if (a.score < b.score) {
            return -1;
        }
        return compareBytes(a.element, b.element);
    }

    private static int compareMissingFirst(byte[] a, byte[] b, boolean storing) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        return compareStrings(a, b, storing);
    }

    private static int compareStrings(byte[] a, byte[] b, boolean storing) {
        return storing ? compareBytes(a, b) : compareCStrings(a, b);
    }

    /** memcmp over the common length, then the shorter first. */
    static int compareBytes(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    /** strcmp: unsigned bytes up to the first NUL of either. */
    static int compareCStrings(byte[] a, byte[] b) {
        int i = 0;
        while (true) {
            int x = i < a.length ? a[i] & 0xff : 0;
            int y = i < b.length ? b[i] & 0xff : 0;
            if (x != y) {
                return x - y;
            }
            if (x == 0) {
                return 0;
            }
            i++;
        }
    }
}
