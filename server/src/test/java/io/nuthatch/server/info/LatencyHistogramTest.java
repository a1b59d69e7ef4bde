package io.nuthatch.server.info;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-command latency histogram: Redis's HdrHistogram layout (2 significant digits, 1 ns .. 1 s). */
class LatencyHistogramTest {
    @Test
    void percentilesReadBackOnRedisBucketEdges() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(5_000);
        // Figures redis-server printed for 5, 16 and 8 µs calls.
        assertEquals("5.023", InfoFields.fixed(histogram.microsAtPercentile(50), 3));
        histogram = new LatencyHistogram();
        histogram.record(16_000);
        assertEquals("16.063", InfoFields.fixed(histogram.microsAtPercentile(99.9), 3));
        histogram = new LatencyHistogram();
        histogram.record(8_000);
        histogram.record(10_000);
        assertEquals("8.031", InfoFields.fixed(histogram.microsAtPercentile(50), 3));
        assertEquals("10.047", InfoFields.fixed(histogram.microsAtPercentile(99), 3));
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long v = 1; v <= 200; v++) {
            histogram.record(v);
        }
        assertEquals(100, histogram.valueAtPercentile(50));
        assertEquals(198, histogram.valueAtPercentile(99));
        assertEquals(200, histogram.valueAtPercentile(100));
        assertEquals(1, histogram.valueAtPercentile(0));
    }

    @Test
    void percentilesSplitTheCountsAsAsked() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 990; i++) {
            histogram.record(1_000);
        }
        for (int i = 0; i < 10; i++) {
            histogram.record(1_000_000);
        }
        assertEquals(1000, histogram.totalCount());
        assertTrue(histogram.valueAtPercentile(50) >= 1_000 && histogram.valueAtPercentile(50) < 1_010);
        assertTrue(histogram.valueAtPercentile(99) < 1_010, "990 of 1000 are at 1 µs");
        long p999 = histogram.valueAtPercentile(99.9);
        assertTrue(p999 >= 1_000_000 && p999 < 1_010_000, "p99.9 " + p999);
    }

    @Test
    void valuesAreClampedToTheTrackedRange() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(0);
        assertEquals(1, histogram.valueAtPercentile(100));
        histogram = new LatencyHistogram();
        histogram.record(60_000_000_000L);
        long max = histogram.valueAtPercentile(100);
        assertTrue(max >= LatencyHistogram.MAX_VALUE && max < LatencyHistogram.MAX_VALUE * 1.01, "max " + max);
        assertEquals(0, new LatencyHistogram().valueAtPercentile(50));
    }

    @Test
    void everyValueFallsInABucketWithinOnePercent() {
        for (long value = 1; value < LatencyHistogram.MAX_VALUE; value = value * 3 / 2 + 1) {
            int index = LatencyHistogram.index(value);
            long lowest = LatencyHistogram.valueOf(index);
            long next = LatencyHistogram.valueOf(index + 1);
            assertTrue(lowest <= value && value < next, value + " in [" + lowest + ", " + next + ")");
            assertTrue(next - lowest <= Math.max(1, value / 128), "bucket width at " + value);
        }
    }

    @Test
    void bucketsAreVisitedInOrder() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(300);
        histogram.record(300);
        histogram.record(70);
        StringBuilder seen = new StringBuilder();
        histogram.forEachBucket((highest, count) -> seen.append(highest).append('x').append(count).append(' '));
        assertEquals("70x1 301x2 ", seen.toString());
    }
}
