/**
 * The stream of writes in their deterministic form, in execution order: the seam the append-only
 * log and replication attach to.
 */
package io.nuthatch.server.propagation;
