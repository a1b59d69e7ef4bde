package io.nuthatch.server.command;

/** The command families a server runs, assembled into one table. */
public final class StandardCommands {
    private StandardCommands() {
    }

    public static CommandTable table() {
        return CommandTable.of(
                ConnectionCommands::register,
                StringCommands::register);
    }
}
