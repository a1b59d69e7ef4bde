package io.nuthatch.exporter;

import java.util.List;
import java.util.Map;

/**
 * Everything the exporter reads from a server, and the only door into it: INFO's fields, as
 * redis_exporter reads them from INFO ALL. Per-command figures are the commandstats and
 * latencystats sections ({@code cmdstat_get -> calls=...,usec=...}), per-database figures the
 * keyspace section ({@code db0 -> keys=...,expires=...,avg_ttl=...}).
 *
 * <p>Besides INFO, what redis_exporter reads with other commands (SLOWLOG, LATENCY LATEST, CONFIG
 * GET databases) and what only an exporter inside the server can tell (/health, /ready: whether
 * the event loops answer, whether the server is shutting down). Loading and the last persistence
 * errors are read from INFO's persistence section, not from here.
 *
 * <p>The server implements it; the exporter never sees the engine, so it cannot hold a lock or
 * change anything. Every method is safe to call from any thread and never waits on long work.
 */
public interface MetricsSource {

    /** SLOWLOG's figures: its length, the id and duration of its newest entry (0 and 0 when empty). */
    record SlowlogFigures(long length, long lastId, long lastDurationMicros) {
    }

    /** One event of LATENCY LATEST: when its latest spike was (unix seconds) and how long (ms). */
    record LatencySpike(String event, long lastEpochSeconds, long latestMillis) {
    }

    /**
     * Every INFO section by lower-case name, each its fields (name to value, as INFO prints
     * them) in INFO's order; read as one consistent view, safe to call from any thread.
     */
    Map<String, Map<String, String>> infoSections();

    /** The number of databases (CONFIG GET databases): the keyspace families list each, empty or not. */
    int databases();

    SlowlogFigures slowlog();

    /** LATENCY LATEST. */
    List<LatencySpike> latencySpikes();

    /**
     * Whether every event loop ran a task within the timeout: what /health reports. A loop stuck in
     * a command does not answer; a loop waiting for long work (a script, a load) does.
     */
    boolean eventLoopsResponsive(long timeoutMillis);

    /** Whether SHUTDOWN (or a signal) has begun to stop the server: /ready then says no. */
    boolean shuttingDown();

    /**
     * What the server measures of itself (exported as nuthatch_*, after redis_exporter's families):
     * read after {@link #infoSections()} in the same scrape.
     */
    ServerMeasurements measurements();
}
