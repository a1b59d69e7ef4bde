package io.nuthatch.exporter;

import java.util.Map;

/**
 * Everything the exporter reads from a server, and the only door into it: INFO's fields, as
 * redis_exporter reads them from INFO ALL. Per-command figures are the commandstats and
 * latencystats sections ({@code cmdstat_get -> calls=...,usec=...}), per-database figures the
 * keyspace section ({@code db0 -> keys=...,expires=...,avg_ttl=...}).
 *
 * <p>The server implements it; the exporter never sees the engine, so it cannot hold a lock or
 * change anything.
 */
public interface MetricsSource {

    /**
     * Every INFO section by lower-case name, each its fields (name to value, as INFO prints
     * them) in INFO's order; read as one consistent view, safe to call from any thread.
     */
    Map<String, Map<String, String>> infoSections();
}
