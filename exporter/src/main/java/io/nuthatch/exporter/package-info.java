/**
 * The Prometheus exporter (HTTP on port 9121: /metrics with redis_exporter's metric names, /health,
 * /ready).
 *
 * <p>Not built yet: it is the subject of a later issue. It will read the server only through a
 * narrow interface (the INFO fields and per-command statistics), never its internals.
 */
package io.nuthatch.exporter;
