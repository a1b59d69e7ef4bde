package io.nuthatch.server.command;

/**
 * Server-wide commands: TIME, LASTSAVE, DEBUG, ROLE, WAIT, SHUTDOWN.
 */
public final class ServerCommands {
    private ServerCommands() {
    }

    static void register(CommandTable.Registry table) {
    }
}
