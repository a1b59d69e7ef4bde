package io.nuthatch.server.command.stream;

import io.nuthatch.server.command.CommandContext;

/** Reads that wait for entries (XREAD BLOCK, XREADGROUP BLOCK). */
final class StreamWaits {
    private StreamWaits() {
    }

    /** Parks the client until one of the read's streams has entries for it, or the timeout. */
    static void block(CommandContext c, StreamReadCommands.Read read) {
        // Until the blocking machinery lands, a read that would wait answers as a timed-out one.
        c.reply().nullArray();
    }

    /** A group of the stream was destroyed: its blocked readers are to get an error. */
    static void groupDestroyed(CommandContext c, io.nuthatch.server.keyspace.KeyEntry entry) {
    }
}
