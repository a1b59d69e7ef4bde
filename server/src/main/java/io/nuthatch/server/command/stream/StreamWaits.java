package io.nuthatch.server.command.stream;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.blocking.KeyWaiter;
import io.nuthatch.server.blocking.ServedKey;
import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.ValueType;
import io.nuthatch.server.type.stream.ConsumerGroup;
import io.nuthatch.server.type.stream.PendingEntry;
import io.nuthatch.server.type.stream.StreamId;
import io.nuthatch.server.type.stream.StreamIds;
import io.nuthatch.server.type.stream.StreamValue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads that wait for entries: XREAD BLOCK and XREADGROUP BLOCK, parked on their streams through
 * the blocking machinery ({@link io.nuthatch.server.blocking.BlockingKeys}) until one of them has
 * something for them.
 *
 * <p>As in Redis 7.0: XREAD waits for entries after the IDs it was given, {@code $} having been
 * read as the stream's last ID when it blocked, so it sees only entries added later; XREADGROUP
 * {@code >} waits for entries after the group's last delivered ID as it is when the key is served.
 * A waiter is served from the first of its streams that becomes ready with an ID past what it
 * waits for, with at most COUNT entries (1000 without COUNT). XADD on an existing stream makes it
 * ready, and so does a stream being created; XGROUP DESTROY makes it ready so that the group's
 * readers learn the group is gone (-NOGROUP), and a stream deleted or overwritten wakes them with
 * -UNBLOCKED. XREAD readers of a deleted stream wait on, and are served if it comes back with
 * entries past their IDs. Inside MULTI a read that would block answers as a timeout, a null array.
 *
 * <p>Served readers of a group propagate what they delivered as XCLAIM records (XGROUP SETID for
 * NOACK), in the execution unit of their serving, after the unit of the XADD that fed them.
 */
final class StreamWaits {
    private static final BlockedClient.Reply KEY_GONE =
            c -> c.reply().error("UNBLOCKED the stream key no longer exists");
    private static final BlockedClient.Reply GROUP_GONE =
            c -> c.reply().error("NOGROUP the consumer group this client was blocked on no longer exists");

    // Serving runs under the engine, one waiter at a time: its reply is written here, then copied.
    private static final ByteBuf RENDERED = Unpooled.buffer(512);
    private static final ReplyWriter RENDER = new ReplyWriter();
    private static final StreamId START = new StreamId();

    private StreamWaits() {
    }

    /** Parks the client until one of the read's streams has entries for it, or the timeout. */
    static void block(CommandContext c, StreamReadCommands.Read read) {
        byte[][] keys = new byte[read.streams][];
        for (int i = 0; i < read.streams; i++) {
            keys[i] = c.copyArgument(read.keyArgument(i));
        }
        Waiter waiter = new Waiter(keys, Arrays.copyOf(read.ms, read.streams), Arrays.copyOf(read.seq, read.streams),
                read.group ? c.copyArgument(read.groupArgument) : null,
                read.group ? c.copyArgument(read.groupArgument + 1) : null, read.noAck,
                read.count == 0 ? StreamReadCommands.BLOCKED_DEFAULT_COUNT : read.count, c.reply().protocol());
        c.blockOnKeys(read.streamsArgument, read.streams, read.timeout, waiter);
    }

    /** XADD added to an existing stream, or a group was destroyed: its readers are to look again. */
    static void signal(CommandContext c, KeyEntry entry) {
        c.signalKeyReady(c.database(), entry);
    }

    /** One parked read: copies of what it needs from its request. */
    private static final class Waiter implements KeyWaiter {
        private final byte[][] keys;
        private final long[] ms;
        private final long[] seq;
        private final byte[] group;
        private final byte[] consumer;
        private final boolean noAck;
        private final long count;
        private final int protocol;

        Waiter(byte[][] keys, long[] ms, long[] seq, byte[] group, byte[] consumer, boolean noAck, long count,
                int protocol) {
            this.keys = keys;
            this.ms = ms;
            this.seq = seq;
            this.group = group;
            this.consumer = consumer;
            this.noAck = noAck;
            this.count = count;
            this.protocol = protocol;
        }

        @Override
        public ValueType awaitedType() {
            return ValueType.STREAM;
        }

        @Override
        public boolean wakesOnDeletion() {
            return group != null;
        }

        @Override
        public BlockedClient.Reply serve(ServedKey key) {
            KeyEntry entry = key.entry();
            StreamValue stream = entry != null && entry.value() instanceof StreamValue value ? value : null;
            StreamId after = START;
            ConsumerGroup readGroup = null;
            if (group != null) {
                if (stream == null) {
                    return KEY_GONE;
                }
                readGroup = stream.groups() == null ? null : stream.groups().find(group, 0, group.length);
                if (readGroup == null) {
                    return GROUP_GONE;
                }
                after.set(readGroup.lastMs(), readGroup.lastSeq());
            } else {
                int index = indexOf(key.key());
                after.set(ms[index], seq[index]);
            }
            // Redis compares with the last ID, not the last live entry: a stream whose new entries
            // were deleted before the reader's turn serves it an empty list.
            if (StreamIds.compare(stream.lastMs(), stream.lastSeq(), after.ms, after.seq) <= 0) {
                return null;
            }
            after.increment();
            ReplyWriter reply = RENDER;
            RENDERED.clear();
            reply.target(RENDERED);
            reply.protocol(protocol);
            if (reply.isResp3()) {
                reply.mapHeader(1);
            } else {
                reply.arrayHeader(1);
                reply.arrayHeader(2);
            }
            reply.bulk(key.key());
            if (readGroup == null) {
                StreamReplies.rangeFrom(reply, stream, after, count);
            } else {
                key.database().writableValue(entry);
                GroupRead.serve(new ServedTarget(key, group, reply), stream, readGroup, consumer, 0, consumer.length,
                        noAck, after, false, count);
                key.database().changed(entry);
            }
            byte[] rendered = new byte[RENDERED.readableBytes()];
            RENDERED.readBytes(rendered);
            return c -> c.reply().raw(rendered);
        }

        private int indexOf(byte[] key) {
            for (int i = 0; i < keys.length; i++) {
                if (Arrays.equals(keys[i], key)) {
                    return i;
                }
            }
            throw new IllegalStateException("served on a key it does not wait on");
        }

        @Override
        public void writeTimeout(CommandContext c) {
            c.reply().nullArray();
        }
    }

    /** A group read served from a ready key: records go to the serving's unit, as arrays. */
    private static final class ServedTarget implements GroupRead.Target {
        private static final byte[] XCLAIM = bytes("XCLAIM");
        private static final byte[] XGROUP = bytes("XGROUP");
        private static final byte[] SETID = bytes("SETID");
        private static final byte[] ENTRIESREAD = bytes("ENTRIESREAD");
        private static final byte[] CREATECONSUMER = bytes("CREATECONSUMER");
        private static final byte[] ZERO = bytes("0");
        private static final byte[] TIME = bytes("TIME");
        private static final byte[] RETRYCOUNT = bytes("RETRYCOUNT");
        private static final byte[] FORCE = bytes("FORCE");
        private static final byte[] JUSTID = bytes("JUSTID");
        private static final byte[] LASTID = bytes("LASTID");

        private final ServedKey key;
        private final byte[] group;
        private final ReplyWriter reply;

        ServedTarget(ServedKey key, byte[] group, ReplyWriter reply) {
            this.key = key;
            this.group = group;
            this.reply = reply;
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public void notifyConsumerCreated() {
            key.notifyKeyspaceEvent(KeyspaceEvents.STREAM, EventNames.XGROUP_CREATECONSUMER, key.key());
        }

        private static byte[] id(long ms, long seq) {
            byte[] text = new byte[StreamIds.MAX_TEXT_LENGTH];
            return Arrays.copyOf(text, StreamIds.format(ms, seq, text, 0));
        }

        private static byte[] number(long value) {
            return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public ReplyWriter reply() {
            return reply;
        }

        @Override
        public long now() {
            return key.now();
        }

        @Override
        public boolean isPropagating() {
            return key.isPropagating();
        }

        @Override
        public void claimed(ConsumerGroup consumerGroup, PendingEntry entry) {
            key.propagate(XCLAIM, key.key(), group, entry.consumer().name(), ZERO, id(entry.ms(), entry.seq()), TIME,
                    number(entry.deliveryTime()), RETRYCOUNT, number(entry.deliveryCount()), FORCE, JUSTID, LASTID,
                    id(consumerGroup.lastMs(), consumerGroup.lastSeq()));
        }

        @Override
        public void lastIdMoved(ConsumerGroup consumerGroup) {
            key.propagate(XGROUP, SETID, key.key(), group, id(consumerGroup.lastMs(), consumerGroup.lastSeq()),
                    ENTRIESREAD, number(consumerGroup.entriesRead()));
        }

        @Override
        public void consumerCreated(byte[] name) {
            key.propagate(XGROUP, CREATECONSUMER, key.key(), group, name);
        }
    }
}
