package io.nuthatch.exporter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A MetricsSource whose figures a test sets. */
final class FakeSource implements MetricsSource {
    final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    int databases = 16;
    SlowlogFigures slowlog = new SlowlogFigures(0, 0, 0);
    List<LatencySpike> spikes = List.of();
    boolean responsive = true;
    boolean shuttingDown;
    FakeMeasurements measurements = new FakeMeasurements();

    /** Measurements a test sets; histograms of two buckets (and +Inf), empty at first. */
    static final class FakeMeasurements implements ServerMeasurements {
        HistogramReading fsync = new HistogramReading(new double[] {0.001, 1}, new long[] {0, 0, 0}, 0);
        long scriptMoves;
        double infoSnapshotSeconds = 0.0005;

        @Override
        public HistogramReading aofFsyncSeconds() {
            return fsync;
        }

        @Override
        public HistogramReading snapshotSeconds() {
            return new HistogramReading(new double[] {1}, new long[] {0, 0}, 0);
        }

        @Override
        public HistogramReading evictionCycleKeys() {
            return new HistogramReading(new double[] {1}, new long[] {0, 0}, 0);
        }

        @Override
        public HistogramReading evictionCycleSeconds() {
            return new HistogramReading(new double[] {1}, new long[] {0, 0}, 0);
        }

        @Override
        public long scriptThreadMoves() {
            return scriptMoves;
        }

        @Override
        public double infoSnapshotSeconds() {
            return infoSnapshotSeconds;
        }

        @Override
        public double clientsWalkSeconds() {
            return 0;
        }
    }

    FakeSource field(String section, String name, String value) {
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(name, value);
        return this;
    }

    @Override
    public Map<String, Map<String, String>> infoSections() {
        return sections;
    }

    @Override
    public int databases() {
        return databases;
    }

    @Override
    public SlowlogFigures slowlog() {
        return slowlog;
    }

    @Override
    public List<LatencySpike> latencySpikes() {
        return spikes;
    }

    @Override
    public boolean eventLoopsResponsive(long timeoutMillis) {
        return responsive;
    }

    @Override
    public boolean shuttingDown() {
        return shuttingDown;
    }

    @Override
    public ServerMeasurements measurements() {
        return measurements;
    }
}
