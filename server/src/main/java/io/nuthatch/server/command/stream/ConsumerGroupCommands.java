package io.nuthatch.server.command.stream;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.stream.Consumer;
import io.nuthatch.server.type.stream.ConsumerGroup;
import io.nuthatch.server.type.stream.PendingEntry;
import io.nuthatch.server.type.stream.StreamId;
import io.nuthatch.server.type.stream.StreamValue;

import java.util.List;
import java.util.Locale;

/**
 * Consumer groups: XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP), XACK and
 * XPENDING. Claiming pending entries (XCLAIM, XAUTOCLAIM) is in {@link ClaimCommands}.
 *
 * <p>Error replies and their order follow Redis 7.0's: XGROUP reads its options before it looks at
 * the key, a missing key comes before a missing group, and a group a read was waiting on wakes its
 * readers with an error when it is destroyed.
 */
public final class ConsumerGroupCommands {
    private static final byte[] MKSTREAM = CommandContext.keyword("MKSTREAM");
    private static final byte[] ENTRIESREAD = CommandContext.keyword("ENTRIESREAD");
    private static final byte[] IDLE = CommandContext.keyword("IDLE");

    private static final CommandError ENTRIES_READ_NEGATIVE = new CommandError(
            "ERR value for ENTRIESREAD must be positive or -1");
    private static final CommandError KEY_REQUIRED = new CommandError("ERR The XGROUP subcommand requires the key to"
            + " exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream"
            + " automatically.");
    private static final CommandError BUSY_GROUP = new CommandError("BUSYGROUP Consumer Group name already exists");
    private static final CommandError INVALID_START = new CommandError("ERR invalid start ID for the interval");
    private static final CommandError INVALID_END = new CommandError("ERR invalid end ID for the interval");

    private static final List<String> XGROUP_HELP = List.of(
            "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
            "HELP",
            "    Prints this help.");

    private static final StreamId ID = new StreamId();
    private static final StreamId END = new StreamId();
    private static final StreamChange CHANGE = new StreamChange();

    private ConsumerGroupCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.subcommand("xgroup", "create", "Creates a consumer group of a stream.", "O(1)",
                c -> xgroup(c, Subcommand.CREATE));
        table.subcommand("xgroup", "setid", "Sets the last delivered ID of a consumer group.", "O(1)",
                c -> xgroup(c, Subcommand.SETID));
        table.subcommand("xgroup", "destroy", "Deletes a consumer group with its consumers and pending entries.",
                "O(N) with N the group's pending entries", c -> xgroup(c, Subcommand.DESTROY));
        table.subcommand("xgroup", "createconsumer", "Adds a consumer to a consumer group.", "O(1)",
                c -> xgroup(c, Subcommand.CREATECONSUMER));
        table.subcommand("xgroup", "delconsumer", "Deletes a consumer and its pending entries from a consumer group.",
                "O(N) with N the consumer's pending entries", c -> xgroup(c, Subcommand.DELCONSUMER));
        table.subcommand("xgroup", "help", "Describes the XGROUP subcommands.", "O(1)",
                c -> writeHelp(c, XGROUP_HELP));
        table.command("xack", "Acknowledges entries delivered to a consumer group, removing them from its pending list.",
                "O(1) for each ID", ConsumerGroupCommands::xack);
        table.command("xpending", "Returns the pending entries of a consumer group, summed up or one by one.",
                "O(N) with N the entries returned", ConsumerGroupCommands::xpending);
    }

    private enum Subcommand { CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER }

    static void writeHelp(CommandContext c, List<String> lines) {
        c.reply().arrayHeader(lines.size());
        for (String line : lines) {
            c.reply().simpleString(line);
        }
    }

    /** Redis's reply to a subcommand given wrong options. */
    static CommandError subcommandSyntaxError(CommandContext c) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Texts.cString(c, 1)
                + "'. Try " + Texts.cString(c, 0).toUpperCase(Locale.ROOT) + " HELP.");
    }

    private static void xgroup(CommandContext c, Subcommand subcommand) {
        boolean makeStream = false;
        long entriesRead = ConsumerGroup.UNKNOWN;
        int count = c.argumentCount();
        for (int i = 5; i < count; ) {
            if (subcommand == Subcommand.CREATE && c.isKeyword(i, MKSTREAM)) {
                makeStream = true;
                i++;
            } else if ((subcommand == Subcommand.CREATE || subcommand == Subcommand.SETID)
                    && c.isKeyword(i, ENTRIESREAD) && i + 1 < count) {
                entriesRead = c.longArgument(i + 1);
                if (entriesRead < 0 && entriesRead != ConsumerGroup.UNKNOWN) {
                    throw ENTRIES_READ_NEGATIVE;
                }
                i += 2;
            } else {
                throw subcommandSyntaxError(c);
            }
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 2);
        StreamValue stream = StreamCommands.stream(entry);
        ConsumerGroup group = null;
        if (!makeStream) {
            if (stream == null) {
                throw KEY_REQUIRED;
            }
            group = stream.groups() == null ? null : StreamReadCommands.findGroup(c, stream.groups(), 3);
            if (group == null && subcommand != Subcommand.CREATE && subcommand != Subcommand.DESTROY) {
                throw new CommandError("NOGROUP No such consumer group '" + Texts.cString(c, 3) + "' for key name '"
                        + Texts.cString(c, 2) + "'");
            }
        }
        switch (subcommand) {
            case CREATE -> create(c, database, entry, stream, entriesRead);
            case SETID -> setId(c, database, entry, stream, group, entriesRead);
            case DESTROY -> destroy(c, database, entry, stream, group);
            case CREATECONSUMER -> createConsumer(c, database, entry, group);
            case DELCONSUMER -> deleteConsumer(c, database, entry, group);
        }
    }

    private static void create(CommandContext c, Database database, KeyEntry entry, StreamValue stream,
            long entriesRead) {
        if (c.argumentCount() > 8) {
            throw subcommandSyntaxError(c);
        }
        StreamId id = ID;
        if (Texts.isCString(c, 4, '$')) {
            id.set(stream == null ? 0 : stream.lastMs(), stream == null ? 0 : stream.lastSeq());
        } else {
            StreamIdArguments.parseStrict(c, 4, id, 0);
        }
        if (stream != null && stream.groups() != null && StreamReadCommands.findGroup(c, stream.groups(), 3) != null) {
            throw BUSY_GROUP;
        }
        StreamValue target = stream != null ? stream : new StreamValue();
        if (stream != null) {
            database.writableValue(entry);
        }
        target.groupsForWrite().create(c.arguments().array(3), c.arguments().offset(3), c.arguments().length(3),
                id.ms, id.seq, entriesRead);
        if (stream != null) {
            database.changed(entry);
        } else {
            database.add(c.arguments(), 2, target);
        }
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XGROUP_CREATE, 2);
        c.reply().ok();
    }

    private static void setId(CommandContext c, Database database, KeyEntry entry, StreamValue stream,
            ConsumerGroup group, long entriesRead) {
        if (c.argumentCount() != 5 && c.argumentCount() != 7) {
            throw subcommandSyntaxError(c);
        }
        StreamId id = ID;
        if (Texts.isCString(c, 4, '$')) {
            id.set(stream.lastMs(), stream.lastSeq());
        } else {
            StreamIdArguments.parse(c, 4, id, 0);
        }
        database.writableValue(entry);
        group.setLastId(id.ms, id.seq, entriesRead);
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XGROUP_SETID, 2);
        c.reply().ok();
    }

    private static void destroy(CommandContext c, Database database, KeyEntry entry, StreamValue stream,
            ConsumerGroup group) {
        if (group == null) {
            c.reply().integer(0);
            return;
        }
        database.writableValue(entry);
        stream.groups().destroy(group);
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XGROUP_DESTROY, 2);
        StreamWaits.signal(c, entry);
        c.reply().integer(1);
    }

    private static void createConsumer(CommandContext c, Database database, KeyEntry entry, ConsumerGroup group) {
        byte[] name = c.arguments().array(4);
        int offset = c.arguments().offset(4);
        int length = c.arguments().length(4);
        if (group.consumer(name, offset, length) != null) {
            c.reply().integer(0);
            return;
        }
        database.writableValue(entry);
        group.createConsumer(name, offset, length, c.now());
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XGROUP_CREATECONSUMER, 2);
        c.reply().integer(1);
    }

    private static void deleteConsumer(CommandContext c, Database database, KeyEntry entry, ConsumerGroup group) {
        Consumer consumer = group.consumer(c.arguments().array(4), c.arguments().offset(4), c.arguments().length(4));
        if (consumer == null) {
            c.reply().integer(0);
            return;
        }
        database.writableValue(entry);
        int pending = group.deleteConsumer(consumer);
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XGROUP_DELCONSUMER, 2);
        c.reply().integer(pending);
    }

    /** XACK key group id [id ...] */
    static void xack(CommandContext c) {
        Database database = c.database();
        KeyEntry entry = database.lookupRead(c.arguments(), 1);
        StreamValue stream = StreamCommands.stream(entry);
        ConsumerGroup group = stream == null || stream.groups() == null ? null
                : StreamReadCommands.findGroup(c, stream.groups(), 2);
        if (group == null) {
            c.reply().integer(0);
            return;
        }
        StreamId id = ID;
        for (int i = 3; i < c.argumentCount(); i++) {
            StreamIdArguments.parseStrict(c, i, id, 0);
        }
        StreamChange change = CHANGE.of(database, entry);
        long acknowledged = 0;
        for (int i = 3; i < c.argumentCount(); i++) {
            StreamIdArguments.parseStrict(c, i, id, 0);
            PendingEntry pending = group.pending(id.ms, id.seq);
            if (pending != null) {
                change.beforeChange();
                group.remove(pending);
                acknowledged++;
            }
        }
        change.close();
        c.reply().integer(acknowledged);
    }

    /** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
    static void xpending(CommandContext c) {
        int count = c.argumentCount();
        if (count != 3 && (count < 6 || count > 9)) {
            throw Errors.SYNTAX;
        }
        long minIdle = 0;
        long limit = 0;
        int consumerArgument = -1;
        StreamId start = ID;
        StreamId end = END;
        if (count >= 6) {
            int startArgument = 3;
            if (c.isKeyword(3, IDLE)) {
                minIdle = c.longArgument(4);
                if (count < 8) {
                    throw Errors.SYNTAX;
                }
                startArgument += 2;
            }
            limit = Math.max(0, c.longArgument(startArgument + 2));
            if (StreamIdArguments.parseInterval(c, startArgument, start, 0) && !start.increment()) {
                throw INVALID_START;
            }
            if (StreamIdArguments.parseInterval(c, startArgument + 1, end, -1L) && !end.decrement()) {
                throw INVALID_END;
            }
            if (startArgument + 3 < count) {
                consumerArgument = startArgument + 3;
            }
        }
        StreamValue stream = StreamCommands.stream(c.database().lookupRead(c.arguments(), 1));
        ConsumerGroup group = stream == null || stream.groups() == null ? null
                : StreamReadCommands.findGroup(c, stream.groups(), 2);
        if (group == null) {
            throw new CommandError("NOGROUP No such key '" + Texts.cString(c, 1) + "' or consumer group '"
                    + Texts.cString(c, 2) + "'");
        }
        if (count == 3) {
            summary(c, group);
            return;
        }
        Iterable<PendingEntry> entries;
        if (consumerArgument >= 0) {
            Consumer consumer = group.consumer(c.arguments().array(consumerArgument),
                    c.arguments().offset(consumerArgument), c.arguments().length(consumerArgument));
            if (consumer == null) {
                c.reply().arrayHeader(0);
                return;
            }
            entries = group.pendingFrom(consumer, start.ms, start.seq);
        } else {
            entries = group.pendingFrom(start.ms, start.seq);
        }
        long now = c.now();
        int mark = c.reply().beginDeferred();
        long written = 0;
        for (PendingEntry pending : entries) {
            if (limit == 0 || end.compareTo(pending.ms(), pending.seq()) < 0) {
                break;
            }
            long idle = Math.max(0, now - pending.deliveryTime());
            if (minIdle != 0 && idle < minIdle) {
                continue;
            }
            limit--;
            written++;
            c.reply().arrayHeader(4);
            StreamReplies.id(c.reply(), pending.ms(), pending.seq());
            byte[] name = pending.consumer().name();
            c.reply().bulk(name, 0, name.length);
            c.reply().integer(idle);
            c.reply().integer(pending.deliveryCount());
        }
        c.reply().endDeferredArray(mark, written);
    }

    /** XPENDING key group: the count, the first and last IDs, and the count of each consumer with any. */
    private static void summary(CommandContext c, ConsumerGroup group) {
        c.reply().arrayHeader(4);
        c.reply().integer(group.pending().size());
        if (group.pending().isEmpty()) {
            c.reply().nullBulk();
            c.reply().nullBulk();
            c.reply().nullArray();
            return;
        }
        PendingEntry first = group.pending().first();
        PendingEntry last = group.pending().last();
        StreamReplies.id(c.reply(), first.ms(), first.seq());
        StreamReplies.id(c.reply(), last.ms(), last.seq());
        int mark = c.reply().beginDeferred();
        int consumers = 0;
        for (int i = 0; i < group.consumerCount(); i++) {
            Consumer consumer = group.consumer(i);
            if (consumer.pending().isEmpty()) {
                continue;
            }
            consumers++;
            c.reply().arrayHeader(2);
            c.reply().bulk(consumer.name(), 0, consumer.name().length);
            c.reply().bulk(consumer.pending().size());
        }
        c.reply().endDeferredArray(mark, consumers);
    }
}
