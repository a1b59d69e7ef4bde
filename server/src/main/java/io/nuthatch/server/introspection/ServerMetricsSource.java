package io.nuthatch.server.introspection;

import io.nuthatch.exporter.HistogramReading;
import io.nuthatch.exporter.MetricsSource;
import io.nuthatch.exporter.ServerMeasurements;
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
public final class ServerMetricsSource implements MetricsSource, ServerMeasurements {
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
    public ServerMeasurements measurements() {
        return this;
    }

    @Override
    public HistogramReading aofFsyncSeconds() {
        return engine.introspection().measurements().aofFsyncSeconds();
    }

    @Override
    public HistogramReading snapshotSeconds() {
        return engine.introspection().measurements().snapshotSeconds();
    }

    @Override
    public HistogramReading evictionCycleKeys() {
        return engine.introspection().measurements().evictionCycleKeys();
    }

    @Override
    public HistogramReading evictionCycleSeconds() {
        return engine.introspection().measurements().evictionCycleSeconds();
    }

    @Override
    public long scriptThreadMoves() {
        return engine.introspection().measurements().scriptThreadMoves();
    }

    @Override
    public double infoSnapshotSeconds() {
        return lastSnapshotNanos / 1e9;
    }

    @Override
    public double clientsWalkSeconds() {
        return engine.info().lastClientWalkNanos() / 1e9;
    }
}
