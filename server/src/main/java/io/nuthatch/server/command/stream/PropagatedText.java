package io.nuthatch.server.command.stream;

import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.type.stream.StreamIds;

/**
 * IDs a stream command writes into the records it propagates in place of itself (the ID XADD
 * generated, the IDs of XCLAIM records). The record builder keeps views, not copies, so the text
 * must stay unchanged until the command's records are delivered or copied into their unit, which
 * happens before the next command runs: a command that builds records calls {@link #reset} first
 * and appends from there. A full array is replaced, never written over, so views into it stay.
 */
final class PropagatedText {
    private static final int SIZE = 4096;
    private static byte[] text = new byte[SIZE];
    private static int used;

    private PropagatedText() {
    }

    /** Starts a command's text: what an earlier command wrote here has been delivered. */
    static void reset() {
        used = 0;
    }

    /** Adds an ID to the record being built. */
    static WritePropagation.RecordBuilder id(WritePropagation.RecordBuilder record, long ms, long seq) {
        if (used + StreamIds.MAX_TEXT_LENGTH > text.length) {
            text = new byte[SIZE];
            used = 0;
        }
        int length = StreamIds.format(ms, seq, text, used);
        record.bytes(text, used, length);
        used += length;
        return record;
    }
}
