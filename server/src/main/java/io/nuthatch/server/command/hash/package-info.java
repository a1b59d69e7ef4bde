/**
 * The hash commands: HSET, HSETNX, HGET, HMGET, HMSET, HDEL, HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS,
 * HGETALL, HINCRBY, HINCRBYFLOAT ({@code HashCommands}), HRANDFIELD and HSCAN
 * ({@code HashIterationCommands}).
 *
 * <p>What it owns: parsing, the order of Redis 7.0's checks (an argument error before WRONGTYPE
 * where Redis parses first), the replies (HGETALL a map in RESP3, HRANDFIELD WITHVALUES pairs in
 * RESP3), and how each command is propagated (HINCRBYFLOAT as HSET of the stored text). The hash
 * itself, its two layouts and the switch between them at hash-max-listpack-entries and
 * hash-max-listpack-value, is {@link io.nuthatch.server.type.HashValue}.
 *
 * <p>What it must never do: change a hash outside the database's change bracket
 * ({@code writableValue} ... {@code changed}), leave an empty hash under a key, or keep a position
 * or a value's array past the command. A command that opened a hash and then changed nothing
 * (HDEL of absent fields) does not call {@code changed}: nothing was written, so there is nothing
 * to propagate or to tell WATCH, as in Redis.
 */
package io.nuthatch.server.command.hash;
