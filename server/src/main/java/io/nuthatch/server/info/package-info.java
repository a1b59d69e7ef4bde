/**
 * The server's statistics and the INFO report built from them.
 *
 * <p>{@link io.nuthatch.server.info.ServerStats} and {@link io.nuthatch.server.info.CommandStats}
 * hold the counters; the engine, the dispatcher and the network layer bump them where things
 * happen (a command runs, an error is replied, a batch is read or flushed, the expiry cycle runs).
 * {@link io.nuthatch.server.info.InfoReport} turns counters and process figures into Redis 7.0's
 * sections and fields, with its names, order and number formats: INFO prints it, the Prometheus
 * exporter reads it by field name, so a name or format that differs from Redis's is a bug.
 *
 * <p>This package reads the engine; it never changes the keyspace, and it does its reading under
 * the engine lock. Process figures (RSS, CPU) come from /proc, read when INFO asks for them.
 */
package io.nuthatch.server.info;
