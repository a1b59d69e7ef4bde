package io.nuthatch.server.command;

/**
 * OBJECT: how a key's value is stored and used.
 */
public final class ObjectCommands {
    private ObjectCommands() {
    }

    static void register(CommandTable.Registry table) {
    }
}
