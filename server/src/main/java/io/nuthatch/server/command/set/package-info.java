/**
 * The set commands: SADD, SREM, SISMEMBER, SMISMEMBER, SCARD, SMEMBERS, SMOVE, SSCAN
 * ({@code SetCommands}), SPOP and SRANDMEMBER ({@code SetRandomCommands}), and the set algebra
 * SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE
 * ({@code SetAlgebraCommands}).
 *
 * <p>What it owns: parsing, the order of Redis 7.0's checks, the replies (set replies in RESP3
 * where Redis sends them, arrays where it does not: SRANDMEMBER), Redis 7.0's algorithms where they
 * decide the order of a reply (an intersection in the order of its smallest set, unions and
 * differences built as a new set that starts as an intset), and propagation (SPOP as SREM of the
 * members popped, or DEL of a set popped whole). The set itself, intset or hash table and the
 * switch at set-max-intset-entries, is {@link io.nuthatch.server.type.SetValue}.
 *
 * <p>What it must never do: change a set outside the database's change bracket
 * ({@code writableValue} ... {@code changed}), leave an empty set under a key, or keep a position
 * past a change (a removal moves other members of a hash table). A command that opened a set and
 * changed nothing (SADD of members already there) does not call {@code changed}.
 */
package io.nuthatch.server.command.set;
