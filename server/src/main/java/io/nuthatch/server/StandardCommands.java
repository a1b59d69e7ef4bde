package io.nuthatch.server;

import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.hyperloglog.HyperLogLogCommands;
import io.nuthatch.server.command.key.ExpiryCommands;
import io.nuthatch.server.command.key.KeyCommands;
import io.nuthatch.server.command.key.ObjectCommands;
import io.nuthatch.server.command.key.ScanCommands;
import io.nuthatch.server.command.server.ClientCommands;
import io.nuthatch.server.command.server.ConfigCommands;
import io.nuthatch.server.command.server.ConnectionCommands;
import io.nuthatch.server.command.server.InfoCommands;
import io.nuthatch.server.command.server.IntrospectionCommands;
import io.nuthatch.server.command.server.MemoryCommands;
import io.nuthatch.server.command.server.ServerCommands;
import io.nuthatch.server.command.string.BitfieldCommands;
import io.nuthatch.server.command.string.BitmapCommands;
import io.nuthatch.server.command.string.CounterCommands;
import io.nuthatch.server.command.string.StringCommands;
import io.nuthatch.server.command.string.StringRangeCommands;

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
                ObjectCommands::register,
                HyperLogLogCommands::register,
                MemoryCommands::register);
    }
}
