package io.nuthatch.server.introspection;

import io.nuthatch.exporter.MetricFamily;
import io.nuthatch.exporter.MetricType;
import io.nuthatch.exporter.MetricsSource;
import io.nuthatch.server.Engine;
import io.nuthatch.server.network.NetworkServer;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The server as the exporter sees it. INFO comes from {@link io.nuthatch.server.info.InfoReport#snapshot},
 * which takes the engine for as long as reading the figures takes and answers the last snapshot
 * rather than wait behind long work; the slow log's figures are volatile copies.
 */
public final class ServerMetricsSource implements MetricsSource {
    private final Engine engine;
    private final NetworkServer network;
    private final BooleanSupplier stopping;
    /** How long the last INFO snapshot took, the engine held for most of it. */
    private volatile long lastSnapshotNanos;

    public ServerMetricsSource(Engine engine, NetworkServer network, BooleanSupplier stopping) {
        this.engine = engine;
        this.network = network;
        this.stopping = stopping;
    }

    @Override
    public Map<String, Map<String, String>> infoSections() {
        long started = System.nanoTime();
        Map<String, Map<String, String>> sections = engine.info().snapshot();
        lastSnapshotNanos = System.nanoTime() - started;
        return sections;
    }

    @Override
    public int databases() {
        return engine.config().databases.intValue();
    }

    @Override
    public SlowlogFigures slowlog() {
        return engine.introspection().slowLog().figures();
    }

    @Override
    public List<LatencySpike> latencySpikes() {
        return engine.introspection().latencyMonitor().latest();
    }

    @Override
    public boolean eventLoopsResponsive(long timeoutMillis) {
        return network.eventLoopsRespond(timeoutMillis);
    }

    @Override
    public boolean shuttingDown() {
        return stopping.getAsBoolean();
    }

    @Override
    public List<MetricFamily> serverMetrics() {
        return List.of(new MetricFamily("nuthatch_scrape_info_snapshot_seconds", MetricType.GAUGE,
                "How long this scrape's reading of INFO took: the time it held the engine, and any wait for it")
                .add(lastSnapshotNanos / 1e9));
    }
}
