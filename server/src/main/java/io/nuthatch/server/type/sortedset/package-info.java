/**
 * Sorted sets: {@link io.nuthatch.server.type.sortedset.SortedSet}, the value ZADD and its family
 * work on, with the two encodings Redis 7.0 has, and the ranges its commands ask for
 * ({@link io.nuthatch.server.type.sortedset.ScoreRange}, {@link io.nuthatch.server.type.sortedset.LexRange}).
 *
 * <p>What it owns: the order of elements (score, then member bytes), the listpack encoding of
 * small sets and the skiplist with spans plus member table of large ones, the conversion between
 * them at the limits the caller passes, ranks, ranges, pops, random draws, the ZSCAN cursor, and
 * each set's memory figure. The geo commands use it unchanged: a geo set is a sorted set whose
 * scores are geohashes.
 *
 * <p>What it must never do: know of RESP, commands, the configuration or the keyspace. Replies are
 * written by the command families through {@link io.nuthatch.server.type.sortedset.ElementVisitor};
 * the listpack limits come in as arguments. A set must be changed only between the keyspace's
 * writable accessor and its change signal (see {@code io.nuthatch.server.keyspace}).
 */
package io.nuthatch.server.type.sortedset;
