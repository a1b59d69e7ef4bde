/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK ...): the per-key queues of
 * waiters, the keys that became ready, and the serving of those keys once the outermost execution
 * unit has ended ({@link io.nuthatch.server.blocking.BlockingKeys}, whose class comment is the
 * API the blocking commands of every type use); the timeout argument those commands share
 * ({@link io.nuthatch.server.blocking.BlockingTimeout}); what a blocked command leaves behind to be
 * finished later ({@link io.nuthatch.server.blocking.KeyWaiter}) and what it sees when served
 * ({@link io.nuthatch.server.blocking.ServedKey}).
 *
 * <p>The parking itself (no thread held, the reply written on the client's own thread, timeouts,
 * CLIENT UNBLOCK, disconnection) is {@link io.nuthatch.server.client.BlockedClient}'s; this
 * package decides who is served, when, and in which order.
 *
 * <p>What it must never do: serve a waiter while an execution unit is open (a transaction's or a
 * script's writes would be seen half made, and the served pop would be propagated inside their
 * unit), write into another client's reply buffer (the reply is handed to the client's own thread),
 * or know what a type's waiter does with its key: the types' command families do that.
 */
package io.nuthatch.server.blocking;
