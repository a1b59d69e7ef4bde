/**
 * The keyspace: numbered databases of keys, their values, expiries, access clocks and memory.
 *
 * <p>What it owns: the hash table of each database ({@code KeyTable}: incremental rehash, the
 * reverse-binary SCAN cursor, random draws), the index of keys with an expiry
 * ({@code ExpiringKeys}), lazy expiry on lookup and the active expiry cycle, the memory estimate,
 * and the glob matching KEYS and SCAN use. Every change to a key goes through {@link
 * io.nuthatch.server.keyspace.Database}, which is what keeps those figures right.
 *
 * <p>What it must never do: know of clients, replies or the network, or block. It runs under the
 * engine lock and tells the rest of the server what happened through
 * {@link io.nuthatch.server.keyspace.KeyspaceHooks} (expired keys to propagate as DEL, changed
 * keys for WATCH and the dirty counter, access clocks for eviction). It deletes expired keys only
 * when a lookup finds them or the cycle samples them, never while a table is being walked
 * (SCAN collects first and expires after; KEYS skips them).
 *
 * <p>Expiry times are absolute Unix milliseconds; a key has expired once the command's time is
 * past its expiry time, as in Redis.
 */
package io.nuthatch.server.keyspace;
