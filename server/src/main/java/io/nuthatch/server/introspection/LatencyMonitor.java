package io.nuthatch.server.introspection;

import io.nuthatch.exporter.MetricsSource.LatencySpike;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency monitor: for each event (command, fast-command, expire-cycle, eviction-*, aof-*)
 * that took at least latency-monitor-threshold milliseconds, the last 160 samples, one per second
 * (a second's worse samples keep its highest), and the highest ever, as Redis's latency.c keeps
 * them. Events are recorded by whoever measured them, with {@link #record}; the persistence and
 * eviction code record their events here too.
 *
 * <p>Written under the engine; {@link #latest()} is also read by the exporter's thread, so the
 * table is guarded by this object's monitor (a sample is recorded only past the threshold, rarely).
 */
public final class LatencyMonitor {
    /** Redis's LATENCY_TS_LEN. */
    static final int SAMPLES = 160;

    /** One sample: a unix second and the highest latency (ms) of that second. */
    public record Sample(long unixSeconds, long millis) {
    }

    /** The samples of one event: a ring of {@link #SAMPLES}, and the highest latency since reset. */
    private static final class Series {
        final long[] times = new long[SAMPLES];
        final long[] latencies = new long[SAMPLES];
        int next;
        long max;
    }

    private final Map<String, Series> events = new LinkedHashMap<>();

    /** Records a latency of an event when the threshold (0: monitor off) asks for it. */
    public void recordIfNeeded(String event, long millis, long thresholdMillis) {
        if (thresholdMillis > 0 && millis >= thresholdMillis) {
            record(event, millis, System.currentTimeMillis() / 1000);
        }
    }

    synchronized void record(String event, long millis, long unixSeconds) {
        Series series = events.computeIfAbsent(event, e -> new Series());
        series.max = Math.max(series.max, millis);
        int previous = (series.next + SAMPLES - 1) % SAMPLES;
        if (series.times[previous] == unixSeconds) {
            series.latencies[previous] = Math.max(series.latencies[previous], millis);
            return;
        }
        series.times[series.next] = unixSeconds;
        series.latencies[series.next] = millis;
        series.next = (series.next + 1) % SAMPLES;
    }

    /** LATENCY LATEST: for each event, its latest sample and its highest latency. */
    public synchronized List<LatencySpike> latest() {
        List<LatencySpike> latest = new ArrayList<>();
        for (Map.Entry<String, Series> event : events.entrySet()) {
            Series series = event.getValue();
            int last = (series.next + SAMPLES - 1) % SAMPLES;
            latest.add(new LatencySpike(event.getKey(), series.times[last], series.latencies[last]));
        }
        return latest;
    }

    /** The events with samples, in the order of their first sample. */
    public synchronized List<String> events() {
        return new ArrayList<>(events.keySet());
    }

    /** The highest latency of an event since it was reset, or -1 for an event without samples. */
    public synchronized long max(String event) {
        Series series = events.get(event);
        return series == null ? -1 : series.max;
    }

    /** LATENCY HISTORY: the samples of an event, oldest first (empty for an unknown event). */
    public synchronized List<Sample> history(String event) {
        Series series = events.get(event);
        List<Sample> samples = new ArrayList<>();
        if (series != null) {
            for (int i = 0; i < SAMPLES; i++) {
                int at = (series.next + i) % SAMPLES;
                if (series.times[at] != 0) {
                    samples.add(new Sample(series.times[at], series.latencies[at]));
                }
            }
        }
        return samples;
    }

    /** LATENCY RESET: forgets the events named, or all; the number of events forgotten. */
    public synchronized int reset(List<String> names) {
        if (names.isEmpty()) {
            int count = events.size();
            events.clear();
            return count;
        }
        int count = 0;
        for (String name : names) {
            if (events.remove(name) != null) {
                count++;
            }
        }
        return count;
    }
}
