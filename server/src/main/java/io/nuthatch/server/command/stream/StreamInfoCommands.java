package io.nuthatch.server.command.stream;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.type.stream.Consumer;
import io.nuthatch.server.type.stream.ConsumerGroup;
import io.nuthatch.server.type.stream.PendingEntry;
import io.nuthatch.server.type.stream.StreamGroups;
import io.nuthatch.server.type.stream.StreamId;
import io.nuthatch.server.type.stream.StreamIds;
import io.nuthatch.server.type.stream.StreamValue;

import java.util.List;

/**
 * XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP, with Redis 7.0's
 * fields in Redis 7.0's order: the counters behind consumer-group lag (max-deleted-entry-id,
 * entries-added, recorded-first-entry-id, entries-read, lag), and the shape of the radix tree
 * Redis would hold the nodes in (radix-tree-keys, radix-tree-nodes).
 */
public final class StreamInfoCommands {
    private static final byte[] FULL = CommandContext.keyword("FULL");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");
    /** Entries and pending entries XINFO STREAM FULL shows when no COUNT says otherwise. */
    private static final long DEFAULT_FULL_COUNT = 10;

    private static final List<String> HELP = List.of(
            "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
            "HELP",
            "    Prints this help.");

    private static final StreamId FIRST = new StreamId();
    private static final StreamId LAST = new StreamId();

    private StreamInfoCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.subcommand("xinfo", "stream", "Returns what a stream holds and how, optionally in full.",
                "O(1), O(N) with FULL for the N entries shown", StreamInfoCommands::stream);
        table.subcommand("xinfo", "groups", "Returns the consumer groups of a stream.", "O(1) for each group",
                StreamInfoCommands::groups);
        table.subcommand("xinfo", "consumers", "Returns the consumers of a consumer group.",
                "O(1) for each consumer", StreamInfoCommands::consumers);
        table.subcommand("xinfo", "help", "Describes the XINFO subcommands.", "O(1)",
                c -> ConsumerGroupCommands.writeHelp(c, HELP));
    }

    private static StreamValue existing(CommandContext c) {
        StreamValue stream = StreamCommands.stream(c.database().lookupRead(c.arguments(), 2));
        if (stream == null) {
            throw Errors.NO_SUCH_KEY;
        }
        return stream;
    }

    /** XINFO STREAM key [FULL [COUNT count]] */
    static void stream(CommandContext c) {
        StreamValue stream = existing(c);
        int options = c.argumentCount() - 3;
        boolean full = options > 0;
        long count = DEFAULT_FULL_COUNT;
        if (full) {
            if ((options != 1 && options != 3) || !c.isKeyword(3, FULL)) {
                throw ConsumerGroupCommands.subcommandSyntaxError(c);
            }
            if (options == 3) {
                if (!c.isKeyword(4, COUNT)) {
                    throw ConsumerGroupCommands.subcommandSyntaxError(c);
                }
                count = c.longArgument(5);
                if (count < 0) {
                    count = DEFAULT_FULL_COUNT;
                }
            }
        }
        ReplyWriter reply = c.reply();
        reply.mapHeader(full ? 9 : 10);
        reply.bulk("length");
        reply.integer(stream.length());
        reply.bulk("radix-tree-keys");
        reply.integer(stream.nodes());
        reply.bulk("radix-tree-nodes");
        reply.integer(stream.radixTreeNodes());
        reply.bulk("last-generated-id");
        StreamReplies.id(reply, stream.lastMs(), stream.lastSeq());
        reply.bulk("max-deleted-entry-id");
        StreamReplies.id(reply, stream.maxDeletedMs(), stream.maxDeletedSeq());
        reply.bulk("entries-added");
        reply.integer(stream.entriesAdded());
        reply.bulk("recorded-first-entry-id");
        StreamReplies.id(reply, stream.firstMs(), stream.firstSeq());
        if (!full) {
            reply.bulk("groups");
            reply.integer(stream.groups() == null ? 0 : stream.groups().size());
            StreamId first = FIRST.set(0, 0);
            StreamId last = LAST.set(StreamIds.MAX, StreamIds.MAX);
            reply.bulk("first-entry");
            if (StreamReplies.rawRange(reply, stream, first, last, 1, false) == 0) {
                reply.nullBulk();
            }
            reply.bulk("last-entry");
            if (StreamReplies.rawRange(reply, stream, first, last, 1, true) == 0) {
                reply.nullBulk();
            }
            return;
        }
        reply.bulk("entries");
        StreamReplies.range(reply, stream, FIRST.set(0, 0), LAST.set(StreamIds.MAX, StreamIds.MAX), count, false);
        reply.bulk("groups");
        StreamGroups groups = stream.groups();
        int groupCount = groups == null ? 0 : groups.size();
        reply.arrayHeader(groupCount);
        for (int i = 0; i < groupCount; i++) {
            fullGroup(reply, stream, groups.group(i), count);
        }
    }

    private static void fullGroup(ReplyWriter reply, StreamValue stream, ConsumerGroup group, long count) {
        reply.mapHeader(7);
        reply.bulk("name");
        reply.bulk(group.name());
        reply.bulk("last-delivered-id");
        StreamReplies.id(reply, group.lastMs(), group.lastSeq());
        reply.bulk("entries-read");
        entriesRead(reply, group);
        reply.bulk("lag");
        lag(reply, stream, group);
        reply.bulk("pel-count");
        reply.integer(group.pending().size());
        reply.bulk("pending");
        int mark = reply.beginDeferred();
        long written = 0;
        for (PendingEntry pending : group.pending()) {
            if (count != 0 && written == count) {
                break;
            }
            reply.arrayHeader(4);
            StreamReplies.id(reply, pending.ms(), pending.seq());
            reply.bulk(pending.consumer().name());
            reply.integer(pending.deliveryTime());
            reply.integer(pending.deliveryCount());
            written++;
        }
        reply.endDeferredArray(mark, written);
        reply.bulk("consumers");
        reply.arrayHeader(group.consumerCount());
        for (int i = 0; i < group.consumerCount(); i++) {
            Consumer consumer = group.consumer(i);
            reply.mapHeader(4);
            reply.bulk("name");
            reply.bulk(consumer.name());
            reply.bulk("seen-time");
            reply.integer(consumer.seenTime());
            reply.bulk("pel-count");
            reply.integer(consumer.pending().size());
            reply.bulk("pending");
            int consumerMark = reply.beginDeferred();
            long consumerWritten = 0;
            for (PendingEntry pending : consumer.pending()) {
                if (count != 0 && consumerWritten == count) {
                    break;
                }
                reply.arrayHeader(3);
                StreamReplies.id(reply, pending.ms(), pending.seq());
                reply.integer(pending.deliveryTime());
                reply.integer(pending.deliveryCount());
                consumerWritten++;
            }
            reply.endDeferredArray(consumerMark, consumerWritten);
        }
    }

    private static void entriesRead(ReplyWriter reply, ConsumerGroup group) {
        if (group.entriesRead() == ConsumerGroup.UNKNOWN) {
            reply.nullBulk();
        } else {
            reply.integer(group.entriesRead());
        }
    }

    private static void lag(ReplyWriter reply, StreamValue stream, ConsumerGroup group) {
        long lag = group.lag(stream);
        if (lag == ConsumerGroup.UNKNOWN_LAG) {
            reply.nullBulk();
        } else {
            reply.integer(lag);
        }
    }

    /** XINFO GROUPS key */
    static void groups(CommandContext c) {
        StreamValue stream = existing(c);
        StreamGroups groups = stream.groups();
        ReplyWriter reply = c.reply();
        int count = groups == null ? 0 : groups.size();
        reply.arrayHeader(count);
        for (int i = 0; i < count; i++) {
            ConsumerGroup group = groups.group(i);
            reply.mapHeader(6);
            reply.bulk("name");
            reply.bulk(group.name());
            reply.bulk("consumers");
            reply.integer(group.consumerCount());
            reply.bulk("pending");
            reply.integer(group.pending().size());
            reply.bulk("last-delivered-id");
            StreamReplies.id(reply, group.lastMs(), group.lastSeq());
            reply.bulk("entries-read");
            entriesRead(reply, group);
            reply.bulk("lag");
            lag(reply, stream, group);
        }
    }

    /** XINFO CONSUMERS key group */
    static void consumers(CommandContext c) {
        StreamValue stream = existing(c);
        ConsumerGroup group = stream.groups() == null ? null : StreamReadCommands.findGroup(c, stream.groups(), 3);
        if (group == null) {
            throw new io.nuthatch.server.command.CommandError("NOGROUP No such consumer group '" + Texts.cString(c, 3)
                    + "' for key name '" + Texts.cString(c, 2) + "'");
        }
        ReplyWriter reply = c.reply();
        long now = c.now();
        reply.arrayHeader(group.consumerCount());
        for (int i = 0; i < group.consumerCount(); i++) {
            Consumer consumer = group.consumer(i);
            reply.mapHeader(3);
            reply.bulk("name");
            reply.bulk(consumer.name());
            reply.bulk("pending");
            reply.integer(consumer.pending().size());
            reply.bulk("idle");
            reply.integer(Math.max(0, now - consumer.seenTime()));
        }
    }
}
