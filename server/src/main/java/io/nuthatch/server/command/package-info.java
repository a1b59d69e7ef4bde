/**
 * The command core: the table that describes every command, the dispatcher that runs them, the
 * context a handler works with, the errors it replies, and key extraction. The command families
 * live in the subpackages, one per group of commands: {@code string}, {@code key}, {@code server}
 * (connection, client, configuration, introspection), and one per data type as they come.
 *
 * <p>The table is data. What Redis documents about each command (arity, flags, key positions, ACL
 * categories, key specs, argument structure) is read from a catalog generated from a reference
 * redis-server ({@code command-catalog.json}, by {@code server/tools/generate_command_catalog.py});
 * a family only adds the handler and its own summary. So COMMAND INFO, the arity check, the write
 * and denyoom checks and key extraction all read the same facts, and they cannot drift from
 * Redis's.
 *
 * <p>A handler parses its arguments, calls the keyspace and the value types, and writes its reply.
 * It validates before it changes anything and throws {@link io.nuthatch.server.command.CommandError}
 * to reply an error: a command either happens entirely or not at all. Handlers never block and
 * never allocate on the common path beyond what they store.
 *
 * <p>This package must not know about sockets or Netty: a client is a
 * {@link io.nuthatch.server.client.ClientSession}, and the network is behind its Transport. Nor
 * does it know any command family: families register themselves into the table
 * ({@link io.nuthatch.server.StandardCommands} lists them).
 */
package io.nuthatch.server.command;
