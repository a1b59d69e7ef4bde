/**
 * The list commands: {@link io.nuthatch.server.command.list.ListCommands} (pushes, pops, reads and
 * changes of one list), {@link io.nuthatch.server.command.list.ListMoveCommands} (RPOPLPUSH, LMOVE,
 * LMPOP) and {@link io.nuthatch.server.command.list.BlockingListCommands} (BLPOP, BRPOP, BLMPOP,
 * BRPOPLPUSH, BLMOVE and their waiters). They parse arguments, check types, change lists through
 * {@link io.nuthatch.server.type.ListValue} between the database's {@code writableValue} and
 * {@code changed}, delete a key whose list they emptied, and write the replies.
 *
 * <p>What they must never do: keep a list, an element's array or a request argument past the
 * command (a waiter copies what its later reply shows), or create an empty list.
 */
package io.nuthatch.server.command.list;
