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
import io.nuthatch.server.type.ValueType;

/**
 * The list commands on one list: pushes and pops at the ends, reads by index and range, and the
 * changes inside (LSET, LINSERT, LREM, LTRIM), with LPOS. Moving elements between lists (RPOPLPUSH,
 * LMOVE, LMPOP) is in {@link ListMoveCommands}, the blocking forms in {@link BlockingListCommands}.
 *
 * <p>As in Redis, the commands that change a list look their key up as a write (no keyspace hit
 * or miss is counted) and the reads as a read; a command that empties a list deletes its key, and
 * one that changes nothing (LTRIM keeping everything, LINSERT without its pivot, LREM finding
 * nothing) is not propagated.
 */
public final class ListCommands {
    private static final byte[] BEFORE = CommandContext.keyword("BEFORE");
    private static final byte[] AFTER = CommandContext.keyword("AFTER");
    private static final byte[] RANK = CommandContext.keyword("RANK");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");
    private static final byte[] MAXLEN = CommandContext.keyword("MAXLEN");

    static final CommandError MUST_BE_POSITIVE = new CommandError("ERR value is out of range, must be positive");
    private static final CommandError INDEX_OUT_OF_RANGE = new CommandError("ERR index out of range");
    private static final CommandError RANK_ZERO = new CommandError("ERR RANK can't be zero: use 1 to start from the"
            + " first match, 2 from the second ... or use negative to start from the end of the list");
    private static final CommandError COUNT_NEGATIVE = new CommandError("ERR COUNT can't be negative");
    private static final CommandError MAXLEN_NEGATIVE = new CommandError("ERR MAXLEN can't be negative");

    private ListCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("lpush", "Adds elements at the head of a list, creating it if needed.",
                "O(1) for each element added", ListCommands::lpush);
        table.command("rpush", "Adds elements at the tail of a list, creating it if needed.",
                "O(1) for each element added", ListCommands::rpush);
        table.command("lpushx", "Adds elements at the head of a list only if the list exists.",
                "O(1) for each element added", ListCommands::lpushx);
        table.command("rpushx", "Adds elements at the tail of a list only if the list exists.",
                "O(1) for each element added", ListCommands::rpushx);
        table.command("lpop", "Removes and returns the first element of a list, or the first count elements.",
                "O(N) where N is the number of elements returned", ListCommands::lpop);
        table.command("rpop", "Removes and returns the last element of a list, or the last count elements.",
                "O(N) where N is the number of elements returned", ListCommands::rpop);
        table.command("llen", "Returns the number of elements of a list.", "O(1)", ListCommands::llen);
        table.command("lindex", "Returns the element at an index of a list.",
                "O(N) where N is the number of elements walked to reach the index", ListCommands::lindex);
        table.command("lrange", "Returns the elements of a list between two indexes.",
                "O(S+N) where S is the distance of the start from the nearer end and N the number of elements",
                ListCommands::lrange);
        table.command("lset", "Replaces the element at an index of a list.",
                "O(N) where N is the number of elements walked to reach the index", ListCommands::lset);
        table.command("linsert", "Inserts an element before or after the first occurrence of another.",
                "O(N) where N is the number of elements walked to find the pivot", ListCommands::linsert);
        table.command("lrem", "Removes occurrences of an element, from the head or the tail or all of them.",
                "O(N+M) where N is the length of the list and M the number of elements removed", ListCommands::lrem);
        table.command("ltrim", "Keeps only the elements of a list between two indexes.",
                "O(N) where N is the number of elements removed", ListCommands::ltrim);
        table.command("lpos", "Returns the indexes of the elements of a list that equal a value.",
                "O(N) where N is the length of the list", ListCommands::lpos);
    }

    // ---------------------------------------------------------------- shared by the list families

    /** The entry's list, or WRONGTYPE. */
    static ListValue list(KeyEntry entry) {
        if (entry.type() != ValueType.LIST) {
            throw Errors.WRONG_TYPE;
        }
        return (ListValue) entry.value();
    }

    /** A new, empty list with the nodes list-max-listpack-size asks for now. */
    static ListValue newList(CommandContext c) {
        return new ListValue(c.config().encoding.listMaxListpackSize.intValue());
    }

    /** A new list's fill, for the commands that create lists away from a command (a served BLMOVE). */
    static ListValue newList(io.nuthatch.server.config.ServerConfig config) {
        return new ListValue(config.encoding.listMaxListpackSize.intValue());
    }

    /** Removes the head or the tail element of an open list. */
    static void removeEnd(ListValue list, boolean head) {
        if (head) {
            list.removeHead();
        } else {
            list.removeTail();
        }
    }

    /** The position of the head or the tail element. */
    static long end(ListValue list, boolean head) {
        return head ? list.first() : list.last();
    }

    static void replyElement(ReplyWriter reply, ListValue list, long position) {
        reply.bulk(list.array(position), list.dataOffset(position), list.dataLength(position));
    }

    /** Closes a change of a list: the key goes when the list is empty, as Redis deletes empty lists. */
    static void closeChange(Database database, KeyEntry entry, ListValue list) {
        database.changed(entry);
        if (list.isEmpty()) {
            database.delete(entry);
        }
    }

    /** The events of a change: the command's own, then "del" when the change emptied the list. */
    static void notifyChange(CommandContext c, byte[] event, int keyIndex, ListValue list) {
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, event, keyIndex);
        if (list.isEmpty()) {
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, keyIndex);
        }
    }

    // ---------------------------------------------------------------- pushes

    static void lpush(CommandContext c) {
        push(c, true, false);
    }

    static void rpush(CommandContext c) {
        push(c, false, false);
    }

    static void lpushx(CommandContext c) {
        push(c, true, true);
    }

    static void rpushx(CommandContext c) {
        push(c, false, true);
    }

    /** LPUSH, RPUSH and their X forms, which push only onto an existing list. */
    private static void push(CommandContext c, boolean head, boolean onlyIfExists) {
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        if (entry == null) {
            if (onlyIfExists) {
                c.reply().integer(0);
                return;
            }
            ListValue list = newList(c);
            pushAll(list, arguments, head);
            database.add(arguments, 1, list);
            c.notifyKeyspaceEvent(KeyspaceEvents.LIST, head ? EventNames.LPUSH : EventNames.RPUSH, 1);
            c.reply().integer(list.size());
            return;
        }
        list(entry);
        ListValue list = (ListValue) database.writableValue(entry);
        pushAll(list, arguments, head);
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, head ? EventNames.LPUSH : EventNames.RPUSH, 1);
        c.reply().integer(list.size());
    }

    private static void pushAll(ListValue list, RequestArguments arguments, boolean head) {
        for (int i = 2; i < arguments.count(); i++) {
            if (head) {
                list.pushHead(arguments.array(i), arguments.offset(i), arguments.length(i));
            } else {
                list.pushTail(arguments.array(i), arguments.offset(i), arguments.length(i));
            }
        }
    }

    // ---------------------------------------------------------------- pops

    static void lpop(CommandContext c) {
        pop(c, true);
    }

    static void rpop(CommandContext c) {
        pop(c, false);
    }

    /**
     * LPOP and RPOP key [count]: one element as a bulk (null when the key is missing), or with a
     * count an array of up to count elements (a null array when the key is missing, an empty one
     * for a count of 0). The count is read before the key is looked up.
     */
    private static void pop(CommandContext c, boolean head) {
        int argumentCount = c.argumentCount();
        if (argumentCount > 3) {
            throw Errors.wrongArity(c.command().name());
        }
        boolean withCount = argumentCount == 3;
        long count = withCount ? positiveCount(c, 2) : 1;
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        if (entry == null) {
            if (withCount) {
                c.reply().nullArray();
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        list(entry);
        if (withCount && count == 0) {
            c.reply().arrayHeader(0);
            return;
        }
        ListValue list = (ListValue) database.writableValue(entry);
        if (withCount) {
            long popped = Math.min(count, list.size());
            c.reply().arrayHeader(popped);
            for (long i = 0; i < popped; i++) {
                replyElement(c.reply(), list, end(list, head));
                removeEnd(list, head);
            }
        } else {
            replyElement(c.reply(), list, end(list, head));
            removeEnd(list, head);
        }
        closeChange(database, entry, list);
        notifyChange(c, head ? EventNames.LPOP : EventNames.RPOP, 1, list);
    }

    /** A count that must not be negative: "value is out of range, must be positive", for text as well. */
    static long positiveCount(CommandContext c, int index) {
        long count = c.longArgument(index, MUST_BE_POSITIVE);
        if (count < 0) {
            throw MUST_BE_POSITIVE;
        }
        return count;
    }

    // ---------------------------------------------------------------- reads

    static void llen(CommandContext c) {
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        c.reply().integer(entry == null ? 0 : list(entry).size());
    }

    static void lindex(CommandContext c) {
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().nullBulk();
            return;
        }
        ListValue list = list(entry);
        long index = c.longArgument(2);
        long position = list.positionAt(index);
        if (position == ListValue.NONE) {
            c.reply().nullBulk();
        } else {
            replyElement(c.reply(), list, position);
        }
    }

    /** LRANGE key start stop: indexes are clamped to the list, negative ones count from the tail. */
    static void lrange(CommandContext c) {
        long start = c.longArgument(2);
        long stop = c.longArgument(3);
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().arrayHeader(0);
            return;
        }
        ListValue list = list(entry);
        long size = list.size();
        if (start < 0) {
            start += size;
        }
        if (stop < 0) {
            stop += size;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > stop || start >= size) {
            c.reply().arrayHeader(0);
            return;
        }
        if (stop >= size) {
            stop = size - 1;
        }
        long count = stop - start + 1;
        ReplyWriter reply = c.reply();
        reply.arrayHeader(count);
        // From the nearer end, as Redis walks a range that lies in the tail half backwards to find it.
        long position = list.positionAt(start);
        for (long i = 0; i < count; i++) {
            replyElement(reply, list, position);
            position = list.next(position);
        }
    }

    // ---------------------------------------------------------------- changes inside

    /** LSET key index element: "no such key" for a missing key, "index out of range" past the ends. */
    static void lset(CommandContext c) {
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        if (entry == null) {
            throw Errors.NO_SUCH_KEY;
        }
        ListValue list = list(entry);
        long index = c.longArgument(2);
        long position = list.positionAt(index);
        if (position == ListValue.NONE) {
            throw INDEX_OUT_OF_RANGE;
        }
        RequestArguments arguments = c.arguments();
        database.writableValue(entry);
        list.replace(position, arguments.array(3), arguments.offset(3), arguments.length(3));
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, EventNames.LSET, 1);
        c.reply().ok();
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
    static void linsert(CommandContext c) {
        boolean after;
        if (c.isKeyword(2, AFTER)) {
            after = true;
        } else if (c.isKeyword(2, BEFORE)) {
            after = false;
        } else {
            throw Errors.SYNTAX;
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        if (entry == null) {
            c.reply().integer(0);
            return;
        }
        ListValue list = list(entry);
        RequestArguments arguments = c.arguments();
        long position = list.first();
        while (position != ListValue.NONE
                && !list.equalsAt(position, arguments.array(3), arguments.offset(3), arguments.length(3))) {
            position = list.next(position);
        }
        if (position == ListValue.NONE) {
            c.reply().integer(-1);
            return;
        }
        database.writableValue(entry);
        if (after) {
            list.insertAfter(position, arguments.array(4), arguments.offset(4), arguments.length(4));
        } else {
            list.insertBefore(position, arguments.array(4), arguments.offset(4), arguments.length(4));
        }
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, EventNames.LINSERT, 1);
        c.reply().integer(list.size());
    }

    /** LREM key count element: count > 0 from the head, < 0 from the tail, 0 every occurrence. */
    static void lrem(CommandContext c) {
        long count = c.longArgument(2);
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        if (entry == null) {
            c.reply().integer(0);
            return;
        }
        ListValue list = list(entry);
        RequestArguments arguments = c.arguments();
        byte[] element = arguments.array(3);
        int offset = arguments.offset(3);
        int length = arguments.length(3);
        long limit = count == 0 ? Long.MAX_VALUE : (count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count));
        long removed = 0;
        boolean opened = false;
        if (count >= 0) {
            long position = list.first();
            while (position != ListValue.NONE && removed < limit) {
                if (list.equalsAt(position, element, offset, length)) {
                    if (!opened) {
                        database.writableValue(entry);
                        opened = true;
                    }
                    position = list.remove(position);
                    removed++;
                } else {
                    position = list.next(position);
                }
            }
        } else {
            long position = list.last();
            while (position != ListValue.NONE && removed < limit) {
                long preceding = list.previous(position);
                if (list.equalsAt(position, element, offset, length)) {
                    if (!opened) {
                        database.writableValue(entry);
                        opened = true;
                    }
                    list.remove(position);
                    removed++;
                }
                position = preceding;
            }
        }
        if (opened) {
            closeChange(database, entry, list);
            notifyChange(c, EventNames.LREM, 1, list);
        }
        c.reply().integer(removed);
    }

    /** LTRIM key start stop: keeps the range LRANGE would return; the key goes if that is empty. */
    static void ltrim(CommandContext c) {
        long start = c.longArgument(2);
        long stop = c.longArgument(3);
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        if (entry == null) {
            c.reply().ok();
            return;
        }
        ListValue list = list(entry);
        long size = list.size();
        if (start < 0) {
            start += size;
        }
        if (stop < 0) {
            stop += size;
        }
        if (start < 0) {
            start = 0;
        }
        long fromHead;
        long fromTail;
        if (start > stop || start >= size) {
            fromHead = size;
            fromTail = 0;
        } else {
            if (stop >= size) {
                stop = size - 1;
            }
            fromHead = start;
            fromTail = size - stop - 1;
        }
        if (fromHead + fromTail > 0) {
            database.writableValue(entry);
            list.removeHead(fromHead);
            list.removeTail(fromTail);
            closeChange(database, entry, list);
        }
        // Redis reports a trim of an existing list even when it removed nothing.
        notifyChange(c, EventNames.LTRIM, 1, list);
        c.reply().ok();
    }

    /**
     * LPOS key element [RANK rank] [COUNT count] [MAXLEN len]: the index of the rank-th match (from
     * the tail for a negative rank), or with COUNT an array of up to count of them (0: all), looking
     * at no more than MAXLEN elements (0: all). The options are read before the key.
     */
    static void lpos(CommandContext c) {
        long rank = 1;
        long count = -1;
        long maxLength = 0;
        int argumentCount = c.argumentCount();
        for (int i = 3; i < argumentCount; i++) {
            boolean hasValue = i + 1 < argumentCount;
            if (hasValue && c.isKeyword(i, RANK)) {
                rank = c.longArgument(++i);
                if (rank == 0) {
                    throw RANK_ZERO;
                }
            } else if (hasValue && c.isKeyword(i, COUNT)) {
                count = nonNegative(c, ++i, COUNT_NEGATIVE);
            } else if (hasValue && c.isKeyword(i, MAXLEN)) {
                maxLength = nonNegative(c, ++i, MAXLEN_NEGATIVE);
            } else {
                throw Errors.SYNTAX;
            }
        }
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            if (count != -1) {
                c.reply().arrayHeader(0);
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        ListValue list = list(entry);
        boolean fromTail = rank < 0;
        // -Long.MIN_VALUE stays negative; no list has that many matches anyway.
        long skip = fromTail ? -rank : rank;
        RequestArguments arguments = c.arguments();
        byte[] element = arguments.array(2);
        int offset = arguments.offset(2);
        int length = arguments.length(2);
        ReplyWriter reply = c.reply();
        int deferred = count != -1 ? reply.beginDeferred() : -1;
        long found = 0;
        long matches = 0;
        long walked = 0;
        long size = list.size();
        long position = fromTail ? list.last() : list.first();
        while (position != ListValue.NONE && (maxLength == 0 || walked < maxLength)) {
            if (list.equalsAt(position, element, offset, length)) {
                matches++;
                if (matches >= skip || skip < 0) {
                    long index = fromTail ? size - walked - 1 : walked;
                    reply.integer(index);
                    found++;
                    if (count == -1 || (count != 0 && found >= count)) {
                        break;
                    }
                }
            }
            walked++;
            position = fromTail ? list.previous(position) : list.next(position);
        }
        if (count != -1) {
            reply.endDeferredArray(deferred, found);
        } else if (found == 0) {
            reply.nullBulk();
        }
    }

    /** A number that must not be negative; text that is no integer gets the same error. */
    private static long nonNegative(CommandContext c, int index, CommandError negative) {
        long value = c.longArgument(index, negative);
        if (value < 0) {
            throw negative;
        }
        return value;
    }
}
