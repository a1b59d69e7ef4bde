package io.nuthatch.server.info;

import java.util.Arrays;

/**
 * The "instantaneous" figures of INFO stats (ops per second, kbps, event loop cycles), as Redis
 * computes them: the cron samples the growth rate of each counter about every 100 ms into a ring of
 * 16 samples, and the figure is the sum of the ring divided by 16 — so it covers the last 1.6 s,
 * and it reads low during the first 1.6 s after a start or a reset, as Redis's does.
 *
 * <p>Sampled and read under the engine lock.
 */
public final class InstantaneousMetrics {
    /** The sampled figures. */
    public enum Metric {
        /** Commands per second. */
        COMMANDS,
        /** Bytes read per second. */
        NET_INPUT,
        /** Bytes written per second. */
        NET_OUTPUT,
        /** Read batches per second. */
        EVENT_LOOP_CYCLES,
        /** Microseconds per read batch (a ratio of two counters, not a rate). */
        EVENT_LOOP_DURATION
    }

    /** Redis's STATS_METRIC_SAMPLES. */
    static final int SAMPLES = 16;
    /** Redis samples with run_with_period(100). */
    public static final long PERIOD_MILLIS = 100;

    private final long[][] samples = new long[Metric.values().length][SAMPLES];
    private final long[] lastReadings = new long[Metric.values().length];
    private long lastCycles;
    private long lastSampleMillis = monotonicMillis();
    private int next;

    /**
     * Takes one sample of every metric from the counters' current values.
     *
     * @param cycleMicros total time spent in read batches, for the duration per cycle
     */
    public void sample(long commands, long netInput, long netOutput, long cycles, long cycleMicros) {
        long now = monotonicMillis();
        long elapsed = now - lastSampleMillis;
        rate(Metric.COMMANDS, commands, elapsed);
        rate(Metric.NET_INPUT, netInput, elapsed);
        rate(Metric.NET_OUTPUT, netOutput, elapsed);
        rate(Metric.EVENT_LOOP_CYCLES, cycles, elapsed);
        int duration = Metric.EVENT_LOOP_DURATION.ordinal();
        long cyclesSince = cycles - lastCycles;
        samples[duration][next] = cyclesSince > 0 ? (cycleMicros - lastReadings[duration]) / cyclesSince : 0;
        lastReadings[duration] = cycleMicros;
        lastCycles = cycles;
        lastSampleMillis = now;
        next = (next + 1) % SAMPLES;
    }

    private void rate(Metric metric, long reading, long elapsedMillis) {
        int m = metric.ordinal();
        samples[m][next] = elapsedMillis > 0 ? (reading - lastReadings[m]) * 1000 / elapsedMillis : 0;
        lastReadings[m] = reading;
    }

    /** The mean of the ring of samples. */
    public long value(Metric metric) {
        long sum = 0;
        for (long sample : samples[metric.ordinal()]) {
            sum += sample;
        }
        return sum / SAMPLES;
    }

    /** Forgets all samples (CONFIG RESETSTAT); the counters are reset with it. */
    public void reset() {
        for (long[] ring : samples) {
            Arrays.fill(ring, 0);
        }
        Arrays.fill(lastReadings, 0);
        lastCycles = 0;
        lastSampleMillis = monotonicMillis();
        next = 0;
    }

    private static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }
}
