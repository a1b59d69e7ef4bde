package io.nuthatch.server.command;

/**
 * COMMAND and its subcommands, answered from the command table.
 */
public final class IntrospectionCommands {
    private IntrospectionCommands() {
    }

    static void register(CommandTable.Registry table) {
    }
}
