package io.nuthatch.server.command.stream;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.type.stream.EntryFields;
import io.nuthatch.server.type.stream.StreamId;
import io.nuthatch.server.type.stream.StreamIds;
import io.nuthatch.server.type.stream.StreamValue;

/**
 * The stream commands on entries: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM and XSETID. Reading
 * (XREAD) is in {@link StreamReadCommands}, consumer groups in {@link ConsumerGroupCommands},
 * XINFO in {@link StreamInfoCommands}.
 *
 * <p>XADD propagates the ID it used when it chose it ({@code *}, {@code ms-*}), and approximate
 * trimming as exact trimming to what it left (MAXLEN the length, MINID the first ID), as Redis 7.0
 * does, so that replaying the log gives the same stream.
 */
public final class StreamCommands {
    private static final byte[] EQUALS = {'='};
    private static final byte[] ENTRIESADDED = CommandContext.keyword("ENTRIESADDED");
    private static final byte[] MAXDELETEDID = CommandContext.keyword("MAXDELETEDID");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");

    private static final CommandError XADD_ARITY = Errors.wrongArity("xadd");
    private static final CommandError ZERO_ID = new CommandError("ERR The ID specified in XADD must be greater than 0-0");
    private static final CommandError EXHAUSTED = new CommandError(
            "ERR The stream has exhausted the last possible ID, unable to add more items");
    private static final CommandError ID_TOO_SMALL = new CommandError(
            "ERR The ID specified in XADD is equal or smaller than the target stream top item");
    private static final CommandError TOO_LARGE = new CommandError("ERR Elements are too large to be stored");
    private static final CommandError INVALID_START = new CommandError("ERR invalid start ID for the interval");
    private static final CommandError INVALID_END = new CommandError("ERR invalid end ID for the interval");
    private static final CommandError ENTRIES_ADDED_NEGATIVE = new CommandError("ERR entries_added must be positive");
    private static final CommandError BELOW_MAX_DELETED = new CommandError(
            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
    private static final CommandError BELOW_TOP_ITEM = new CommandError(
            "ERR The ID specified in XSETID is smaller than the target stream top item");
    private static final CommandError BELOW_LENGTH = new CommandError(
            "ERR The entries_added specified in XSETID is smaller than the target stream length");

    // Reused by one command at a time, under the engine.
    private static final TrimOptions OPTIONS = new TrimOptions();
    private static final RequestFields FIELDS = new RequestFields();
    private static final StreamId ID = new StreamId();
    private static final StreamId START = new StreamId();
    private static final StreamId END = new StreamId();
    private static final byte[] SCRATCH = new byte[64];

    private StreamCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("xadd", "Appends an entry to a stream, creating the stream if needed, and trims it if asked.",
                "O(1) when adding, O(N) with N the entries trimmed", StreamCommands::xadd);
        table.command("xlen", "Returns the number of entries of a stream.", "O(1)", StreamCommands::xlen);
        table.command("xrange", "Returns the entries of a stream between two IDs, oldest first.",
                "O(N) with N the entries returned", StreamCommands::xrange);
        table.command("xrevrange", "Returns the entries of a stream between two IDs, newest first.",
                "O(N) with N the entries returned", StreamCommands::xrevrange);
        table.command("xdel", "Deletes entries from a stream by ID.", "O(1) for each ID", StreamCommands::xdel);
        table.command("xtrim", "Removes the oldest entries of a stream, by length or by ID.",
                "O(N) with N the entries removed", StreamCommands::xtrim);
        table.command("xsetid", "Sets the last ID of a stream, and its entries-added and largest deleted ID counters.",
                "O(1)", StreamCommands::xsetid);
    }

    /** The stream a key holds, null for no key. @throws CommandError WRONGTYPE for another type */
    static StreamValue stream(KeyEntry entry) {
        if (entry == null) {
            return null;
        }
        if (entry.value() instanceof StreamValue stream) {
            return stream;
        }
        throw Errors.WRONG_TYPE;
    }

    /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
    static void xadd(CommandContext c) {
        TrimOptions options = OPTIONS;
        options.parse(c, true);
        int firstField = options.idArgument + 1;
        int fieldArguments = c.argumentCount() - firstField;
        if (fieldArguments < 2 || fieldArguments % 2 == 1) {
            throw XADD_ARITY;
        }
        if (options.idGiven && options.sequenceGiven && StreamIds.isZero(options.id.ms, options.id.seq)) {
            throw ZERO_ID;
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        StreamValue stream = stream(entry);
        if (stream == null && options.noMakeStream) {
            c.reply().nullBulk();
            return;
        }
        StreamValue target = stream != null ? stream : new StreamValue();
        if (target.isExhausted()) {
            throw EXHAUSTED;
        }
        StreamId id = ID.set(options.id);
        int accepted = target.nextId(!options.idGiven, options.sequenceGiven, c.now(), id);
        if (accepted == StreamValue.ID_NOT_GREATER) {
            throw ID_TOO_SMALL;
        }
        if (accepted == StreamValue.SEQUENCE_EXHAUSTED) {
            // Redis 7.0 fails this case without saying why, and so reports its other failure.
            throw TOO_LARGE;
        }
        EntryFields fields = FIELDS.of(c.arguments(), firstField);
        long total = 0;
        for (int i = firstField; i < c.argumentCount(); i++) {
            total += c.arguments().length(i);
        }
        if (total > StreamValue.LISTPACK_MAX_SIZE) {
            throw TOO_LARGE;
        }
        if (stream != null) {
            database.writableValue(entry);
        }
        long maxBytes = c.config().encoding.streamNodeMaxBytes.value();
        long maxEntries = c.config().encoding.streamNodeMaxEntries.value();
        target.append(id.ms, id.seq, fields, maxBytes, maxEntries, SCRATCH);
        long trimmed = options.trim(target, false);
        if (stream != null) {
            database.changed(entry);
            // A new stream's readers hear of it from the keyspace; an existing one's from here.
            StreamWaits.signal(c, entry);
        } else {
            database.add(c.arguments(), 1, target);
        }
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XADD, 1);
        if (trimmed > 0) {
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XTRIM, 1);
        }
        StreamReplies.id(c.reply(), id);
        if (c.isPropagating() && (!options.idGiven || !options.sequenceGiven || options.approximate)) {
            propagateAdd(c, options, target, id);
        }
    }

    /** XADD with the ID it used and, after approximate trimming, the exact trim that gives the same result. */
    private static void propagateAdd(CommandContext c, TrimOptions options, StreamValue stream, StreamId id) {
        PropagatedText.reset();
        WritePropagation.RecordBuilder record = c.rewrite();
        for (int i = 0; i < c.argumentCount(); i++) {
            if (i == options.idArgument && (!options.idGiven || !options.sequenceGiven)) {
                PropagatedText.id(record, id.ms, id.seq);
            } else if (options.approximate && i == options.strategyArgument - 1) {
                record.word(EQUALS);
            } else if (options.approximate && i == options.strategyArgument) {
                appendTrimThreshold(record, options, stream);
            } else {
                record.argument(i);
            }
        }
        record.end();
    }

    private static void appendTrimThreshold(WritePropagation.RecordBuilder record, TrimOptions options,
            StreamValue stream) {
        if (options.strategy == TrimOptions.Strategy.MAXLEN) {
            record.number(stream.length());
        } else {
            StreamId first = START;
            stream.firstIdWithTombstones(first);
            PropagatedText.id(record, first.ms, first.seq);
        }
    }

    static void xlen(CommandContext c) {
        StreamValue stream = stream(c.database().lookupRead(c.arguments(), 1));
        c.reply().integer(stream == null ? 0 : stream.length());
    }

    static void xrange(CommandContext c) {
        range(c, false);
    }

    static void xrevrange(CommandContext c) {
        range(c, true);
    }

    /** XRANGE key start end [COUNT count], XREVRANGE key end start [COUNT count] */
    private static void range(CommandContext c, boolean reverse) {
        int startArgument = reverse ? 3 : 2;
        int endArgument = reverse ? 2 : 3;
        StreamId start = START;
        StreamId end = END;
        if (StreamIdArguments.parseInterval(c, startArgument, start, 0) && !start.increment()) {
            throw INVALID_START;
        }
        if (StreamIdArguments.parseInterval(c, endArgument, end, StreamIds.MAX) && !end.decrement()) {
            throw INVALID_END;
        }
        long count = -1;
        for (int i = 4; i < c.argumentCount(); i++) {
            if (c.isKeyword(i, COUNT) && i + 1 < c.argumentCount()) {
                count = Math.max(0, c.longArgument(++i));
            } else {
                throw Errors.SYNTAX;
            }
        }
        StreamValue stream = stream(c.database().lookupRead(c.arguments(), 1));
        if (stream == null) {
            c.reply().arrayHeader(0);
            return;
        }
        if (count == 0) {
            c.reply().nullArray();
            return;
        }
        StreamReplies.range(c.reply(), stream, start, end, count == -1 ? 0 : count, reverse);
    }

    /** XDEL key id [id ...] */
    static void xdel(CommandContext c) {
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        StreamValue stream = stream(entry);
        if (stream == null) {
            c.reply().integer(0);
            return;
        }
        StreamId id = ID;
        for (int i = 2; i < c.argumentCount(); i++) {
            StreamIdArguments.parseStrict(c, i, id, 0);
        }
        long deleted = 0;
        for (int i = 2; i < c.argumentCount(); i++) {
            StreamIdArguments.parseStrict(c, i, id, 0);
            if (stream.contains(id.ms, id.seq)) {
                if (deleted == 0) {
                    database.writableValue(entry);
                }
                stream.delete(id.ms, id.seq);
                deleted++;
            }
        }
        if (deleted > 0) {
            database.changed(entry);
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XDEL, 1);
        }
        c.reply().integer(deleted);
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
    static void xtrim(CommandContext c) {
        TrimOptions options = OPTIONS;
        options.parse(c, false);
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        StreamValue stream = stream(entry);
        if (stream == null || options.trim(stream, true) == 0) {
            c.reply().integer(0);
            return;
        }
        database.writableValue(entry);
        long removed = options.trim(stream, false);
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XTRIM, 1);
        c.reply().integer(removed);
        if (c.isPropagating() && options.approximate) {
            PropagatedText.reset();
            WritePropagation.RecordBuilder record = c.rewrite();
            for (int i = 0; i < c.argumentCount(); i++) {
                if (i == options.strategyArgument - 1) {
                    record.word(EQUALS);
                } else if (i == options.strategyArgument) {
                    appendTrimThreshold(record, options, stream);
                } else {
                    record.argument(i);
                }
            }
            record.end();
        }
    }

    /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
    static void xsetid(CommandContext c) {
        StreamId id = ID;
        StreamIdArguments.parseStrict(c, 2, id, 0);
        long entriesAdded = -1;
        StreamId maxDeleted = END.set(0, 0);
        for (int i = 3; i < c.argumentCount(); i++) {
            boolean more = i + 1 < c.argumentCount();
            if (c.isKeyword(i, ENTRIESADDED) && more) {
                entriesAdded = c.longArgument(++i);
                if (entriesAdded < 0) {
                    throw ENTRIES_ADDED_NEGATIVE;
                }
            } else if (c.isKeyword(i, MAXDELETEDID) && more) {
                StreamIdArguments.parseStrict(c, ++i, maxDeleted, 0);
                if (id.compareTo(maxDeleted) < 0) {
                    throw BELOW_MAX_DELETED;
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        if (entry == null) {
            throw Errors.NO_SUCH_KEY;
        }
        StreamValue stream = stream(entry);
        if (stream.length() > 0) {
            StreamId top = START;
            stream.lastLiveId(top);
            if (id.compareTo(top) < 0) {
                throw BELOW_TOP_ITEM;
            }
            if (entriesAdded != -1 && stream.length() > entriesAdded) {
                throw BELOW_LENGTH;
            }
        }
        database.writableValue(entry);
        stream.setLastId(id.ms, id.seq, entriesAdded, maxDeleted.ms, maxDeleted.seq);
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XSETID, 1);
        c.reply().ok();
    }

    /** The field-value pairs of XADD, read in place from the request; reused. */
    static final class RequestFields implements EntryFields {
        private RequestArguments arguments;
        private int first;

        RequestFields of(RequestArguments arguments, int first) {
            this.arguments = arguments;
            this.first = first;
            return this;
        }

        @Override
        public int pairs() {
            return (arguments.count() - first) / 2;
        }

        @Override
        public byte[] array(int element) {
            return arguments.array(first + element);
        }

        @Override
        public int offset(int element) {
            return arguments.offset(first + element);
        }

        @Override
        public int length(int element) {
            return arguments.length(first + element);
        }
    }
}
