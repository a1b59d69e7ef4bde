package io.nuthatch.server.type;

/**
 * The longest common subsequence of two byte strings (LCS), with the matching ranges in the order
 * and shape Redis reports them.
 *
 * <p>The classic dynamic programme fills a table L(i, j), the LCS length of the first i bytes of a
 * and the first j bytes of b, then walks back from L(a, b): on equal bytes both strings step back
 * and the byte is part of the answer; otherwise the walk steps back in a when L(i-1, j) is strictly
 * greater than L(i, j-1), else in b. Which of two equally long subsequences is found depends on that
 * tie rule, so it is Redis's rule exactly.
 *
 * <p>Redis keeps the whole table of 32-bit lengths. The walk only needs, for each cell where the
 * bytes differ, which way to step, so this class keeps one bit per cell and computes the lengths
 * two rows at a time: 32 times less memory for the same answer. Only the length needs no bits at
 * all ({@link #length}).
 */
public final class LongestCommonSubsequence {

    /** Receives the matching ranges, each inclusive, from the end of the strings to their start. */
    public interface RangeVisitor {
        void range(int aStart, int aEnd, int bStart, int bEnd);
    }

    private final byte[] a;
    private final int aLength;
    private final byte[] b;
    private final int bLength;
    /** Bit (i-1) * bLength + (j-1): at cell (i, j) of differing bytes, step back in a. */
    private final long[] stepInA;
    private final int length;

    private LongestCommonSubsequence(byte[] a, int aLength, byte[] b, int bLength) {
        this.a = a;
        this.aLength = aLength;
        this.b = b;
        this.bLength = bLength;
        long cells = (long) aLength * bLength;
        this.stepInA = new long[(int) ((cells + 63) >>> 6)];
        int[] previous = new int[bLength + 1];
        int[] current = new int[bLength + 1];
        for (int i = 1; i <= aLength; i++) {
            long rowBit = (long) (i - 1) * bLength;
            byte ai = a[i - 1];
            for (int j = 1; j <= bLength; j++) {
                if (ai == b[j - 1]) {
                    current[j] = previous[j - 1] + 1;
                } else if (previous[j] > current[j - 1]) {
                    current[j] = previous[j];
                    long bit = rowBit + j - 1;
                    stepInA[(int) (bit >>> 6)] |= 1L << bit;
                } else {
                    current[j] = current[j - 1];
                }
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        this.length = previous[bLength];
    }

    /**
     * The table Redis would allocate for these lengths, in bytes; Redis refuses an LCS whose table
     * exceeds proto-max-bulk-len, and so does this server, to answer the same.
     */
    public static long redisTableBytes(int aLength, int bLength) {
        return ((long) aLength + 1) * ((long) bLength + 1) * Integer.BYTES;
    }

    /** Whether {@link #compute} can hold its table for these lengths in a Java array. */
    public static boolean fitsInArray(int aLength, int bLength) {
        return ((long) aLength * bLength + 63) >>> 6 <= Integer.MAX_VALUE - 8;
    }

    /**
     * Computes the table for the walk. May throw OutOfMemoryError for very long strings.
     */
    public static LongestCommonSubsequence compute(byte[] a, int aLength, byte[] b, int bLength) {
        return new LongestCommonSubsequence(a, aLength, b, bLength);
    }

    /** The LCS length alone, in memory linear in the second string. */
    public static int length(byte[] a, int aLength, byte[] b, int bLength) {
        int[] previous = new int[bLength + 1];
        int[] current = new int[bLength + 1];
        for (int i = 1; i <= aLength; i++) {
            byte ai = a[i - 1];
            for (int j = 1; j <= bLength; j++) {
                current[j] = ai == b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[bLength];
    }

    public int length() {
        return length;
    }

    /** The subsequence itself. */
    public byte[] sequence() {
        byte[] sequence = new byte[length];
        walk(sequence, 0, null);
        return sequence;
    }

    /**
     * Reports the runs of consecutive matching bytes of at least {@code minimumLength} bytes (all
     * of them when it is 0), from the end of the strings backwards.
     */
    public void ranges(long minimumLength, RangeVisitor visitor) {
        walk(null, minimumLength, visitor);
    }

    private void walk(byte[] sequence, long minimumLength, RangeVisitor visitor) {
        int i = aLength;
        int j = bLength;
        int remaining = length;
        boolean open = false;
        int aStart = 0;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        while (i > 0 && j > 0) {
            boolean close;
            if (a[i - 1] == b[j - 1]) {
                if (sequence != null) {
                    sequence[--remaining] = a[i - 1];
                }
                if (!open) {
                    open = true;
                    aEnd = i - 1;
                    bEnd = j - 1;
                }
                // Consecutive matches move back in both strings at once, so a run only grows here.
                aStart = i - 1;
                bStart = j - 1;
                close = aStart == 0 || bStart == 0;
                i--;
                j--;
            } else {
                long bit = (long) (i - 1) * bLength + j - 1;
                if ((stepInA[(int) (bit >>> 6)] & (1L << bit)) != 0) {
                    i--;
                } else {
                    j--;
                }
                close = open;
            }
            if (close) {
                int runLength = aEnd - aStart + 1;
                if (visitor != null && (minimumLength == 0 || runLength >= minimumLength)) {
                    visitor.range(aStart, aEnd, bStart, bEnd);
                }
                open = false;
            }
        }
    }
}
