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
    public List<MetricFamily> serverMetrics() {
        return List.of(new MetricFamily("nuthatch_test_figure", MetricType.GAUGE, "A figure of the test").add(5));
    }
}
