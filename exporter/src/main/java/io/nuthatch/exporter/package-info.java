/**
 * The Prometheus exporter built into the server: HTTP on exporter-port (9121), /metrics with
 * redis_exporter's metric names, types and labels for the same INFO (the table of names is
 * {@link io.nuthatch.exporter.InfoMetricTable}, the contract dashboards and alert rules rely on),
 * then Nuthatch's own nuthatch_* families (their table is
 * {@link io.nuthatch.exporter.NuthatchMetricTable}, read through
 * {@link io.nuthatch.exporter.ServerMeasurements}), followed by the JVM's metrics from
 * simpleclient_hotspot; /health and /ready for the chart's probes.
 *
 * <p>It reads the server only through {@link io.nuthatch.exporter.MetricsSource}, which the server
 * implements, never its internals: this module does not depend on the server module, and it must
 * never change anything in the server or hold anything of it between scrapes. It serves on a
 * thread of its own, never on an event loop.
 */
package io.nuthatch.exporter;
