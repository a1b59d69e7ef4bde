package io.nuthatch.server.command.zset;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.type.sortedset.ElementVisitor;

/**
 * Writes sorted-set elements as Redis replies them: members alone, or with their scores, as a flat
 * array of member and score in RESP2 and as an array of [member, score] pairs in RESP3 (not a map,
 * which would lose the order). One per thread, reused, so a range reply allocates nothing.
 */
final class ElementReply implements ElementVisitor {
    private static final ThreadLocal<ElementReply> PER_THREAD = ThreadLocal.withInitial(ElementReply::new);

    private ReplyWriter reply;
    private boolean withScores;
    private boolean pairs;

    private ElementReply() {
    }

    /** The writer for {@code reply}, with or without scores. */
    static ElementReply to(ReplyWriter reply, boolean withScores) {
        ElementReply writer = PER_THREAD.get();
        writer.reply = reply;
        writer.withScores = withScores;
        writer.pairs = withScores && reply.isResp3();
        return writer;
    }

    /**
     * A writer of members with scores in the shape given whatever the protocol: [member, score]
     * pairs (ZMPOP) or a flat array (ZPOPMIN without a count, BZPOPMIN).
     */
    static ElementReply withScoresTo(ReplyWriter reply, boolean pairs) {
        ElementReply writer = PER_THREAD.get();
        writer.reply = reply;
        writer.withScores = true;
        writer.pairs = pairs;
        return writer;
    }

    /** The header of an array of {@code count} elements. */
    void header(long count) {
        reply.arrayHeader(withScores && !pairs ? 2 * count : count);
    }

    /** Marks the start of an array whose length {@link #endDeferred} writes. */
    int beginDeferred() {
        return reply.beginDeferred();
    }

    void endDeferred(int mark, long count) {
        reply.endDeferredArray(mark, withScores && !pairs ? 2 * count : count);
    }

    @Override
    public void element(byte[] member, int offset, int length, double score) {
        if (pairs) {
            reply.arrayHeader(2);
        }
        reply.bulk(member, offset, length);
        if (withScores) {
            reply.doubleValue(score);
        }
    }
}
