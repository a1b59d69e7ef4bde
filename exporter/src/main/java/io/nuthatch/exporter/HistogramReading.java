package io.nuthatch.exporter;

/**
 * A histogram as read at one moment: the upper bounds of its buckets (ascending, +Inf implied after
 * the last), how many observations fell in each bucket (one more count than bounds: the last is
 * above every bound, not cumulative), and the sum of the observations.
 */
public record HistogramReading(double[] upperBounds, long[] bucketCounts, double sum) {

    public HistogramReading {
        if (bucketCounts.length != upperBounds.length + 1) {
            throw new IllegalArgumentException("a histogram has one bucket more than bounds (+Inf)");
        }
    }

    /** How many observations in all. */
    public long count() {
        long count = 0;
        for (long bucket : bucketCounts) {
            count += bucket;
        }
        return count;
    }
}
