package io.nuthatch.server.info;

import io.nuthatch.server.info.InstantaneousMetrics.Metric;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statistics behind INFO stats: instantaneous rates, the expiry cycle's averages, resets. */
class StatsSamplingTest {
    @Test
    void instantaneousFigureIsTheMeanOfSixteenSamples() throws InterruptedException {
        InstantaneousMetrics metrics = new InstantaneousMetrics();
        long commands = 0;
        long started = System.nanoTime();
        for (int i = 0; i < InstantaneousMetrics.SAMPLES; i++) {
            Thread.sleep(20);
            commands += 1000;
            metrics.sample(commands, commands * 10, 0, commands / 10, commands);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long expected = (long) (commands / seconds);
        long rate = metrics.value(Metric.COMMANDS);
        // Each sample divides by its own elapsed time; their mean is the overall rate, give or take.
        assertTrue(rate > expected / 2 && rate <= expected * 2, "rate " + rate + ", expected about " + expected);
        assertTrue(metrics.value(Metric.NET_INPUT) > rate * 5);
        assertEquals(0, metrics.value(Metric.NET_OUTPUT));
        // 1000 µs over 100 cycles per sample: 10 µs a cycle.
        assertEquals(10, metrics.value(Metric.EVENT_LOOP_DURATION));
    }

    @Test
    void fewSamplesReadLowAsInRedis() throws InterruptedException {
        InstantaneousMetrics metrics = new InstantaneousMetrics();
        Thread.sleep(20);
        metrics.sample(1600, 0, 0, 0, 0);
        long oneSample = metrics.value(Metric.COMMANDS);
        assertTrue(oneSample > 0);
        Thread.sleep(20);
        metrics.sample(3200, 0, 0, 0, 0);
        assertTrue(metrics.value(Metric.COMMANDS) > oneSample, "a second sample adds its sixteenth");
        metrics.reset();
        assertEquals(0, metrics.value(Metric.COMMANDS));
    }

    @Test
    void expiredStaleShareIsAMovingAverage() {
        ServerStats stats = new ServerStats();
        stats.expiryCycleRan(20, 20, false, 1_000_000);
        assertEquals(0.05, stats.expiredStaleShare, 1e-12);
        stats.expiryCycleRan(20, 10, true, 2_000_000);
        assertEquals(0.5 * 0.05 + 0.05 * 0.95, stats.expiredStaleShare, 1e-12);
        stats.expiryCycleRan(0, 0, false, 0);
        assertEquals((0.5 * 0.05 + 0.05 * 0.95) * 0.95, stats.expiredStaleShare, 1e-12);
        assertEquals(1, stats.expiredTimeCapReached);
        assertEquals(3_000_000, stats.expireCycleNanos);
    }

    @Test
    void resetClearsEveryCounter() {
        ServerStats stats = new ServerStats();
        stats.readProcessed(1000);
        stats.writesProcessed.increment();
        stats.queryBufferLimitDisconnections.increment();
        stats.aclDeniedAuth = 3;
        stats.expiryCycleRan(10, 5, true, 100);
        stats.errorReplied("ERR x".getBytes());
        stats.reset();
        assertEquals(0, stats.readsProcessed.sum());
        assertEquals(0, stats.readBatchNanos.sum());
        assertEquals(0, stats.writesProcessed.sum());
        assertEquals(0, stats.queryBufferLimitDisconnections.sum());
        assertEquals(0, stats.aclDeniedAuth);
        assertEquals(0, stats.expiredStaleShare);
        assertEquals(0, stats.expiredTimeCapReached);
        assertEquals(0, stats.expireCycleNanos);
        assertTrue(stats.errorCounts().isEmpty());
    }

    @Test
    void commandStatsResetForgetsTheHistogram() {
        CommandStats stats = new CommandStats();
        stats.called(3, true);
        stats.recordLatency(3_000);
        assertEquals(1, stats.latencies().totalCount());
        stats.reset();
        assertEquals(null, stats.latencies());
        assertEquals(0, stats.failedCalls());
    }
}
