/**
 * The sorted-set command family: single members (ZADD, ZINCRBY, ZREM, ZSCORE, ZRANK, ZSCAN ...),
 * ranges (ZRANGE in all its forms, ZRANGESTORE, counts and range removals), pops (ZPOPMIN,
 * ZPOPMAX, ZMPOP, ZRANDMEMBER), blocking pops (BZPOPMIN, BZPOPMAX, BZMPOP, on the keyspace's
 * blocking machinery), and set algebra (ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD).
 *
 * <p>It parses arguments in Redis's order of checks, calls {@link
 * io.nuthatch.server.type.sortedset.SortedSet}, and writes replies. A command opens a set for
 * writing only when it knows the set will change, so that a write that changes nothing is neither
 * counted nor propagated; it deletes a key whose set it emptied. What it propagates is what
 * redis-server 7.0 writes to its AOF (tests compare the two).
 *
 * <p>It must never keep a set, a member array or an argument past the command (the next change may
 * move them), and never allocate on the common paths of ZADD, ZSCORE, ZRANGE by rank and the pops
 * beyond what is stored: range replies go through a per-thread {@code ElementReply}.
 */
package io.nuthatch.server.command.zset;
