package io.nuthatch.exporter;

/**
 * What the server measures of itself that INFO has no field for, read by the exporter through
 * {@link MetricsSource#measurements()} and exported under the names of {@link NuthatchMetricTable}.
 * Each method is safe to call from any thread and returns at once.
 */
public interface ServerMeasurements {

    /** Each fsync(2) of the append-only file, in seconds, failed ones too. */
    HistogramReading aofFsyncSeconds();

    /** Each snapshot written to completion (SAVE, BGSAVE, an AOF rewrite, the final one), in seconds. */
    HistogramReading snapshotSeconds();

    /** Each eviction cycle (a pass that found memory over maxmemory): the keys it evicted. */
    HistogramReading evictionCycleKeys();

    /** Each eviction cycle: how long it held the engine, in seconds. */
    HistogramReading evictionCycleSeconds();

    /** Scripts that ran past their inline slice (or were about to write) and moved to the script thread. */
    long scriptThreadMoves();

    /** How long the last reading of INFO for a scrape took, in seconds: the engine held, and any wait for it. */
    double infoSnapshotSeconds();

    /** How long the cron's last step of the clients walk took, in seconds. */
    double clientsWalkSeconds();
}
