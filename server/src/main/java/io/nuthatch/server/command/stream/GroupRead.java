package io.nuthatch.server.command.stream;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.type.stream.Consumer;
import io.nuthatch.server.type.stream.ConsumerGroup;
import io.nuthatch.server.type.stream.EntryCursor;
import io.nuthatch.server.type.stream.PendingEntry;
import io.nuthatch.server.type.stream.StreamId;
import io.nuthatch.server.type.stream.StreamIds;
import io.nuthatch.server.type.stream.StreamValue;

/**
 * What XREADGROUP does to one stream, whether it runs as a command or as a blocked read being
 * served (Redis's streamReplyWithRange with a group): find or create the consumer, then either
 * reply the consumer's own pending entries after an ID, counting each as delivered once more, or
 * deliver the entries after the group's last delivered ID, each made pending for the consumer
 * unless NOACK, the group's last ID and entries read moving with them. The stream must be open for
 * writing. Where the reply goes, what time it is and where propagated records go is the
 * {@link Target}'s business.
 */
final class GroupRead {
    private GroupRead() {
    }

    /** Where a group read writes its reply and its records, and when it runs. */
    interface Target {
        ReplyWriter reply();

        long now();

        boolean isPropagating();

        /** Records {@code XCLAIM ... FORCE JUSTID LASTID} for a pending entry delivered. */
        void claimed(ConsumerGroup group, PendingEntry entry);

        /** Records {@code XGROUP SETID ... ENTRIESREAD} for a last ID moved by a NOACK read. */
        void lastIdMoved(ConsumerGroup group);

        /** Records {@code XGROUP CREATECONSUMER} for a consumer a NOACK read created. */
        void consumerCreated(byte[] name);

        /** Publishes the keyspace event of a consumer the read created (xgroup-createconsumer). */
        void notifyConsumerCreated();
    }

    /**
     * Serves one stream: the history of the consumer from {@code start} ({@code history}) or the
     * entries from {@code start} on, at most {@code count} (0: all), as an array of entries.
     */
    static void serve(Target target, StreamValue stream, ConsumerGroup group, byte[] consumerName, int nameOffset,
            int nameLength, boolean noAck, StreamId start, boolean history, long count) {
        long now = target.now();
        Consumer consumer = group.consumer(consumerName, nameOffset, nameLength);
        if (consumer == null) {
            consumer = group.createConsumer(consumerName, nameOffset, nameLength, now);
            target.notifyConsumerCreated();
            if (noAck && target.isPropagating()) {
                target.consumerCreated(consumer.name());
            }
        } else {
            consumer.seen(now);
        }
        if (history) {
            replyHistory(target.reply(), stream, group, consumer, start, count, now);
            return;
        }
        ReplyWriter reply = target.reply();
        int mark = reply.beginDeferred();
        EntryCursor cursor = StreamReplies.CURSOR.forward(stream, start.ms, start.seq, StreamIds.MAX, StreamIds.MAX);
        long written = 0;
        boolean lastIdMoved = false;
        while ((count == 0 || written < count) && cursor.next()) {
            long ms = cursor.ms();
            long seq = cursor.seq();
            lastIdMoved |= group.delivered(stream, ms, seq) && noAck;
            StreamReplies.entry(reply, cursor);
            if (!noAck) {
                PendingEntry pending = group.deliver(ms, seq, consumer, now);
                if (target.isPropagating()) {
                    target.claimed(group, pending);
                }
            }
            written++;
        }
        if (lastIdMoved && target.isPropagating()) {
            target.lastIdMoved(group);
        }
        reply.endDeferredArray(mark, written);
    }

    /**
     * The consumer's own pending entries from {@code start}: each with its fields, counted as
     * delivered once more, or with a null in their place when the entry is no longer in the stream.
     */
    private static void replyHistory(ReplyWriter reply, StreamValue stream, ConsumerGroup group, Consumer consumer,
            StreamId start, long count, long now) {
        int mark = reply.beginDeferred();
        long written = 0;
        for (PendingEntry pending : group.pendingFrom(consumer, start.ms, start.seq)) {
            if (count != 0 && written == count) {
                break;
            }
            if (StreamReplies.single(reply, stream, pending.ms(), pending.seq())) {
                group.redelivered(pending, now);
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
