package io.nuthatch.server.info;

/**
 * Latencies of one command, in nanoseconds, for INFO latencystats and LATENCY HISTOGRAM.
 *
 * <p><b>Layout.</b> Redis keeps an HdrHistogram per command with two significant digits over
 * 1 ns .. 1 s; this is the same log-linear layout, so the percentiles it reports fall on the
 * same bucket edges (5 µs reads back as 5.023). Values under 256 ns get one bucket each; above,
 * the range [2^(k+7), 2^(k+8)) is cut into 128 buckets of width 2^k. The bucket of a value is
 * then its top eight significant bits, found with one leading-zeros count, so recording is a
 * shift, an add and an increment. Values past 1 s count as 1 s, as in Redis. 3072 counters
 * (24 KB) cover the range; a histogram is created on a command's first call.
 */
public final class LatencyHistogram {
    /** Lowest and highest values tracked, as Redis's LATENCY_HISTOGRAM_MIN/MAX_VALUE (ns). */
    public static final long MIN_VALUE = 1;
    public static final long MAX_VALUE = 1_000_000_000L;

    private static final int SUB_BUCKET_BITS = 8;
    private static final int HALF_SUB_BUCKETS = 1 << (SUB_BUCKET_BITS - 1);
    private static final int COUNTS_LENGTH = index(MAX_VALUE) + 1;

    private final long[] counts = new long[COUNTS_LENGTH];
    private long totalCount;

    /** Counts one value, clamped to [{@link #MIN_VALUE}, {@link #MAX_VALUE}]. */
    public void record(long nanos) {
        long value = Math.max(MIN_VALUE, Math.min(MAX_VALUE, nanos));
        counts[index(value)]++;
        totalCount++;
    }

    public long totalCount() {
        return totalCount;
    }

    /**
     * The value at a percentile (0..100): the highest value of the bucket where the cumulated count
     * reaches that share of all values (the lowest one for percentile 0), or 0 when empty.
     */
    public long valueAtPercentile(double percentile) {
        if (totalCount == 0) {
            return 0;
        }
        double requested = Math.min(percentile, 100.0);
        long countAtPercentile = Math.max(1, (long) (requested / 100 * totalCount + 0.5));
        long cumulated = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulated += counts[i];
            if (cumulated >= countAtPercentile) {
                long lowest = valueOf(i);
                return percentile == 0 ? lowest : lowest + bucketWidth(i) - 1;
            }
        }
        return 0;
    }

    /** The value at a percentile in microseconds, as INFO prints it. */
    public double microsAtPercentile(double percentile) {
        return valueAtPercentile(percentile) / 1000.0;
    }

    /** Calls the visitor for each non-empty bucket, lowest first: (highest value of bucket, count). */
    public void forEachBucket(BucketVisitor visitor) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                visitor.bucket(valueOf(i) + bucketWidth(i) - 1, counts[i]);
            }
        }
    }

    /**
     * LATENCY HISTOGRAM's buckets, as Redis reads its histogram with a logarithmic iterator from
     * 1024 ns by powers of two: for each level, the highest value of the level's bucket in whole
     * microseconds and the count of values up to that bucket, a level reported only when the
     * count grew; the last level is the first past the highest value recorded.
     */
    public void forEachPowerOfTwoLevel(BucketVisitor visitor) {
        long previous = 0;
        for (long level = 1024; previous < totalCount; level *= 2) {
            long cumulated;
            long micros;
            if (level > MAX_VALUE) {
                // Past the tracked range (a command of 0.54 s or more) only 2^30 ns is left; Redis
                // 7.0.15 prints that level as 1073741 µs, the level less one.
                cumulated = totalCount;
                micros = (level - 1) / 1000;
            } else {
                int last = index(level);
                cumulated = 0;
                for (int i = 0; i <= last; i++) {
                    cumulated += counts[i];
                }
                micros = (valueOf(last) + bucketWidth(last) - 1) / 1000;
            }
            if (cumulated > previous) {
                visitor.bucket(micros, cumulated);
            }
            previous = cumulated;
        }
    }

    /** Receives the buckets of {@link #forEachBucket}. */
    @FunctionalInterface
    public interface BucketVisitor {
        void bucket(long highestValue, long count);
    }

    private static int shiftOf(long value) {
        int magnitude = 63 - Long.numberOfLeadingZeros(value | ((1 << SUB_BUCKET_BITS) - 1));
        return magnitude - (SUB_BUCKET_BITS - 1);
    }

    static int index(long value) {
        int shift = shiftOf(value);
        return shift * HALF_SUB_BUCKETS + (int) (value >>> shift);
    }

    /** Lowest value of the bucket at an index. */
    static long valueOf(int index) {
        int shift = (index >> (SUB_BUCKET_BITS - 1)) - 1;
        long subBucket = (index & (HALF_SUB_BUCKETS - 1)) + HALF_SUB_BUCKETS;
        if (shift < 0) {
            shift = 0;
            subBucket -= HALF_SUB_BUCKETS;
        }
        return subBucket << shift;
    }

    private static long bucketWidth(int index) {
        return 1L << Math.max(0, (index >> (SUB_BUCKET_BITS - 1)) - 1);
    }
}
