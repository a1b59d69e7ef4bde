package io.nuthatch.server.type.geo;

import java.util.Comparator;
import java.util.List;

/**
 * The partial quicksort Redis uses to put the first {@code count} results of a geo search in order
 * without sorting the rest (pqsort: Bentley and McIlroy's "Engineering a Sort Function", which
 * skips the partitions that lie wholly outside the wanted range). Like any quicksort it is not
 * stable: points at equal distances come out in the order its swaps leave them, so the same
 * algorithm, step for step, is what gives the same replies as Redis when distances tie (two members
 * at one place).
 *
 * <p>Indexes replace C's byte pointers; a partition {@code [start, start + n)} is skipped when
 * the wanted range {@code [low, high]} lies wholly before or after it. The copy in redis-server
 * 7.0.15 has no switch to insertion sort after a pass without swaps (the shortcut some versions of
 * that code carry): orders of tied points observed from it match this code and not the shortcut's.
 */
final class PartialSort {
    private PartialSort() {
    }

    /** Sorts {@code list} enough that positions {@code low} to {@code high} hold what a full sort would put there. */
    static <T> void sort(List<T> list, Comparator<? super T> order, int low, int high) {
        sort(list, order, 0, list.size(), low, high);
    }

    private static <T> void sort(List<T> a, Comparator<? super T> order, int start, int n, int low, int high) {
        while (true) {
            if (n < 7) {
                insertionSort(a, order, start, n);
                return;
            }
            int middle = start + n / 2;
            if (n > 7) {
                int left = start;
                int right = start + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    left = medianOfThree(a, order, left, left + d, left + 2 * d);
                    middle = medianOfThree(a, order, middle - d, middle, middle + d);
                    right = medianOfThree(a, order, right - 2 * d, right - d, right);
                }
                middle = medianOfThree(a, order, left, middle, right);
            }
            swap(a, start, middle);
            int pa = start + 1;
            int pb = pa;
            int pc = start + n - 1;
            int pd = pc;
            while (true) {
                int compared;
                while (pb <= pc && (compared = order.compare(a.get(pb), a.get(start))) <= 0) {
                    if (compared == 0) {
                        swap(a, pa, pb);
                        pa++;
                    }
                    pb++;
                }
                while (pb <= pc && (compared = order.compare(a.get(pc), a.get(start))) >= 0) {
                    if (compared == 0) {
                        swap(a, pc, pd);
                        pd--;
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb, pc);
                pb++;
                pc--;
            }
            int end = start + n;
            int r = Math.min(pa - start, pb - pa);
            swapRange(a, start, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            swapRange(a, pb, end - r, r);
            r = pb - pa;
            if (r > 1 && overlaps(start, start + r - 1, low, high)) {
                sort(a, order, start, r, low, high);
            }
            r = pd - pc;
            if (r <= 1) {
                return;
            }
            start = end - r;
            n = r;
            if (!overlaps(start, start + r - 1, low, high)) {
                return;
            }
        }
    }

    /** Whether the partition [first, last] holds any of the wanted positions (pqsort's range test). */
    private static boolean overlaps(int first, int last, int low, int high) {
        return !((low < first && high < first) || (low > last && high > last));
    }

    private static <T> void insertionSort(List<T> a, Comparator<? super T> order, int start, int n) {
        for (int m = start + 1; m < start + n; m++) {
            for (int l = m; l > start && order.compare(a.get(l - 1), a.get(l)) > 0; l--) {
                swap(a, l, l - 1);
            }
        }
    }

    private static <T> int medianOfThree(List<T> a, Comparator<? super T> order, int x, int y, int z) {
        return order.compare(a.get(x), a.get(y)) < 0
                ? (order.compare(a.get(y), a.get(z)) < 0 ? y : (order.compare(a.get(x), a.get(z)) < 0 ? z : x))
                : (order.compare(a.get(y), a.get(z)) > 0 ? y : (order.compare(a.get(x), a.get(z)) < 0 ? x : z));
    }

    private static <T> void swap(List<T> a, int i, int j) {
        T t = a.get(i);
        a.set(i, a.get(j));
        a.set(j, t);
    }

    /** C's vecswap: exchanges the {@code n} elements from {@code i} with those from {@code j}, in order. */
    private static <T> void swapRange(List<T> a, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(a, i + k, j + k);
        }
    }
}
