package io.nuthatch.server.command.stream;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.stream.Consumer;
import io.nuthatch.server.type.stream.ConsumerGroup;
import io.nuthatch.server.type.stream.EntryCursor;
import io.nuthatch.server.type.stream.PendingEntry;
import io.nuthatch.server.type.stream.StreamGroups;
import io.nuthatch.server.type.stream.StreamId;
import io.nuthatch.server.type.stream.StreamIds;
import io.nuthatch.server.type.stream.StreamValue;

import java.util.Arrays;

/**
 * XREAD and XREADGROUP: the entries of several streams after an ID each, and, for a consumer of a
 * group, the entries never delivered to the group ({@code >}) or the consumer's own pending ones
 * (any other ID).
 *
 * <p>A read serves at once every stream that has something for it; a read that could serve none
 * and has BLOCK parks the client until an entry is added (see {@link StreamWaits}). XREADGROUP
 * {@code >} gives each entry to the consumer and records it pending (unless NOACK), and is
 * propagated as the XCLAIMs that recreate those pending entries ({@link GroupPropagation}).
 */
public final class StreamReadCommands {
    private static final byte[] BLOCK = CommandContext.keyword("BLOCK");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");
    private static final byte[] STREAMS = CommandContext.keyword("STREAMS");
    private static final byte[] GROUP = CommandContext.keyword("GROUP");
    private static final byte[] NOACK = CommandContext.keyword("NOACK");

    private static final CommandError UNBALANCED = new CommandError("ERR Unbalanced XREAD list of streams: for each"
            + " stream key an ID or '$' must be specified.");
    private static final CommandError GROUP_IN_XREAD = new CommandError(
            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
    private static final CommandError NOACK_IN_XREAD = new CommandError(
            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
    private static final CommandError MISSING_GROUP = new CommandError("ERR Missing GROUP option for XREADGROUP");
    private static final CommandError DOLLAR_IN_GROUP = new CommandError("ERR The $ ID is meaningless in the context"
            + " of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the >"
            + " ID to get new messages. The $ ID would just return an empty result set.");
    private static final CommandError GREATER_IN_XREAD = new CommandError("ERR The > ID can be specified only when"
            + " calling XREADGROUP using the GROUP <group> <consumer> option.");
    static final CommandError TIMEOUT_NOT_INTEGER = new CommandError("ERR timeout is not an integer or out of range");
    static final CommandError TIMEOUT_NEGATIVE = new CommandError("ERR timeout is negative");
    static final CommandError TIMEOUT_OUT_OF_RANGE = new CommandError("ERR timeout is out of range");

    /** How many entries a blocked read returns when it gave no COUNT (XREAD_BLOCKED_DEFAULT_COUNT). */
    static final long BLOCKED_DEFAULT_COUNT = 1000;

    // Reused by one command at a time, under the engine: the parsed read.
    private static final Read READ = new Read();
    private static final StreamId START = new StreamId();
    private static final StreamId LAST = new StreamId();
    private static final StreamChange CHANGE = new StreamChange();

    private StreamReadCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("xread", "Returns the entries of streams after the IDs given, waiting for new ones with BLOCK.",
                "O(N) with N the entries returned", c -> read(c, false));
        table.command("xreadgroup", "Returns new entries of streams to a consumer of a group, or its pending entries.",
                "O(M) with M the entries returned", c -> read(c, true));
    }

    /** The arguments of one read, parsed. */
    static final class Read {
        boolean group;
        long timeout;
        long count;
        boolean noAck;
        int groupArgument;
        int streamsArgument;
        int streams;
        long[] ms = new long[8];
        long[] seq = new long[8];
        ConsumerGroup[] groups = new ConsumerGroup[8];

        int keyArgument(int stream) {
            return streamsArgument + stream;
        }

        /** Whether stream {@code i} was given {@code >}, kept as the largest ID. */
        boolean isNew(int stream) {
            return ms[stream] == StreamIds.MAX && seq[stream] == StreamIds.MAX;
        }
    }

    private static void read(CommandContext c, boolean group) {
        Read read = parse(c, group);
        if (serve(c, read)) {
            return;
        }
        if (read.timeout != -1) {
            StreamWaits.block(c, read);
            return;
        }
        c.reply().nullArray();
    }

    private static Read parse(CommandContext c, boolean group) {
        Read read = READ;
        read.group = group;
        read.timeout = -1;
        read.count = 0;
        read.noAck = false;
        read.groupArgument = -1;
        read.streamsArgument = 0;
        int count = c.argumentCount();
        for (int i = 1; i < count; i++) {
            int more = count - i - 1;
            if (c.isKeyword(i, BLOCK) && more > 0) {
                read.timeout = timeout(c, ++i);
            } else if (c.isKeyword(i, COUNT) && more > 0) {
                read.count = Math.max(0, c.longArgument(++i));
            } else if (c.isKeyword(i, STREAMS) && more > 0) {
                read.streamsArgument = i + 1;
                int rest = count - read.streamsArgument;
                if (rest % 2 != 0) {
                    throw UNBALANCED;
                }
                read.streams = rest / 2;
                break;
            } else if (c.isKeyword(i, GROUP) && more >= 2) {
                if (!group) {
                    throw GROUP_IN_XREAD;
                }
                read.groupArgument = i + 1;
                i += 2;
            } else if (c.isKeyword(i, NOACK)) {
                if (!group) {
                    throw NOACK_IN_XREAD;
                }
                read.noAck = true;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (read.streamsArgument == 0) {
            throw Errors.SYNTAX;
        }
        if (group && read.groupArgument < 0) {
            throw MISSING_GROUP;
        }
        if (read.ms.length < read.streams) {
            int size = Math.max(read.streams, read.ms.length * 2);
            read.ms = new long[size];
            read.seq = new long[size];
            read.groups = new ConsumerGroup[size];
        }
        Arrays.fill(read.groups, null);
        Database database = c.database();
        StreamId id = START;
        for (int i = 0; i < read.streams; i++) {
            int keyArgument = read.keyArgument(i);
            int idArgument = keyArgument + read.streams;
            StreamValue stream = StreamCommands.stream(database.lookupRead(c.arguments(), keyArgument));
            if (group) {
                ConsumerGroup found = stream == null || stream.groups() == null ? null
                        : findGroup(c, stream.groups(), read.groupArgument);
                if (found == null) {
                    throw new CommandError("NOGROUP No such key '" + Texts.cString(c, keyArgument)
                            + "' or consumer group '" + Texts.cString(c, read.groupArgument)
                            + "' in XREADGROUP with GROUP option");
                }
                read.groups[i] = found;
            }
            if (Texts.isCString(c, idArgument, '$')) {
                if (group) {
                    throw DOLLAR_IN_GROUP;
                }
                read.ms[i] = stream == null ? 0 : stream.lastMs();
                read.seq[i] = stream == null ? 0 : stream.lastSeq();
            } else if (Texts.isCString(c, idArgument, '>')) {
                if (!group) {
                    throw GREATER_IN_XREAD;
                }
                read.ms[i] = StreamIds.MAX;
                read.seq[i] = StreamIds.MAX;
            } else {
                StreamIdArguments.parseStrict(c, idArgument, id, 0);
                read.ms[i] = id.ms;
                read.seq[i] = id.seq;
            }
        }
        return read;
    }

    /** BLOCK's milliseconds (Redis's getTimeoutFromObjectOrReply in milliseconds); 0 waits forever. */
    private static long timeout(CommandContext c, int index) {
        long timeout = c.longArgument(index, TIMEOUT_NOT_INTEGER);
        if (timeout < 0) {
            throw TIMEOUT_NEGATIVE;
        }
        if (timeout > 0 && timeout > Long.MAX_VALUE - c.now()) {
            throw TIMEOUT_OUT_OF_RANGE;
        }
        return timeout;
    }

    static ConsumerGroup findGroup(CommandContext c, StreamGroups groups, int nameArgument) {
        return groups.find(c.arguments().array(nameArgument), c.arguments().offset(nameArgument),
                c.arguments().length(nameArgument));
    }

    /**
     * Replies with the entries of every stream that has some for the read; false, with nothing
     * written, when none has.
     */
    private static boolean serve(CommandContext c, Read read) {
        Database database = c.database();
        ReplyWriter reply = c.reply();
        int served = 0;
        int mark = 0;
        boolean recorded = false;
        boolean changed = false;
        if (read.group && c.isPropagating()) {
            PropagatedText.reset();
        }
        StreamId after = LAST;
        for (int i = 0; i < read.streams; i++) {
            int keyArgument = read.keyArgument(i);
            KeyEntry entry = database.lookupRead(c.arguments(), keyArgument);
            if (entry == null) {
                continue;
            }
            StreamValue stream = (StreamValue) entry.value();
            after.set(read.ms[i], read.seq[i]);
            ConsumerGroup group = read.groups[i];
            boolean history = false;
            boolean now;
            if (group != null) {
                history = !read.isNew(i);
                now = history || hasEntriesAfter(stream, group.lastMs(), group.lastSeq());
                if (!history) {
                    after.set(group.lastMs(), group.lastSeq());
                }
            } else {
                now = hasEntriesAfter(stream, after.ms, after.seq);
            }
            if (!now) {
                continue;
            }
            if (served++ == 0) {
                mark = reply.beginDeferred();
            }
            if (!reply.isResp3()) {
                reply.arrayHeader(2);
            }
            reply.bulk(c.arguments().array(keyArgument), c.arguments().offset(keyArgument),
                    c.arguments().length(keyArgument));
            after.increment();
            if (group == null) {
                StreamReplies.rangeFrom(reply, stream, after, read.count);
                continue;
            }
            StreamChange change = CHANGE.of(database, entry);
            change.beforeChange();
            recorded |= serveGroup(c, read, keyArgument, stream, group, after, history, read.count);
            changed |= change.close();
        }
        if (served == 0) {
            return false;
        }
        if (reply.isResp3()) {
            reply.endDeferredMap(mark, served);
        } else {
            reply.endDeferredArray(mark, served);
        }
        if (changed && !recorded) {
            c.suppressPropagation();
        }
        return true;
    }

    /** Whether the stream has a live entry after the ID (Redis compares with its last valid ID). */
    static boolean hasEntriesAfter(StreamValue stream, long ms, long seq) {
        if (stream.length() == 0) {
            return false;
        }
        StreamId last = START;
        stream.lastLiveId(last);
        return last.compareTo(ms, seq) > 0;
    }

    /**
     * Serves one stream of a group read: the consumer's pending entries from {@code start}
     * ({@code history}), or the entries after the group's last delivered ID, delivered to the
     * consumer. The stream is open for writing. Returns whether it built propagated records.
     */
    static boolean serveGroup(CommandContext c, Read read, int keyArgument, StreamValue stream, ConsumerGroup group,
            StreamId start, boolean history, long count) {
        int consumerArgument = read.groupArgument + 1;
        byte[] name = c.arguments().array(consumerArgument);
        int offset = c.arguments().offset(consumerArgument);
        int length = c.arguments().length(consumerArgument);
        Consumer consumer = group.consumer(name, offset, length);
        boolean recorded = false;
        if (consumer == null) {
            consumer = group.createConsumer(name, offset, length, c.now());
            if (read.noAck && c.isPropagating()) {
                GroupPropagation.consumerCreated(c, keyArgument, read.groupArgument, consumer.name());
                recorded = true;
            }
        } else {
            consumer.seen(c.now());
        }
        if (history) {
            replyHistory(c, stream, group, consumer, start, count);
            return recorded;
        }
        ReplyWriter reply = c.reply();
        int mark = reply.beginDeferred();
        EntryCursor cursor = StreamReplies.CURSOR.forward(stream, start.ms, start.seq, StreamIds.MAX, StreamIds.MAX);
        long written = 0;
        boolean lastIdMoved = false;
        while ((count == 0 || written < count) && cursor.next()) {
            lastIdMoved |= group.delivered(stream, cursor.ms(), cursor.seq()) && read.noAck;
            long ms = cursor.ms();
            long seq = cursor.seq();
            StreamReplies.entry(reply, cursor);
            if (!read.noAck) {
                PendingEntry pending = group.deliver(ms, seq, consumer, c.now());
                if (c.isPropagating()) {
                    GroupPropagation.claim(c, keyArgument, read.groupArgument, -1, group, pending);
                    recorded = true;
                }
            }
            written++;
        }
        if (lastIdMoved && c.isPropagating()) {
            GroupPropagation.lastId(c, keyArgument, read.groupArgument, group);
            recorded = true;
        }
        reply.endDeferredArray(mark, written);
        return recorded;
    }

    /**
     * The consumer's own pending entries from {@code start}: each with its fields, counted as
     * delivered once more, or with a null in their place when the entry is no longer in the stream.
     */
    private static void replyHistory(CommandContext c, StreamValue stream, ConsumerGroup group, Consumer consumer,
            StreamId start, long count) {
        ReplyWriter reply = c.reply();
        int mark = reply.beginDeferred();
        long written = 0;
        for (PendingEntry pending : group.pendingFrom(consumer, start.ms, start.seq)) {
            if (count != 0 && written == count) {
                break;
            }
            if (StreamReplies.single(reply, stream, pending.ms(), pending.seq())) {
                group.redelivered(pending, c.now());
            } else {
                reply.arrayHeader(2);
                StreamReplies.id(reply, pending.ms(), pending.seq());
                reply.nullArray();
            }
            written++;
        }
        reply.endDeferredArray(mark, written);
    }
}
