package io.nuthatch.server.command.sort;

import java.util.Comparator;

/**
 * The partial quicksort Redis's SORT uses when it sorts BY a pattern and replies only a range:
 * only the parts of the array that overlap the range are sorted further, so the elements inside
 * the range end up in order and those outside it in no particular order.
 *
 * <p>It has to be this algorithm and no other, step for step, because it is not stable: when ALPHA
 * BY values are equal (or missing), which of the equal elements land inside the range, and in which
 * order, is whatever this algorithm leaves, and a client sees it. The algorithm is Bentley and
 * McIlroy's "engineered" quicksort as the BSD C libraries have it: below 7 elements an insertion
 * sort; otherwise a pivot that is the median of the first, middle and last elements (of three such
 * medians, above 40 elements), moved to the front; a three-way partition that gathers the elements
 * equal to the pivot at both ends and then swaps them into the middle; an insertion sort of the
 * whole part when the partition swapped nothing; then the part below the pivot and the part above
 * it, each only if it overlaps the range.
 */
final class PartialQuickSort {
    private static final int INSERTION_BELOW = 7;
    private static final int NINTHER_ABOVE = 40;

    private PartialQuickSort() {
    }

    /** Sorts {@code elements} enough that indexes {@code first} to {@code last} hold what a full sort puts there. */
    static <T> void sort(T[] elements, Comparator<? super T> order, long first, long last) {
        sort(elements, 0, elements.length, order, first, last);
    }

    private static <T> void sort(T[] a, int from, int n, Comparator<? super T> order, long first, long last) {
        while (true) {
            if (n < INSERTION_BELOW) {
                insertionSort(a, from, n, order);
                return;
            }
            int pm = from + n / 2;
            if (n > INSERTION_BELOW) {
                int pl = from;
                int pn = from + n - 1;
                if (n > NINTHER_ABOVE) {
                    int d = n / 8;
                    pl = median(a, pl, pl + d, pl + 2 * d, order);
                    pm = median(a, pm - d, pm, pm + d, order);
                    pn = median(a, pn - 2 * d, pn - d, pn, order);
                }
                pm = median(a, pl, pm, pn, order);
            }
            swap(a, from, pm);
            boolean swapped = false;
            int pa = from + 1;
            int pb = pa;
            int pc = from + n - 1;
            int pd = pc;
            while (true) {
                int result;
                while (pb <= pc && (result = order.compare(a[pb], a[from])) <= 0) {
                    if (result == 0) {
                        swapped = true;
                        swap(a, pa++, pb);
                    }
                    pb++;
                }
                while (pb <= pc && (result = order.compare(a[pc], a[from])) >= 0) {
                    if (result == 0) {
                        swapped = true;
                        swap(a, pc, pd--);
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb++, pc--);
                swapped = true;
            }
            if (!swapped) {
                insertionSort(a, from, n, order);
                return;
            }
            int end = from + n;
            int r = Math.min(pa - from, pb - pa);
            swapRuns(a, from, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            swapRuns(a, pb, end - r, r);
            r = pb - pa;
            if (r > 1 && overlaps(from, r, first, last)) {
                sort(a, from, r, order, first, last);
            }
            r = pd - pc;
            if (r <= 1 || !overlaps(end - r, r, first, last)) {
                return;
            }
            from = end - r;
            n = r;
        }
    }

    /**
     * Whether the part of {@code count} elements from {@code from} is to be sorted further: not
     * when the range lies wholly before it or wholly after it (an empty range, last below first,
     * counts as its two ends).
     */
    private static boolean overlaps(int from, int count, long first, long last) {
        long partLast = (long) from + count - 1;
        return !((first < from && last < from) || (first > partLast && last > partLast));
    }

    private static <T> void insertionSort(T[] a, int from, int n, Comparator<? super T> order) {
        for (int m = from + 1; m < from + n; m++) {
            for (int l = m; l > from && order.compare(a[l - 1], a[l]) > 0; l--) {
                swap(a, l, l - 1);
            }
        }
    }

    private static <T> int median(T[] a, int x, int y, int z, Comparator<? super T> order) {
        if (order.compare(a[x], a[y]) < 0) {
            return order.compare(a[y], a[z]) < 0 ? y : order.compare(a[x], a[z]) < 0 ? z : x;
        }
        return order.compare(a[y], a[z]) > 0 ? y : order.compare(a[x], a[z]) < 0 ? x : z;
    }

    private static <T> void swapRuns(T[] a, int x, int y, int count) {
        for (int i = 0; i < count; i++) {
            swap(a, x + i, y + i);
        }
    }

    private static <T> void swap(T[] a, int x, int y) {
        T t = a[x];
        a[x] = a[y];
        a[y] = t;
    }
}
