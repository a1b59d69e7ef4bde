package io.nuthatch.server.command;

/** The command families a server runs, assembled into one table. */
public final class StandardCommands {
    private StandardCommands() {
    }

    public static CommandTable table() {
        return CommandTable.of(
                ConnectionCommands::register,
                ClientCommands::register,
                ServerCommands::register,
                IntrospectionCommands::register,
                InfoCommands::register,
                ConfigCommands::register,
                StringCommands::register,
                CounterCommands::register,
                StringRangeCommands::register,
                BitmapCommands::register,
                BitfieldCommands::register,
                KeyCommands::register,
                ScanCommands::register,
                ExpiryCommands::register,
                ObjectCommands::register);
    }
}
