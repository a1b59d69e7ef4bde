/**
 * The Prometheus exporter (HTTP on port 9121: /metrics with redis_exporter's metric names, /health,
 * /ready).
 *
 * <p>Its HTTP side is the subject of a later issue. It reads the server only through
 * {@link io.nuthatch.exporter.MetricsSource}, which the server implements, never its internals:
 * this module does not depend on the server module.
 */
package io.nuthatch.exporter;
