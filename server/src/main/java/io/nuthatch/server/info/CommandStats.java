package io.nuthatch.server.info;

/**
 * Counters of one command, as INFO commandstats shows them. Updated under the engine lock by the
 * thread that runs the command.
 */
public final class CommandStats {
    private long calls;
    private long microseconds;
    private long rejectedCalls;
    private long failedCalls;
    /** Created on the first call recorded with latency tracking on (INFO latencystats lists those). */
    private LatencyHistogram latencies;

    /** Counts a call that ran, with its duration. */
    public void called(long durationMicros, boolean failed) {
        calls++;
        microseconds += durationMicros;
        if (failed) {
            failedCalls++;
        }
    }

    /** Records the duration of a call that ran, when latency-tracking is on. */
    public void recordLatency(long durationNanos) {
        if (latencies == null) {
            latencies = new LatencyHistogram();
        }
        latencies.record(durationNanos);
    }

    /** The latency histogram, or null when no call was recorded since the last reset. */
    public LatencyHistogram latencies() {
        return latencies;
    }

    /** Counts a call refused before it ran (arity, NOAUTH, OOM...). */
    public void rejected() {
        rejectedCalls++;
    }

    public long calls() {
        return calls;
    }

    public long microseconds() {
        return microseconds;
    }

    public long rejectedCalls() {
        return rejectedCalls;
    }

    public long failedCalls() {
        return failedCalls;
    }

    /** Whether the command shows up in INFO commandstats (Redis lists commands with any activity). */
    public boolean hasActivity() {
        return calls > 0 || rejectedCalls > 0 || failedCalls > 0;
    }

    public void reset() {
        calls = 0;
        microseconds = 0;
        rejectedCalls = 0;
        failedCalls = 0;
        latencies = null;
    }
}
