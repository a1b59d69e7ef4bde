package io.nuthatch.server.command.stream;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.type.stream.ConsumerGroup;
import io.nuthatch.server.type.stream.PendingEntry;

/**
 * The records consumer-group commands propagate in place of themselves, as Redis 7.0 writes them,
 * so that replaying the log rebuilds the same pending entries whatever the clock says:
 * <ul>
 * <li>each delivery or claim becomes {@code XCLAIM key group consumer 0 id TIME t RETRYCOUNT n
 *     FORCE JUSTID LASTID last-delivered-id}, the entry's state at the end made explicit;</li>
 * <li>a last delivered ID that moved without such a record (XREADGROUP NOACK, XCLAIM LASTID)
 *     becomes {@code XGROUP SETID key group id ENTRIESREAD n};</li>
 * <li>a consumer that XREADGROUP NOACK created becomes {@code XGROUP CREATECONSUMER}.</li>
 * </ul>
 * The caller builds them only when {@link CommandContext#isPropagating()}, after
 * {@link PropagatedText#reset()}.
 */
final class GroupPropagation {
    private static final byte[] XCLAIM = CommandContext.keyword("XCLAIM");
    private static final byte[] XGROUP = CommandContext.keyword("XGROUP");
    private static final byte[] SETID = CommandContext.keyword("SETID");
    private static final byte[] ENTRIESREAD = CommandContext.keyword("ENTRIESREAD");
    private static final byte[] CREATECONSUMER = CommandContext.keyword("CREATECONSUMER");
    private static final byte[] ZERO = {'0'};
    private static final byte[] TIME = CommandContext.keyword("TIME");
    private static final byte[] RETRYCOUNT = CommandContext.keyword("RETRYCOUNT");
    private static final byte[] FORCE = CommandContext.keyword("FORCE");
    private static final byte[] JUSTID = CommandContext.keyword("JUSTID");
    private static final byte[] LASTID = CommandContext.keyword("LASTID");

    private GroupPropagation() {
    }

    /**
     * The XCLAIM that recreates a pending entry as it is now. Its ID is argument
     * {@code idArgument} as the client wrote it (XCLAIM does that), or, for -1, the entry's.
     */
    static void claim(CommandContext c, int keyArgument, int groupArgument, int idArgument, ConsumerGroup group,
            PendingEntry entry) {
        WritePropagation.RecordBuilder record = c.rewrite().word(XCLAIM).argument(keyArgument)
                .argument(groupArgument).bytes(entry.consumer().name()).word(ZERO);
        if (idArgument >= 0) {
            record.argument(idArgument);
        } else {
            PropagatedText.id(record, entry.ms(), entry.seq());
        }
        record.word(TIME).number(entry.deliveryTime()).word(RETRYCOUNT).number(entry.deliveryCount())
                .word(FORCE).word(JUSTID).word(LASTID);
        PropagatedText.id(record, group.lastMs(), group.lastSeq()).end();
    }

    /** XGROUP SETID with the group's last delivered ID and entries read. */
    static void lastId(CommandContext c, int keyArgument, int groupArgument, ConsumerGroup group) {
        WritePropagation.RecordBuilder record = c.rewrite().word(XGROUP).word(SETID).argument(keyArgument)
                .argument(groupArgument);
        PropagatedText.id(record, group.lastMs(), group.lastSeq()).word(ENTRIESREAD).number(group.entriesRead())
                .end();
    }

    /** XGROUP CREATECONSUMER of a consumer a read created. */
    static void consumerCreated(CommandContext c, int keyArgument, int groupArgument, byte[] consumer) {
        c.rewrite().word(XGROUP).word(CREATECONSUMER).argument(keyArgument).argument(groupArgument).bytes(consumer)
                .end();
    }
}
