package io.nuthatch.server.command;

/**
 * INFO, with Redis's sections and field names.
 */
public final class InfoCommands {
    private InfoCommands() {
    }

    static void register(CommandTable.Registry table) {
    }
}
