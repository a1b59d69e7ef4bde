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

import java.util.Arrays;

/**
 * XCLAIM and XAUTOCLAIM: giving pending entries of a group to another consumer, the ones idle long
 * enough. An entry pending in the group but deleted from the stream is dropped from the pending
 * list instead (and XAUTOCLAIM reports it). Each claim, and each drop, propagates as the XCLAIM
 * that reproduces it ({@link GroupPropagation}); XCLAIM's LASTID alone as XGROUP SETID.
 */
public final class ClaimCommands {
    private static final byte[] FORCE = CommandContext.keyword("FORCE");
    private static final byte[] JUSTID = CommandContext.keyword("JUSTID");
    private static final byte[] IDLE = CommandContext.keyword("IDLE");
    private static final byte[] TIME = CommandContext.keyword("TIME");
    private static final byte[] RETRYCOUNT = CommandContext.keyword("RETRYCOUNT");
    private static final byte[] LASTID = CommandContext.keyword("LASTID");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");

    private static final CommandError XCLAIM_MIN_IDLE = new CommandError(
            "ERR Invalid min-idle-time argument for XCLAIM");
    private static final CommandError XCLAIM_IDLE = new CommandError("ERR Invalid IDLE option argument for XCLAIM");
    private static final CommandError XCLAIM_TIME = new CommandError("ERR Invalid TIME option argument for XCLAIM");
    private static final CommandError XCLAIM_RETRYCOUNT = new CommandError(
            "ERR Invalid RETRYCOUNT option argument for XCLAIM");
    private static final CommandError XAUTOCLAIM_MIN_IDLE = new CommandError(
            "ERR Invalid min-idle-time argument for XAUTOCLAIM");
    private static final CommandError COUNT_NOT_POSITIVE = new CommandError("ERR COUNT must be > 0");
    private static final CommandError COUNT_TOO_HIGH = new CommandError(
            "ERR Insufficient memory, failed allocating transient memory, COUNT too high.");
    private static final CommandError INVALID_START = new CommandError("ERR invalid start ID for the interval");

    /** Redis caps COUNT so that its array of COUNT IDs and its 10 * COUNT attempts cannot overflow. */
    private static final long MAX_COUNT = Long.MAX_VALUE / 16;
    /**
     * Redis allocates an array of COUNT IDs (16 bytes each) before it claims anything, and answers
     * with an error when the allocation fails. Where it fails depends on the machine's address
     * space; a Linux process cannot map 64 TB, so past that Redis always refuses, and so do we.
     */
    private static final long ALLOCATABLE_COUNT = (1L << 46) / 16;
    /** XAUTOCLAIM looks at up to this many pending entries for each one it may claim. */
    private static final long ATTEMPTS_PER_COUNT = 10;

    private static final StreamId ID = new StreamId();
    private static final StreamId LAST_ID = new StreamId();
    private static final StreamChange CHANGE = new StreamChange();

    private ClaimCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("xclaim", "Gives pending entries of a consumer group to another consumer.",
                "O(log N) for each ID", ClaimCommands::xclaim);
        table.command("xautoclaim", "Gives the pending entries of a consumer group idle long enough to another"
                + " consumer, scanning from a cursor.", "O(1) for each entry looked at", ClaimCommands::xautoclaim);
    }

    private static ConsumerGroup group(CommandContext c, StreamValue stream) {
        ConsumerGroup group = stream == null || stream.groups() == null ? null
                : StreamReadCommands.findGroup(c, stream.groups(), 2);
        if (group == null) {
            throw new CommandError("NOGROUP No such key '" + Texts.cString(c, 1) + "' or consumer group '"
                    + Texts.cString(c, 2) + "'");
        }
        return group;
    }

    /**
     * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms] [RETRYCOUNT count]
     * [FORCE] [JUSTID] [LASTID id]
     */
    static void xclaim(CommandContext c) {
        Database database = c.database();
        KeyEntry entry = database.lookupRead(c.arguments(), 1);
        StreamValue stream = StreamCommands.stream(entry);
        ConsumerGroup group = group(c, stream);
        long minIdle = Math.max(0, c.longArgument(4, XCLAIM_MIN_IDLE));
        int count = c.argumentCount();
        StreamId id = ID;
        int lastIdArgument = 5;
        while (lastIdArgument < count && StreamIdArguments.isStrictId(c, lastIdArgument, id)) {
            lastIdArgument++;
        }
        long now = c.now();
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = LAST_ID.set(0, 0);
        for (int j = lastIdArgument; j < count; j++) {
            boolean more = j + 1 < count;
            if (c.isKeyword(j, FORCE)) {
                force = true;
            } else if (c.isKeyword(j, JUSTID)) {
                justId = true;
            } else if (c.isKeyword(j, IDLE) && more) {
                deliveryTime = now - c.longArgument(++j, XCLAIM_IDLE);
            } else if (c.isKeyword(j, TIME) && more) {
                deliveryTime = c.longArgument(++j, XCLAIM_TIME);
            } else if (c.isKeyword(j, RETRYCOUNT) && more) {
                retryCount = c.longArgument(++j, XCLAIM_RETRYCOUNT);
            } else if (c.isKeyword(j, LASTID) && more) {
                StreamIdArguments.parseStrict(c, ++j, lastId, 0);
            } else {
                throw new CommandError("ERR Unrecognized XCLAIM option '" + Texts.cString(c, j) + "'");
            }
        }
        // A bogus time (in the future, or before 1970) is read as now rather than refused: clients
        // compute IDLE from clocks that may disagree with ours.
        if (deliveryTime < 0 || deliveryTime > now) {
            deliveryTime = now;
        }
        boolean propagating = c.isPropagating();
        if (propagating) {
            PropagatedText.reset();
        }
        StreamChange change = CHANGE.of(database, entry);
        boolean lastIdToPropagate = false;
        if (lastId.compareTo(group.lastMs(), group.lastSeq()) > 0) {
            change.beforeChange();
            group.setLastId(lastId.ms, lastId.seq, group.entriesRead());
            lastIdToPropagate = true;
        }
        Consumer consumer = null;
        int mark = c.reply().beginDeferred();
        long claimed = 0;
        for (int j = 5; j < lastIdArgument; j++) {
            StreamIdArguments.parseStrict(c, j, id, 0);
            PendingEntry pending = group.pending(id.ms, id.seq);
            if (!stream.contains(id.ms, id.seq)) {
                if (pending != null) {
                    change.beforeChange();
                    if (propagating) {
                        GroupPropagation.claim(c, 1, 2, j, group, pending);
                    }
                    lastIdToPropagate = false;
                    group.remove(pending);
                }
                continue;
            }
            if (force && pending == null) {
                change.beforeChange();
                pending = group.createPending(id.ms, id.seq);
            }
            if (pending == null) {
                continue;
            }
            if (pending.consumer() != null && minIdle != 0 && now - pending.deliveryTime() < minIdle) {
                continue;
            }
            change.beforeChange();
            if (consumer == null) {
                consumer = consumerFor(c, group, now);
            }
            long deliveries = retryCount >= 0 ? retryCount
                    : justId ? pending.deliveryCount() : pending.deliveryCount() + 1;
            group.claim(pending, consumer, deliveryTime, deliveries);
            if (justId) {
                StreamReplies.id(c.reply(), id);
            } else {
                StreamReplies.single(c.reply(), stream, id.ms, id.seq);
            }
            claimed++;
            if (propagating) {
                GroupPropagation.claim(c, 1, 2, j, group, pending);
            }
            lastIdToPropagate = false;
        }
        if (lastIdToPropagate && propagating) {
            GroupPropagation.lastId(c, 1, 2, group);
        }
        c.reply().endDeferredArray(mark, claimed);
        change.close();
    }

    /** The consumer named by argument 3, created if it does not exist; either way seen now. */
    private static Consumer consumerFor(CommandContext c, ConsumerGroup group, long now) {
        Consumer consumer = group.consumer(c.arguments().array(3), c.arguments().offset(3), c.arguments().length(3));
        if (consumer == null) {
            consumer = group.createConsumer(c.arguments().array(3), c.arguments().offset(3), c.arguments().length(3),
                    now);
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XGROUP_CREATECONSUMER, 1);
            return consumer;
        }
        consumer.seen(now);
        return consumer;
    }

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
    static void xautoclaim(CommandContext c) {
        long minIdle = Math.max(0, c.longArgument(4, XAUTOCLAIM_MIN_IDLE));
        StreamId start = ID;
        if (StreamIdArguments.parseInterval(c, 5, start, 0) && !start.increment()) {
            throw INVALID_START;
        }
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < c.argumentCount(); j++) {
            if (c.isKeyword(j, COUNT) && j + 1 < c.argumentCount()) {
                count = c.longArgument(++j, COUNT_NOT_POSITIVE);
                if (count < 1 || count > MAX_COUNT) {
                    throw COUNT_NOT_POSITIVE;
                }
            } else if (c.isKeyword(j, JUSTID)) {
                justId = true;
            } else {
                throw Errors.SYNTAX;
            }
        }
        Database database = c.database();
        KeyEntry entry = database.lookupRead(c.arguments(), 1);
        StreamValue stream = StreamCommands.stream(entry);
        ConsumerGroup group = group(c, stream);
        if (count > ALLOCATABLE_COUNT) {
            throw COUNT_TOO_HIGH;
        }
        boolean propagating = c.isPropagating();
        if (propagating) {
            PropagatedText.reset();
        }
        StreamChange change = CHANGE.of(database, entry);
        long now = c.now();
        long attempts = count * ATTEMPTS_PER_COUNT;
        Consumer consumer = null;
        // Claimed and dropped IDs, ms and seq alternately: the reply lists them after the cursor,
        // which is known only once the scan ends.
        long[] claimedIds = new long[16];
        int claimed = 0;
        long[] deletedIds = new long[16];
        int deleted = 0;
        PendingEntry pending = group.pendingAtOrAfter(start.ms, start.seq);
        while (attempts-- > 0 && count > 0 && pending != null) {
            PendingEntry following = group.pendingAfter(pending);
            if (!stream.contains(pending.ms(), pending.seq())) {
                change.beforeChange();
                if (propagating) {
                    GroupPropagation.claim(c, 1, 2, -1, group, pending);
                }
                group.remove(pending);
                deletedIds = add(deletedIds, deleted++, pending);
                // Since 7.0.5 a dropped entry uses up COUNT as a claim does.
                count--;
            } else if (minIdle == 0 || now - pending.deliveryTime() >= minIdle) {
                change.beforeChange();
                if (consumer == null) {
                    consumer = consumerFor(c, group, now);
                }
                group.claim(pending, consumer, now, justId ? pending.deliveryCount() : pending.deliveryCount() + 1);
                claimedIds = add(claimedIds, claimed++, pending);
                count--;
                if (propagating) {
                    GroupPropagation.claim(c, 1, 2, -1, group, pending);
                }
            }
            pending = following;
        }
        c.reply().arrayHeader(3);
        StreamReplies.id(c.reply(), pending == null ? 0 : pending.ms(), pending == null ? 0 : pending.seq());
        c.reply().arrayHeader(claimed);
        for (int i = 0; i < claimed; i++) {
            if (justId) {
                StreamReplies.id(c.reply(), claimedIds[2 * i], claimedIds[2 * i + 1]);
            } else {
                StreamReplies.single(c.reply(), stream, claimedIds[2 * i], claimedIds[2 * i + 1]);
            }
        }
        c.reply().arrayHeader(deleted);
        for (int i = 0; i < deleted; i++) {
            StreamReplies.id(c.reply(), deletedIds[2 * i], deletedIds[2 * i + 1]);
        }
        change.close();
    }

    private static long[] add(long[] ids, int index, PendingEntry entry) {
        long[] target = 2 * index == ids.length ? Arrays.copyOf(ids, ids.length * 2) : ids;
        target[2 * index] = entry.ms();
        target[2 * index + 1] = entry.seq();
        return target;
    }
}
