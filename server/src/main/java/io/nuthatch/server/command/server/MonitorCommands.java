package io.nuthatch.server.command.server;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;

/**
 * MONITOR: the client receives a line for every command the server runs from now on (see
 * {@link io.nuthatch.server.introspection.MonitorFeed}) until it sends RESET or disconnects.
 */
public final class MonitorCommands {
    /** What a monitor gets for a command that reads or writes keys (Redis treats a monitor as a replica). */
    public static final CommandError KEYSPACE_DENIED = new CommandError("ERR Replica can't interact with the keyspace");
    private static final CommandError DENIED_IN_UNIT = new CommandError("ERR MONITOR isn't allowed for DENY BLOCKING client");

    private MonitorCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("monitor", "Streams back every command the server runs, one line each.", "O(1)",
                MonitorCommands::monitor);
    }

    /**
     * As Redis: refused inside EXEC (a client there expects one reply per command), and a second
     * MONITOR from a monitor gets no reply at all.
     */
    static void monitor(CommandContext c) {
        if (!c.mayBlock()) {
            throw DENIED_IN_UNIT;
        }
        if (c.client().isMonitoring()) {
            return;
        }
        c.engine().introspection().monitors().add(c.client());
        c.reply().ok();
    }
}
