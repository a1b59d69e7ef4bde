package io.nuthatch.server.command.list;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.blocking.BlockingTimeout;
import io.nuthatch.server.blocking.KeyWaiter;
import io.nuthatch.server.blocking.ServedKey;
import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.ListValue;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.ValueType;

/**
 * The blocking list commands: BLPOP, BRPOP, BLMPOP, BRPOPLPUSH and BLMOVE. Each first does what its
 * non-blocking form does when a key has elements; otherwise it parks the client on its keys (see
 * {@link io.nuthatch.server.blocking.BlockingKeys}) with a waiter that finishes the command when a
 * list appears: {@link PopWaiter} pops, {@link MoveWaiter} moves. Inside MULTI or a script they do
 * not block and reply as a timeout would.
 *
 * <p>What they propagate is what Redis 7.0.15 writes to its AOF, whether they ran at once or were
 * served later: BLPOP and BRPOP as {@code LPOP key} and {@code RPOP key}, BLMPOP as {@code LPOP key
 * n} (n the number popped), BRPOPLPUSH as {@code RPOPLPUSH source destination}, BLMOVE as
 * {@code LMOVE source destination} with the sides as given when it ran at once, or as
 * {@code left}/{@code right} when it was served.
 *
 * <p>A wait that ends without data replies a null array, BRPOPLPUSH and BLMOVE included (RESP2's
 * {@code *-1}), while inside MULTI those two reply a null bulk: Redis 7.0 answers both ways.
 *
 * <p>A served BLMOVE whose destination holds another type by then gets WRONGTYPE, and its element
 * stays in the source, as in Redis.
 */
public final class BlockingListCommands {
    private static final byte[] RPOPLPUSH = CommandContext.keyword("RPOPLPUSH");
    private static final byte[] LMOVE = CommandContext.keyword("LMOVE");
    private static final byte[] LEFT_WORD = "left".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] RIGHT_WORD = "right".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private BlockingListCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("blpop", "Pops the first element of the first non-empty list among several keys, or waits"
                + " for one.", "O(N) where N is the number of keys given", BlockingListCommands::blpop);
        table.command("brpop", "Pops the last element of the first non-empty list among several keys, or waits"
                + " for one.", "O(N) where N is the number of keys given", BlockingListCommands::brpop);
        table.command("blmpop", "Pops elements from the first non-empty list among several keys, or waits for one.",
                "O(N+M) where N is the number of keys given and M the number of elements returned",
                BlockingListCommands::blmpop);
        table.command("brpoplpush", "Moves the last element of a list to the head of another, waiting for one"
                + " if the list is empty.", "O(1)", BlockingListCommands::brpoplpush);
        table.command("blmove", "Moves an element from one end of a list to one end of another, waiting for one"
                + " if the list is empty.", "O(1)", BlockingListCommands::blmove);
    }

    // ---------------------------------------------------------------- BLPOP, BRPOP

    static void blpop(CommandContext c) {
        blockingPop(c, true);
    }

    static void brpop(CommandContext c) {
        blockingPop(c, false);
    }

    /** BLPOP and BRPOP key [key ...] timeout: [key, element] from the first key holding a list. */
    private static void blockingPop(CommandContext c, boolean head) {
        int timeoutIndex = c.argumentCount() - 1;
        long timeout = BlockingTimeout.seconds(c, timeoutIndex);
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        for (int i = 1; i < timeoutIndex; i++) {
            KeyEntry entry = database.lookupWrite(arguments, i);
            if (entry == null) {
                continue;
            }
            ListValue list = ListCommands.list(entry);
            c.reply().arrayHeader(2);
            c.reply().bulk(arguments.array(i), arguments.offset(i), arguments.length(i));
            ListCommands.replyElement(c.reply(), list, ListCommands.end(list, head));
            database.writableValue(entry);
            ListCommands.removeEnd(list, head);
            ListCommands.closeChange(database, entry, list);
            ListCommands.notifyChange(c, head ? EventNames.LPOP : EventNames.RPOP, i, list);
            if (c.isPropagating()) {
                c.rewrite().word(head ? ListMoveCommands.LPOP : ListMoveCommands.RPOP).argument(i).end();
            }
            return;
        }
        if (!c.mayBlock()) {
            c.reply().nullArray();
            return;
        }
        c.blockOnKeys(1, timeoutIndex - 1, timeout, new PopWaiter(head, -1));
    }

    // ---------------------------------------------------------------- BLMPOP

    /** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
    static void blmpop(CommandContext c) {
        int keys = ListMoveCommands.multiPopKeys(c, 2);
        boolean head = ListMoveCommands.multiPopHead(c, 2, keys);
        long count = ListMoveCommands.multiPopCount(c, 2, keys);
        long timeout = BlockingTimeout.seconds(c, 1);
        if (ListMoveCommands.popFirstNonEmpty(c, 3, keys, head, count)) {
            return;
        }
        if (!c.mayBlock()) {
            c.reply().nullArray();
            return;
        }
        c.blockOnKeys(3, keys, timeout, new PopWaiter(head, count));
    }

    /**
     * A client blocked in BLPOP, BRPOP (count -1: one element, replied as [key, element]) or BLMPOP
     * (up to count elements, replied as [key, [elements]]).
     */
    private static final class PopWaiter implements KeyWaiter {
        private final boolean head;
        private final long count;

        PopWaiter(boolean head, long count) {
            this.head = head;
            this.count = count;
        }

        @Override
        public ValueType awaitedType() {
            return ValueType.LIST;
        }

        @Override
        public BlockedClient.Reply serve(ServedKey served) {
            Database database = served.database();
            KeyEntry entry = served.entry();
            ListValue list = (ListValue) database.writableValue(entry);
            int popped = (int) Math.min(count == -1 ? 1 : count, list.size());
            byte[][] elements = new byte[popped][];
            for (int i = 0; i < popped; i++) {
                elements[i] = list.copyOf(ListCommands.end(list, head));
                ListCommands.removeEnd(list, head);
            }
            ListCommands.closeChange(database, entry, list);
            byte[] key = served.key();
            served.notifyKeyspaceEvent(KeyspaceEvents.LIST, head ? EventNames.LPOP : EventNames.RPOP, key);
            if (list.isEmpty()) {
                served.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, key);
            }
            byte[] verb = head ? ListMoveCommands.LPOP : ListMoveCommands.RPOP;
            if (served.isPropagating()) {
                if (count == -1) {
                    served.propagate(verb, key);
                } else {
                    served.propagate(verb, key, NumericStrings.toBytes(popped));
                }
            }
            if (count == -1) {
                return c -> {
                    c.reply().arrayHeader(2);
                    c.reply().bulk(key);
                    c.reply().bulk(elements[0]);
                };
            }
            return c -> {
                c.reply().arrayHeader(2);
                c.reply().bulk(key);
                c.reply().arrayHeader(elements.length);
                for (byte[] element : elements) {
                    c.reply().bulk(element);
                }
            };
        }

        @Override
        public void writeTimeout(CommandContext c) {
            c.reply().nullArray();
        }
    }

    // ---------------------------------------------------------------- BRPOPLPUSH, BLMOVE

    /** BRPOPLPUSH source destination timeout */
    static void brpoplpush(CommandContext c) {
        long timeout = BlockingTimeout.seconds(c, 3);
        blockingMove(c, false, true, timeout, true);
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
    static void blmove(CommandContext c) {
        boolean fromHead = ListMoveCommands.side(c, 3);
        boolean toHead = ListMoveCommands.side(c, 4);
        long timeout = BlockingTimeout.seconds(c, 5);
        blockingMove(c, fromHead, toHead, timeout, false);
    }

    /**
     * Moves at once when the source holds a list (a destination of another type is then WRONGTYPE);
     * blocks on the source alone otherwise, whatever the destination holds.
     */
    private static void blockingMove(CommandContext c, boolean fromHead, boolean toHead, long timeout,
            boolean rpoplpush) {
        KeyEntry source = c.database().lookupWrite(c.arguments(), 1);
        if (source != null) {
            ListCommands.list(source);
            ListMoveCommands.move(c, fromHead, toHead);
            if (c.isPropagating()) {
                if (rpoplpush) {
                    c.rewrite().word(RPOPLPUSH).argument(1).argument(2).end();
                } else {
                    c.rewrite().word(LMOVE).argument(1).argument(2).argument(3).argument(4).end();
                }
            }
            return;
        }
        if (!c.mayBlock()) {
            c.reply().nullBulk();
            return;
        }
        c.blockOnKeys(1, 1, timeout, new MoveWaiter(c.copyArgument(2), fromHead, toHead, rpoplpush));
    }

    /** A client blocked in BRPOPLPUSH or BLMOVE: moves one element, replied as a bulk. */
    private static final class MoveWaiter implements KeyWaiter {
        private final byte[] destination;
        private final boolean fromHead;
        private final boolean toHead;
        private final boolean rpoplpush;

        MoveWaiter(byte[] destination, boolean fromHead, boolean toHead, boolean rpoplpush) {
            this.destination = destination;
            this.fromHead = fromHead;
            this.toHead = toHead;
            this.rpoplpush = rpoplpush;
        }

        @Override
        public ValueType awaitedType() {
            return ValueType.LIST;
        }

        @Override
        public BlockedClient.Reply serve(ServedKey served) {
            Database database = served.database();
            KeyEntry source = served.entry();
            KeyEntry target = database.lookup(destination, Database.FOR_WRITE);
            if (target != null && target.type() != ValueType.LIST) {
                return c -> c.reply().error(Errors.WRONG_TYPE.reply());
            }
            ListValue list = (ListValue) source.value();
            byte[] element = list.copyOf(ListCommands.end(list, fromHead));
            ListValue created = ListMoveCommands.moveElement(database, source, target, fromHead, toHead,
                    served.config().encoding.listMaxListpackSize.intValue());
            if (created != null) {
                database.add(destination, created);
            }
            served.notifyKeyspaceEvent(KeyspaceEvents.LIST, toHead ? EventNames.LPUSH : EventNames.RPUSH, destination);
            served.notifyKeyspaceEvent(KeyspaceEvents.LIST, fromHead ? EventNames.LPOP : EventNames.RPOP, served.key());
            if (list.isEmpty()) {
                served.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, served.key());
            }
            if (served.isPropagating()) {
                if (rpoplpush) {
                    served.propagate(RPOPLPUSH, served.key(), destination);
                } else {
                    served.propagate(LMOVE, served.key(), destination, fromHead ? LEFT_WORD : RIGHT_WORD,
                            toHead ? LEFT_WORD : RIGHT_WORD);
                }
            }
            return c -> c.reply().bulk(element);
        }

        /** A null array, as Redis 7.0 answers every list waiter that times out (RESP2 *-1, not $-1). */
        @Override
        public void writeTimeout(CommandContext c) {
            c.reply().nullArray();
        }
    }
}
