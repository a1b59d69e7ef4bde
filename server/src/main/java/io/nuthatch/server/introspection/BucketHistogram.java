package io.nuthatch.server.introspection;

import io.nuthatch.exporter.HistogramReading;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Prometheus histogram of fixed buckets that any thread may observe into and the exporter's
 * thread reads: observations are whole numbers in a base unit (nanoseconds, keys), exported
 * multiplied by {@code scale} (1e-9: seconds). Observing allocates nothing and takes no lock; a
 * reading taken during an observation may count it in its bucket and not yet in the sum.
 */
final class BucketHistogram {
    private final double[] upperBounds;
    private final long[] rawUpperBounds;
    private final double scale;
    private final AtomicLongArray counts;
    private final AtomicLong rawSum = new AtomicLong();

    /** @param upperBounds the buckets' upper bounds in the exported unit, ascending */
    BucketHistogram(double scale, double... upperBounds) {
        this.scale = scale;
        this.upperBounds = upperBounds.clone();
        this.rawUpperBounds = new long[upperBounds.length];
        for (int i = 0; i < upperBounds.length; i++) {
            rawUpperBounds[i] = Math.round(upperBounds[i] / scale);
        }
        this.counts = new AtomicLongArray(upperBounds.length + 1);
    }

    void observe(long raw) {
        int bucket = 0;
        while (bucket < rawUpperBounds.length && raw > rawUpperBounds[bucket]) {
            bucket++;
        }
        counts.incrementAndGet(bucket);
        rawSum.addAndGet(raw);
    }

    HistogramReading reading() {
        long[] copy = new long[counts.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts.get(i);
        }
        return new HistogramReading(upperBounds, copy, rawSum.get() * scale);
    }
}
