/**
 * The stream type: entries with IDs, packed into nodes as Redis packs them
 * ({@link io.nuthatch.server.type.stream.StreamValue}, {@link io.nuthatch.server.type.stream.StreamNode}),
 * the walk over a range of them ({@link io.nuthatch.server.type.stream.EntryCursor}), and consumer
 * groups with their consumers and pending entries.
 *
 * <p>What it owns: the layout of entries, the rules that decide when a node is full (those of
 * Redis 7.0, so that approximate trimming removes the same entries), trimming and deletion with
 * Redis's tombstones, the counters Redis 7.0 keeps for consumer-group lag (entries added, the
 * largest deleted ID, the first entry), and the memory estimate of all of it, kept current on
 * every change. IDs are pairs of unsigned {@code long}s, never objects on the path of a command.
 *
 * <p>What it must never do: know of RESP, requests or commands (fields to add come through
 * {@link io.nuthatch.server.type.stream.EntryFields}); change except through the keyspace's
 * writable accessor (see {@code io.nuthatch.server.keyspace}); or read the clock: times
 * (consumers seen, deliveries) are given by the caller, the command's time.
 */
package io.nuthatch.server.type.stream;
