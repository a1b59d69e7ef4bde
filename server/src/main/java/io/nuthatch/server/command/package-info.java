/**
 * Commands: the table that describes them, the dispatcher that runs them, and one file per command
 * family.
 *
 * <p>The table is data. What Redis documents about each command (arity, flags, key positions, ACL
 * categories, key specs, argument structure) is read from a catalog generated from a reference
 * redis-server; a family only adds the handler and its own summary. So COMMAND INFO, the arity
 * check, the write and denyoom checks and key extraction all read the same facts, and they cannot
 * drift from Redis's.
 *
 * <p>A handler parses its arguments, calls the keyspace and the value types, and writes its reply.
 * It validates before it changes anything and throws {@link io.nuthatch.server.command.CommandError}
 * to reply an error: a command either happens entirely or not at all. Handlers never block and
 * never allocate on the common path beyond what they store.
 *
 * <p>This package must not know about sockets or Netty: a client is a
 * {@link io.nuthatch.server.command.ClientSession}, and the network is behind its Transport.
 */
package io.nuthatch.server.command;
