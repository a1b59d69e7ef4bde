package io.nuthatch.server.command.server;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;

/**
 * SAVE, BGSAVE [SCHEDULE] and BGREWRITEAOF: parsing and replies; the snapshots themselves are
 * persistence's ({@link io.nuthatch.server.persistence.Snapshots}).
 */
public final class PersistenceCommands {
    private static final byte[] SCHEDULE = CommandContext.keyword("SCHEDULE");

    private PersistenceCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("save", "Writes a snapshot of the dataset with the server stopped meanwhile.",
                "O(N) where N is the total number of keys in all databases", PersistenceCommands::save);
        table.command("bgsave", "Writes a snapshot of the dataset in the background while clients keep working.",
                "O(1)", PersistenceCommands::bgsave);
        table.command("bgrewriteaof", "Rewrites the append-only log as a new snapshot and a new log segment, in the"
                + " background.", "O(1)", PersistenceCommands::bgrewriteaof);
    }

    static void save(CommandContext c) {
        if (!c.engine().persistence().snapshots().save()) {
            throw new CommandError("ERR");
        }
        c.reply().ok();
    }

    /** BGSAVE [SCHEDULE] */
    static void bgsave(CommandContext c) {
        boolean schedule = false;
        if (c.argumentCount() > 1) {
            if (c.argumentCount() == 2 && c.isKeyword(1, SCHEDULE)) {
                schedule = true;
            } else {
                throw Errors.SYNTAX;
            }
        }
        c.reply().simpleString(c.engine().persistence().snapshots().bgsave(schedule));
    }

    static void bgrewriteaof(CommandContext c) {
        c.reply().simpleString(c.engine().persistence().snapshots().bgrewriteaof());
    }
}
