/**
 * The stream of writes in their deterministic form, in execution order and grouped in execution
 * units, each with a log offset: the seam the append-only log and replication attach to
 * ({@link io.nuthatch.server.propagation.WritePropagation.UnitListener}), and the durability wait
 * that holds replies until the log is durable (appendfsync always).
 *
 * <p>This package owns the unit being built and the offsets. It must never write to disk or block:
 * it runs with the engine held, and a listener that needs time reports durability later through
 * {@link io.nuthatch.server.propagation.WritePropagation#durableThrough}. It knows nothing of
 * connections: they ask to be told when an offset is durable.
 */
package io.nuthatch.server.propagation;
