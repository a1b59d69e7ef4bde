/**
 * Transactions: each client's MULTI state and queue ({@link io.nuthatch.server.transaction.Transaction})
 * and the registry of watched keys ({@link io.nuthatch.server.transaction.WatchedKeys}), which hears
 * of every change through the engine's keyspace hooks (a command's change, an expiry, FLUSHDB,
 * FLUSHALL, SWAPDB) and marks the watching clients, by Redis 7.0.15's rules.
 *
 * <p>This package owns that state only. It must never run commands or write replies (the command
 * family {@code command.transaction} does), and the hooks it serves run on every write: with no
 * key watched they cost one emptiness check, and with keys watched they allocate nothing for a
 * key nobody watches.
 */
package io.nuthatch.server.transaction;
