package io.nuthatch.server.command;

/**
 * CONFIG GET, SET, RESETSTAT and REWRITE.
 */
public final class ConfigCommands {
    private ConfigCommands() {
    }

    static void register(CommandTable.Registry table) {
    }
}
