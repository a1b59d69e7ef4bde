package io.nuthatch.server.command;

/**
 * CLIENT and its subcommands: the connection's name, id, flags and reply mode, and the list of connections.
 */
public final class ClientCommands {
    private ClientCommands() {
    }

    static void register(CommandTable.Registry table) {
    }
}
