package io.nuthatch.server.command;

/**
 * The bit commands on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD.
 */
public final class BitmapCommands {
    private BitmapCommands() {
    }

    static void register(CommandTable.Registry table) {
    }
}
