/**
 * The execution gate: who holds the engine (short work of any connection, the cron, long work such
 * as a script or a load on a thread of its own) and in which state (free, held, busy, loading), so
 * that no thread serving connections ever waits behind long work. See
 * {@link io.nuthatch.server.gate.ExecutionGate}.
 *
 * <p>This package owns the engine's mutex and the queue of callers waiting for it. It must never
 * run commands, write replies or know of connections, RESP or propagation: the command dispatcher
 * decides what a command may do in each state, the connection keeps its requests while it waits.
 */
package io.nuthatch.server.gate;
