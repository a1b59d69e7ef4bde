/**
 * Introspection: the slow log, the latency monitor (with LATENCY GRAPH's and DOCTOR's texts,
 * {@link io.nuthatch.server.introspection.LatencyReport}) and MONITOR's feed, and the server's side
 * of the Prometheus exporter ({@link io.nuthatch.server.introspection.ServerMetricsSource}, and
 * {@link io.nuthatch.server.introspection.SelfMeasurements}, where persistence, eviction and
 * scripting report what the nuthatch_* families count).
 *
 * <p>It owns what it records; the dispatcher tells it about each command with one call, which must
 * stay allocation-free for a command that is not recorded. It never changes the keyspace, and the
 * exporter's thread reads it only through the engine's gate or through volatile figures.
 */
package io.nuthatch.server.introspection;
