/**
 * The stream commands: entries (XADD, XRANGE, XDEL, XTRIM ...), reads that may wait (XREAD,
 * XREADGROUP), consumer groups (XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM) and XINFO.
 *
 * <p>What it owns: parsing with Redis 7.0's rules and error texts (stream IDs in
 * {@link io.nuthatch.server.command.stream.StreamIdArguments}, trimming options in
 * {@link io.nuthatch.server.command.stream.TrimOptions}), the replies, what each command
 * propagates in place of itself (XADD's generated ID, XREADGROUP and the claims as XCLAIM and
 * XGROUP SETID records, as Redis 7.0 writes them to its append-only file), and the clients
 * waiting for entries.
 *
 * <p>What it must never do: lay entries out or decide node boundaries (that is
 * {@link io.nuthatch.server.type.stream}); change a stream except between the database's
 * writable accessor and {@code changed}; allocate per entry on the path of XADD or a range read.
 * Handlers share reusable parsing state and cursors (static, used by one command at a time under
 * the engine); none keeps them past its return.
 */
package io.nuthatch.server.command.stream;
