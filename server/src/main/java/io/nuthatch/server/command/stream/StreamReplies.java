package io.nuthatch.server.command.stream;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.type.stream.EntryCursor;
import io.nuthatch.server.type.stream.StreamId;
import io.nuthatch.server.type.stream.StreamIds;
import io.nuthatch.server.type.stream.StreamValue;

/**
 * Replies made of stream entries and IDs, written straight from where the entries are stored.
 * An entry is a two-element array, its ID and the flat array of its fields and values.
 *
 * <p>The buffers here are shared by every connection: commands run one at a time under the
 * engine, and none keeps them past its return.
 */
final class StreamReplies {
    private static final byte[] ID_TEXT = new byte[StreamIds.MAX_TEXT_LENGTH];
    /** The cursor of range replies, and a second one for lookups made while the first walks. */
    static final EntryCursor CURSOR = new EntryCursor();
    static final EntryCursor LOOKUP = new EntryCursor();

    private StreamReplies() {
    }

    static void id(ReplyWriter reply, long ms, long seq) {
        int length = StreamIds.format(ms, seq, ID_TEXT, 0);
        reply.bulk(ID_TEXT, 0, length);
    }

    static void id(ReplyWriter reply, StreamId id) {
        id(reply, id.ms, id.seq);
    }

    /** The entry the cursor is at: {@code [id, [field, value, ...]]}. */
    static void entry(ReplyWriter reply, EntryCursor cursor) {
        reply.arrayHeader(2);
        id(reply, cursor.ms(), cursor.seq());
        reply.arrayHeader(2L * cursor.pairs());
        byte[] array = cursor.array();
        while (cursor.nextField()) {
            reply.bulk(array, cursor.fieldOffset(), cursor.fieldLength());
            reply.bulk(array, cursor.valueOffset(), cursor.valueLength());
        }
    }

    /**
     * The entries from start to end (inclusive), at most {@code count} of them (0: all), as an
     * array; backward from end with {@code reverse}.
     *
     * @return the number of entries written
     */
    static long range(ReplyWriter reply, StreamValue stream, StreamId start, StreamId end, long count, boolean reverse) {
        int mark = reply.beginDeferred();
        long written = rawRange(reply, stream, start, end, count, reverse);
        reply.endDeferredArray(mark, written);
        return written;
    }

    /** The entries from start to the end of the stream, at most {@code count} (0: all), as an array. */
    static long rangeFrom(ReplyWriter reply, StreamValue stream, StreamId start, long count) {
        int mark = reply.beginDeferred();
        EntryCursor cursor = CURSOR.forward(stream, start.ms, start.seq, StreamIds.MAX, StreamIds.MAX);
        long written = 0;
        while ((count == 0 || written < count) && cursor.next()) {
            entry(reply, cursor);
            written++;
        }
        reply.endDeferredArray(mark, written);
        return written;
    }

    /** As {@link #range}, the entries alone without the enclosing array. */
    static long rawRange(ReplyWriter reply, StreamValue stream, StreamId start, StreamId end, long count,
            boolean reverse) {
        EntryCursor cursor = reverse ? CURSOR.backward(stream, start.ms, start.seq, end.ms, end.seq)
                : CURSOR.forward(stream, start.ms, start.seq, end.ms, end.seq);
        long written = 0;
        while ((count == 0 || written < count) && cursor.next()) {
            entry(reply, cursor);
            written++;
        }
        return written;
    }

    /** The live entry of this ID, written as {@link #entry}; false (nothing written) when there is none. */
    static boolean single(ReplyWriter reply, StreamValue stream, long ms, long seq) {
        EntryCursor cursor = LOOKUP.forward(stream, ms, seq, ms, seq);
        if (!cursor.next()) {
            return false;
        }
        entry(reply, cursor);
        return true;
    }
}
