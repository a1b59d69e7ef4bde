package io.nuthatch.server.command.set;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.command.key.CollectionScan;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.SetValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Sets, member by member: SADD, SREM, SISMEMBER, SMISMEMBER, SCARD, SMEMBERS, SMOVE and SSCAN.
 * The type is {@link SetValue}; this family parses, checks types, calls it and replies. A set left
 * without members is deleted with its key, as Redis deletes empty collections.
 *
 * <p>Changes open the set with the database's writable accessor before touching it and close the
 * bracket with {@code changed} only when something changed, so that a command that changed nothing
 * (SADD of members already there) is neither propagated nor seen by WATCH, as in Redis.
 */
public final class SetCommands {
    private SetCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("sadd", "Adds members to a set, creating the set if needed.",
                "O(1) for each member added", SetCommands::sadd);
        table.command("srem", "Removes members from a set, and the set once it is empty.",
                "O(N) where N is the number of members to be removed", SetCommands::srem);
        table.command("sismember", "Tells whether a member belongs to a set.", "O(1)", SetCommands::sismember);
        table.command("smismember", "Tells for each of several members whether it belongs to a set.",
                "O(N) where N is the number of members being checked", SetCommands::smismember);
        table.command("scard", "Returns the number of members of a set.", "O(1)", SetCommands::scard);
        table.command("smembers", "Returns every member of a set.", "O(N) where N is the set cardinality",
                SetCommands::smembers);
        table.command("smove", "Moves a member from one set to another.", "O(1)", SetCommands::smove);
        table.command("sscan", "Iterates over the members of a set, a few at a time.",
                "O(1) per call, O(N) for a full iteration", SetCommands::sscan);
    }

    /** The set an entry holds, or null for no entry. @throws io.nuthatch.server.command.CommandError WRONGTYPE */
    static SetValue setOf(KeyEntry entry) {
        if (entry == null) {
            return null;
        }
        if (entry.value() instanceof SetValue set) {
            return set;
        }
        throw Errors.WRONG_TYPE;
    }

    static long maxIntsetEntries(CommandContext c) {
        return c.config().encoding.setMaxIntsetEntries.value();
    }

    /** Replies the member at a position as a bulk string, whatever the set's layout. */
    static void replyMember(ReplyWriter reply, SetValue set, int position) {
        if (set.isIntset()) {
            reply.bulk(set.integerAt(position));
        } else {
            byte[] member = set.memberAt(position);
            reply.bulk(member, 0, member.length);
        }
    }

    /** SADD key member [member ...] */
    static void sadd(CommandContext c) {
        RequestArguments arguments = c.arguments();
        long maxIntset = maxIntsetEntries(c);
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        SetValue set = setOf(entry);
        int added = 0;
        if (set == null) {
            set = SetValue.forFirstMember(arguments.array(2), arguments.offset(2), arguments.length(2));
            for (int i = 2; i < arguments.count(); i++) {
                if (set.add(arguments.array(i), arguments.offset(i), arguments.length(i), maxIntset)) {
                    added++;
                }
            }
            database.add(arguments, 1, set);
            c.notifyKeyspaceEvent(KeyspaceEvents.SET, EventNames.SADD, 1);
        } else {
            database.writableValue(entry);
            for (int i = 2; i < arguments.count(); i++) {
                if (set.add(arguments.array(i), arguments.offset(i), arguments.length(i), maxIntset)) {
                    added++;
                }
            }
            if (added > 0) {
                database.changed(entry);
                c.notifyKeyspaceEvent(KeyspaceEvents.SET, EventNames.SADD, 1);
            }
        }
        c.reply().integer(added);
    }

    /** SREM key member [member ...] */
    static void srem(CommandContext c) {
        RequestArguments arguments = c.arguments();
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        SetValue set = setOf(entry);
        if (set == null) {
            c.reply().integer(0);
            return;
        }
        database.writableValue(entry);
        int removed = 0;
        for (int i = 2; i < arguments.count() && !set.isEmpty(); i++) {
            if (set.remove(arguments.array(i), arguments.offset(i), arguments.length(i))) {
                removed++;
            }
        }
        if (removed > 0) {
            database.changed(entry);
            c.notifyKeyspaceEvent(KeyspaceEvents.SET, EventNames.SREM, 1);
            if (set.isEmpty()) {
                database.delete(entry);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, 1);
            }
        }
        c.reply().integer(removed);
    }

    /** SISMEMBER key member */
    static void sismember(CommandContext c) {
        RequestArguments arguments = c.arguments();
        SetValue set = setOf(c.database().lookupRead(arguments, 1));
        boolean member = set != null && set.contains(arguments.array(2), arguments.offset(2), arguments.length(2));
        c.reply().integer(member ? 1 : 0);
    }

    /** SMISMEMBER key member [member ...] */
    static void smismember(CommandContext c) {
        RequestArguments arguments = c.arguments();
        SetValue set = setOf(c.database().lookupRead(arguments, 1));
        ReplyWriter reply = c.reply();
        reply.arrayHeader(arguments.count() - 2);
        for (int i = 2; i < arguments.count(); i++) {
            boolean member = set != null && set.contains(arguments.array(i), arguments.offset(i), arguments.length(i));
            reply.integer(member ? 1 : 0);
        }
    }

    /** SCARD key */
    static void scard(CommandContext c) {
        SetValue set = setOf(c.database().lookupRead(c.arguments(), 1));
        c.reply().integer(set == null ? 0 : set.size());
    }

    /** SMEMBERS key: an intset in ascending order, a table in its own; a set reply in RESP3. */
    static void smembers(CommandContext c) {
        SetValue set = setOf(c.database().lookupRead(c.arguments(), 1));
        ReplyWriter reply = c.reply();
        if (set == null) {
            reply.setHeader(0);
            return;
        }
        reply.setHeader(set.size());
        for (int position = set.first(); position != SetValue.NONE; position = set.next(position)) {
            replyMember(reply, set, position);
        }
    }

    /**
     * SMOVE source destination member. As in Redis, moving within one set only says whether the
     * member is there, and the destination is created in the layout its first member calls for.
     */
    static void smove(CommandContext c) {
        RequestArguments arguments = c.arguments();
        Database database = c.database();
        KeyEntry source = database.lookupWrite(arguments, 1);
        KeyEntry destination = database.lookupWrite(arguments, 2);
        if (source == null) {
            c.reply().integer(0);
            return;
        }
        SetValue from = setOf(source);
        SetValue to = setOf(destination);
        byte[] member = arguments.array(3);
        int offset = arguments.offset(3);
        int length = arguments.length(3);
        if (source == destination) {
            c.reply().integer(from.contains(member, offset, length) ? 1 : 0);
            return;
        }
        if (!from.contains(member, offset, length)) {
            c.reply().integer(0);
            return;
        }
        database.writableValue(source);
        from.remove(member, offset, length);
        database.changed(source);
        c.notifyKeyspaceEvent(KeyspaceEvents.SET, EventNames.SREM, 1);
        if (from.isEmpty()) {
            database.delete(source);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, 1);
        }
        long maxIntset = maxIntsetEntries(c);
        if (to == null) {
            to = SetValue.forFirstMember(member, offset, length);
            to.add(member, offset, length, maxIntset);
            database.add(arguments, 2, to);
            c.notifyKeyspaceEvent(KeyspaceEvents.SET, EventNames.SADD, 2);
        } else {
            database.writableValue(destination);
            if (to.add(member, offset, length, maxIntset)) {
                database.changed(destination);
                c.notifyKeyspaceEvent(KeyspaceEvents.SET, EventNames.SADD, 2);
            }
        }
        c.reply().integer(1);
    }

    /**
     * SSCAN key cursor [MATCH pattern] [COUNT count]. An intset comes whole, in ascending order,
     * with cursor 0, as Redis returns it; a table is walked with its cursor until COUNT members
     * are gathered or ten times COUNT home slots visited, and only then filtered by MATCH.
     */
    static void sscan(CommandContext c) {
        long cursor = CollectionScan.cursor(c);
        SetValue set = setOf(c.database().lookupRead(c.arguments(), 1));
        ReplyWriter reply = c.reply();
        if (set == null) {
            reply.arrayHeader(2);
            reply.bulk(0);
            reply.arrayHeader(0);
            return;
        }
        CollectionScan options = CollectionScan.options(c);
        List<byte[]> members = new ArrayList<>();
        if (set.isIntset()) {
            for (int position = set.first(); position != SetValue.NONE; position = set.next(position)) {
                members.add(NumericStrings.toBytes(set.integerAt(position)));
            }
            cursor = 0;
        } else {
            long slotsLeft = options.count * 10;
            do {
                cursor = set.scan(cursor, members::add);
            } while (cursor != 0 && slotsLeft-- != 0 && members.size() < options.count);
        }
        members.removeIf(member -> !options.matches(member));
        reply.arrayHeader(2);
        reply.bulk(cursor);
        reply.arrayHeader(members.size());
        for (byte[] member : members) {
            reply.bulk(member, 0, member.length);
        }
    }
}
