package io.nuthatch.exporter;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Nuthatch's own metrics, beside redis_exporter's (see {@link InfoMetricTable}) and the JVM's:
 * the table of their names, types and what each measures; README's "Monitoring" lists the same.
 * Names follow Prometheus's conventions: the nuthatch_ prefix, the unit in the name, counters end
 * in _total, histograms export _bucket, _sum and _count.
 */
public enum NuthatchMetricTable {
    AOF_FSYNC_SECONDS("nuthatch_aof_fsync_seconds", MetricType.HISTOGRAM,
            "Time of each fsync of the append-only file, in seconds", ServerMeasurements::aofFsyncSeconds),
    SNAPSHOT_DURATION_SECONDS("nuthatch_snapshot_duration_seconds", MetricType.HISTOGRAM,
            "Time to write each snapshot (SAVE, BGSAVE, AOF rewrite), in seconds", ServerMeasurements::snapshotSeconds),
    EVICTION_CYCLE_KEYS("nuthatch_eviction_cycle_keys", MetricType.HISTOGRAM,
            "Keys evicted by each eviction cycle; _count is the number of cycles", ServerMeasurements::evictionCycleKeys),
    EVICTION_CYCLE_SECONDS("nuthatch_eviction_cycle_seconds", MetricType.HISTOGRAM,
            "Time each eviction cycle held the engine, in seconds", ServerMeasurements::evictionCycleSeconds),
    SCRIPT_THREAD_MOVES_TOTAL("nuthatch_script_thread_moves_total", MetricType.COUNTER,
            "Scripts moved from their caller's thread to the script thread", m -> (double) m.scriptThreadMoves()),
    SCRAPE_INFO_SNAPSHOT_SECONDS("nuthatch_scrape_info_snapshot_seconds", MetricType.GAUGE,
            "How long this scrape's reading of INFO took: the time it held the engine, and any wait for it",
            ServerMeasurements::infoSnapshotSeconds),
    CLIENTS_WALK_SECONDS("nuthatch_clients_walk_seconds", MetricType.GAUGE,
            "How long the cron's last step of the clients walk held the engine, in seconds",
            ServerMeasurements::clientsWalkSeconds);

    private final String metric;
    private final MetricType type;
    private final String help;
    private final Function<ServerMeasurements, Object> reading;

    NuthatchMetricTable(String metric, MetricType type, String help, Function<ServerMeasurements, Object> reading) {
        this.metric = metric;
        this.type = type;
        this.help = help;
        this.reading = reading;
    }

    public String metric() {
        return metric;
    }

    public MetricType type() {
        return type;
    }

    /** The families of one reading of the measurements, in the table's order. */
    static List<MetricFamily> families(ServerMeasurements measurements) {
        List<MetricFamily> families = new ArrayList<>();
        for (NuthatchMetricTable row : values()) {
            MetricFamily family = new MetricFamily(row.metric, row.type, row.help);
            Object value = row.reading.apply(measurements);
            if (value instanceof HistogramReading histogram) {
                addHistogram(family, histogram);
            } else {
                family.add(((Number) value).doubleValue());
            }
            families.add(family);
        }
        return families;
    }

    private static void addHistogram(MetricFamily family, HistogramReading histogram) {
        long cumulative = 0;
        for (int i = 0; i < histogram.upperBounds().length; i++) {
            cumulative += histogram.bucketCounts()[i];
            family.add("_bucket", cumulative, "le", bound(histogram.upperBounds()[i]));
        }
        cumulative += histogram.bucketCounts()[histogram.upperBounds().length];
        family.add("_bucket", cumulative, "le", "+Inf");
        family.add("_sum", histogram.sum());
        family.add("_count", cumulative);
    }

    /**
     * A bucket bound as client libraries write it ("0.0005", "1.0"): OpenMetrics wants one spelling
     * per bound, and a bound written as "1" by one exposition and "1.0" by another is two series.
     */
    static String bound(double upperBound) {
        String plain = BigDecimal.valueOf(upperBound).stripTrailingZeros().toPlainString();
        return plain.indexOf('.') < 0 ? plain + ".0" : plain;
    }
}
