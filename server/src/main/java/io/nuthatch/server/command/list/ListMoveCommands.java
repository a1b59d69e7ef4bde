package io.nuthatch.server.command.list;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.ListValue;

/**
 * The list commands that take elements from one list to another or from the first of several lists:
 * RPOPLPUSH, LMOVE and LMPOP. Their blocking forms (BRPOPLPUSH, BLMOVE, BLMPOP) share the moves and
 * pops here and are in {@link BlockingListCommands}.
 *
 * <p>LMPOP is propagated as the pop it made, as Redis 7.0 writes it to its AOF: {@code LPOP key n}
 * with the number of elements actually popped.
 */
public final class ListMoveCommands {
    static final byte[] LEFT = CommandContext.keyword("LEFT");
    static final byte[] RIGHT = CommandContext.keyword("RIGHT");
    static final byte[] LPOP = CommandContext.keyword("LPOP");
    static final byte[] RPOP = CommandContext.keyword("RPOP");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");

    static final CommandError NUMKEYS_NOT_POSITIVE = new CommandError("ERR numkeys should be greater than 0");
    static final CommandError COUNT_NOT_POSITIVE = new CommandError("ERR count should be greater than 0");

    private ListMoveCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("rpoplpush", "Moves the last element of a list to the head of another, returning it.",
                "O(1)", ListMoveCommands::rpoplpush);
        table.command("lmove", "Moves an element from one end of a list to one end of another, returning it.",
                "O(1)", ListMoveCommands::lmove);
        table.command("lmpop", "Pops elements from one end of the first non-empty list among several keys.",
                "O(N+M) where N is the number of keys given and M the number of elements returned",
                ListMoveCommands::lmpop);
    }

    // ---------------------------------------------------------------- RPOPLPUSH and LMOVE

    static void rpoplpush(CommandContext c) {
        move(c, false, true);
    }

    /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
    static void lmove(CommandContext c) {
        boolean fromHead = side(c, 3);
        boolean toHead = side(c, 4);
        move(c, fromHead, toHead);
    }

    /** LEFT (the head: true) or RIGHT (the tail), in any case; a syntax error otherwise. */
    static boolean side(CommandContext c, int index) {
        if (c.isKeyword(index, LEFT)) {
            return true;
        }
        if (c.isKeyword(index, RIGHT)) {
            return false;
        }
        throw Errors.SYNTAX;
    }

    /**
     * The move of RPOPLPUSH and LMOVE, and of their blocking forms when the source has elements:
     * a missing source replies a null, whatever the destination holds; a destination of another type
     * is WRONGTYPE and nothing moves.
     *
     * @return whether an element moved
     */
    static boolean move(CommandContext c, boolean fromHead, boolean toHead) {
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        KeyEntry source = database.lookupWrite(arguments, 1);
        if (source == null) {
            c.reply().nullBulk();
            return false;
        }
        ListValue from = ListCommands.list(source);
        KeyEntry destination = database.lookupWrite(arguments, 2);
        if (destination != null) {
            ListCommands.list(destination);
        }
        ListCommands.replyElement(c.reply(), from, ListCommands.end(from, fromHead));
        ListValue created = moveElement(database, source, destination, fromHead, toHead,
                c.config().encoding.listMaxListpackSize.intValue());
        if (created != null) {
            database.add(arguments, 2, created);
        }
        // As Redis: the push into the destination is reported first, then the pop from the source.
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, toHead ? EventNames.LPUSH : EventNames.RPUSH, 2);
        ListCommands.notifyChange(c, fromHead ? EventNames.LPOP : EventNames.RPOP, 1, from);
        return true;
    }

    /**
     * Moves the element at one end of the source list (not empty) to one end of the destination:
     * an existing list (the same entry for a rotation) or, when {@code destination} is null, a new
     * list returned for the caller to add under its key, after the source's key went if the move
     * emptied it. The element is pushed before it leaves the source, so its bytes need no copy
     * unless source and destination are the same list.
     */
    static ListValue moveElement(Database database, KeyEntry source, KeyEntry destination, boolean fromHead,
            boolean toHead, int fill) {
        ListValue from = (ListValue) source.value();
        long position = ListCommands.end(from, fromHead);
        if (destination == source) {
            database.writableValue(source);
            byte[] element = from.copyOf(position);
            ListCommands.removeEnd(from, fromHead);
            push(from, element, 0, element.length, toHead);
            database.changed(source);
            return null;
        }
        ListValue created = null;
        if (destination == null) {
            created = new ListValue(fill);
            push(created, from.array(position), from.dataOffset(position), from.dataLength(position), toHead);
        } else {
            ListValue to = (ListValue) database.writableValue(destination);
            push(to, from.array(position), from.dataOffset(position), from.dataLength(position), toHead);
            database.changed(destination);
        }
        database.writableValue(source);
        ListCommands.removeEnd(from, fromHead);
        ListCommands.closeChange(database, source, from);
        return created;
    }

    private static void push(ListValue list, byte[] data, int offset, int length, boolean head) {
        if (head) {
            list.pushHead(data, offset, length);
        } else {
            list.pushTail(data, offset, length);
        }
    }

    // ---------------------------------------------------------------- LMPOP

    /** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
    static void lmpop(CommandContext c) {
        int keys = multiPopKeys(c, 1);
        if (!popFirstNonEmpty(c, 2, keys, multiPopHead(c, 1, keys), multiPopCount(c, 1, keys))) {
            c.reply().nullArray();
        }
    }

    /**
     * Checks the arguments of LMPOP and BLMPOP from numkeys (argument {@code numkeysIndex}) on, with
     * Redis's errors and in its order: numkeys must be positive and leave room for the side, the
     * side LEFT or RIGHT, COUNT positive and given once.
     *
     * @return the number of keys
     */
    static int multiPopKeys(CommandContext c, int numkeysIndex) {
        long keys = c.longArgument(numkeysIndex, NUMKEYS_NOT_POSITIVE);
        if (keys <= 0) {
            throw NUMKEYS_NOT_POSITIVE;
        }
        int argumentCount = c.argumentCount();
        if (keys >= argumentCount - numkeysIndex - 1) {
            throw Errors.SYNTAX;
        }
        int sideIndex = numkeysIndex + (int) keys + 1;
        side(c, sideIndex);
        boolean counted = false;
        for (int i = sideIndex + 1; i < argumentCount; i++) {
            if (!counted && c.isKeyword(i, COUNT) && i + 1 < argumentCount) {
                counted = true;
                if (c.longArgument(++i, COUNT_NOT_POSITIVE) <= 0) {
                    throw COUNT_NOT_POSITIVE;
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        return (int) keys;
    }

    /** The side of a request {@link #multiPopKeys} checked: true for LEFT. */
    static boolean multiPopHead(CommandContext c, int numkeysIndex, int keys) {
        return side(c, numkeysIndex + keys + 1);
    }

    /** The COUNT of a request {@link #multiPopKeys} checked, 1 when not given. */
    static long multiPopCount(CommandContext c, int numkeysIndex, int keys) {
        int countIndex = numkeysIndex + keys + 3;
        return countIndex < c.argumentCount() ? c.longArgument(countIndex) : 1;
    }

    /**
     * Pops up to {@code count} elements from the first of the keys holding a list, replying
     * [key, [elements]] and propagating {@code LPOP key n}; WRONGTYPE stops at the first key of
     * another type met.
     *
     * @return whether a list was found
     */
    static boolean popFirstNonEmpty(CommandContext c, int firstKey, int keys, boolean head, long count) {
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        for (int i = firstKey; i < firstKey + keys; i++) {
            KeyEntry entry = database.lookupWrite(arguments, i);
            if (entry == null) {
                continue;
            }
            ListValue list = ListCommands.list(entry);
            long popped = Math.min(count, list.size());
            ReplyWriter reply = c.reply();
            reply.arrayHeader(2);
            reply.bulk(arguments.array(i), arguments.offset(i), arguments.length(i));
            reply.arrayHeader(popped);
            database.writableValue(entry);
            for (long n = 0; n < popped; n++) {
                ListCommands.replyElement(reply, list, ListCommands.end(list, head));
                ListCommands.removeEnd(list, head);
            }
            ListCommands.closeChange(database, entry, list);
            ListCommands.notifyChange(c, head ? EventNames.LPOP : EventNames.RPOP, i, list);
            if (c.isPropagating()) {
                c.rewrite().word(head ? LPOP : RPOP).argument(i).number(popped).end();
            }
            return true;
        }
        return false;
    }
}
