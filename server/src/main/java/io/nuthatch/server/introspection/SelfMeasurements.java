package io.nuthatch.server.introspection;

import io.nuthatch.exporter.HistogramReading;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server measures of itself for the exporter's nuthatch_* families (the table is
 * {@link io.nuthatch.exporter.NuthatchMetricTable}): the persistence, eviction and scripting code
 * report here as things happen, on whatever thread they run.
 *
 * <p>The buckets: fsyncs from 100 us (a fast SSD) to 2.5 s (past Redis's 2 s, when writes start to
 * wait for the fsync); snapshots from 10 ms to 10 min; eviction cycles from 50 us (a cycle of a
 * key or two) to 25 ms, past the 500 us the default maxmemory-eviction-tenacity allows a cycle
 * before it continues in the background; keys per cycle in powers of four.
 */
public final class SelfMeasurements {
    private static final double NANOS = 1e-9;

    private final BucketHistogram aofFsync = new BucketHistogram(NANOS,
            0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5);
    private final BucketHistogram snapshot = new BucketHistogram(NANOS,
            0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600);
    private final BucketHistogram evictionCycleKeys = new BucketHistogram(1,
            1, 4, 16, 64, 256, 1024, 4096, 16384);
    private final BucketHistogram evictionCycleTime = new BucketHistogram(NANOS,
            0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025);
    private final AtomicLong scriptThreadMoves = new AtomicLong();

    /** An fsync of the append-only file took {@code nanos} (whether it succeeded or not). */
    public void aofFsynced(long nanos) {
        aofFsync.observe(nanos);
    }

    /** A snapshot was written to completion in {@code nanos}. */
    public void snapshotWritten(long nanos) {
        snapshot.observe(nanos);
    }

    /** An eviction cycle evicted {@code keys} in {@code nanos}. */
    public void evictionCycle(int keys, long nanos) {
        evictionCycleKeys.observe(keys);
        evictionCycleTime.observe(nanos);
    }

    /** A script left its caller's thread for the script thread. */
    public void scriptMoved() {
        scriptThreadMoves.incrementAndGet();
    }

    HistogramReading aofFsyncSeconds() {
        return aofFsync.reading();
    }

    HistogramReading snapshotSeconds() {
        return snapshot.reading();
    }

    HistogramReading evictionCycleKeys() {
        return evictionCycleKeys.reading();
    }

    HistogramReading evictionCycleSeconds() {
        return evictionCycleTime.reading();
    }

    long scriptThreadMoves() {
        return scriptThreadMoves.get();
    }
}
