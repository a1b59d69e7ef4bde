package io.nuthatch.server.command.stream;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.blocking.BlockingTimeout;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.stream.ConsumerGroup;
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

    /** How many entries a blocked read returns when it gave no COUNT (XREAD_BLOCKED_DEFAULT_COUNT). */
    static final long BLOCKED_DEFAULT_COUNT = 1000;

    // Reused by one command at a time, under the engine: the parsed read.
    private static final Read READ = new Read();
    private static final StreamId START = new StreamId();
    private static final StreamId LAST = new StreamId();
    private static final StreamChange CHANGE = new StreamChange();
    private static final CommandTarget TARGET = new CommandTarget();

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
        if (read.timeout != -1 && c.mayBlock()) {
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
                read.timeout = BlockingTimeout.milliseconds(c, ++i);
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
        CommandTarget target = TARGET;
        target.recorded = false;
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
            int consumer = read.groupArgument + 1;
            GroupRead.serve(target.of(c, keyArgument, read.groupArgument), stream, group,
                    c.arguments().array(consumer), c.arguments().offset(consumer), c.arguments().length(consumer),
                    read.noAck, after, history, read.count);
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
        if (changed && !target.recorded) {
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

    /** A group read run as a command: its reply, and records that take the command's place. */
    private static final class CommandTarget implements GroupRead.Target {
        private CommandContext c;
        private int keyArgument;
        private int groupArgument;
        private boolean recorded;

        CommandTarget of(CommandContext c, int keyArgument, int groupArgument) {
            this.c = c;
            this.keyArgument = keyArgument;
            this.groupArgument = groupArgument;
            return this;
        }

        @Override
        public ReplyWriter reply() {
            return c.reply();
        }

        @Override
        public long now() {
            return c.now();
        }

        @Override
        public boolean isPropagating() {
            return c.isPropagating();
        }

        @Override
        public void claimed(ConsumerGroup group, PendingEntry entry) {
            GroupPropagation.claim(c, keyArgument, groupArgument, -1, group, entry);
            recorded = true;
        }

        @Override
        public void lastIdMoved(ConsumerGroup group) {
            GroupPropagation.lastId(c, keyArgument, groupArgument, group);
            recorded = true;
        }

        @Override
        public void consumerCreated(byte[] name) {
            GroupPropagation.consumerCreated(c, keyArgument, groupArgument, name);
            recorded = true;
        }

        @Override
        public void notifyConsumerCreated() {
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XGROUP_CREATECONSUMER, keyArgument);
        }
    }
}
