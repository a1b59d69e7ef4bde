/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH, and the dispatcher's two hooks for transactions:
 * queuing a command sent after MULTI, and remembering a refusal so that EXEC aborts.
 *
 * <p>EXEC runs its queue through {@link io.nuthatch.server.command.CommandDispatcher#runInUnit},
 * so every queued command is accounted, timed and propagated as any command is, inside EXEC's
 * execution unit. It must never let a queued command block (blocking is denied for the queue) nor
 * propagate EXEC itself.
 */
package io.nuthatch.server.command.transaction;
