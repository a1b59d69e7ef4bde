package io.nuthatch.server.command.transaction;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.transaction.Transaction;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH, and the two points where the dispatcher defers to
 * transactions: {@link #queueIfOpen} (a command sent after MULTI is queued, not run) and
 * {@link #rejected} (a command refused while queuing makes EXEC abort).
 *
 * <p>EXEC runs the queued commands one after another inside its own execution unit, so that what
 * they write is propagated together, wrapped in MULTI/EXEC when it is more than one record, and
 * EXEC itself is not propagated. Blocking commands act as if their timeout had passed at once. An
 * error inside EXEC is one element of its reply and undoes nothing, as in Redis. A queue that holds
 * a script runs on the script's thread ({@link ScriptedTransaction}), so that a script running
 * long inside EXEC is -BUSY for the others and SCRIPT KILL reaches it, as it is outside.
 */
public final class TransactionCommands {
    /** What runs at once between MULTI and EXEC instead of being queued (Redis's processCommand). */
    private static final Set<String> RUN_WHILE_OPEN = Set.of("exec", "discard", "multi", "watch", "quit", "reset");

    private static final CommandError NESTED_MULTI = new CommandError("ERR MULTI calls can not be nested");
    private static final CommandError EXEC_WITHOUT_MULTI = new CommandError("ERR EXEC without MULTI");
    private static final CommandError DISCARD_WITHOUT_MULTI = new CommandError("ERR DISCARD without MULTI");
    private static final CommandError WATCH_INSIDE_MULTI = new CommandError("ERR WATCH inside MULTI is not allowed");
    private static final CommandError EXEC_ABORTED =
            new CommandError("EXECABORT Transaction discarded because of previous errors.");
    private static final CommandError NOT_IN_TRANSACTION =
            new CommandError("ERR Command not allowed inside a transaction");
    private static final byte[] QUEUED = "+QUEUED\r\n".getBytes(StandardCharsets.US_ASCII);

    private TransactionCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("multi", "Starts a transaction: the commands that follow are queued until EXEC runs them"
                + " atomically, or DISCARD drops them.", "O(1)", TransactionCommands::multi);
        table.command("exec", "Runs the commands queued since MULTI, atomically, unless a watched key was touched"
                + " (null reply) or a command was refused while queuing (EXECABORT).", "Depends on commands in the"
                + " transaction", TransactionCommands::exec);
        table.command("discard", "Drops the commands queued since MULTI and forgets the watched keys.", "O(N), when N"
                + " is the number of queued commands", TransactionCommands::discard);
        table.command("watch", "Watches keys: the next EXEC fails if any of them is touched before it.", "O(1) for"
                + " every key.", TransactionCommands::watch);
        table.command("unwatch", "Forgets every watched key.", "O(1)", TransactionCommands::unwatch);
    }

    // ---------------------------------------------------------------- the dispatcher's hooks

    /**
     * Queues the command if the client is inside MULTI and the command is not one that runs at once
     * there; replies QUEUED. Returns whether it was queued.
     */
    public static boolean queueIfOpen(CommandContext c, CommandSpec command, RequestArguments arguments) {
        Transaction transaction = c.client().transaction();
        if (transaction == null || !transaction.isOpen() || RUN_WHILE_OPEN.contains(command.name())) {
            return false;
        }
        transaction.queue(command, arguments);
        c.reply().raw(QUEUED);
        return true;
    }

    /**
     * A command refused before it ran, for {@code error}: inside
     * MULTI the transaction will abort. EXEC refused aborts at once: the error it gets is EXECABORT
     * with the reason, and the transaction is discarded.
     */
    public static CommandError rejected(ClientSession client, CommandSpec command, CommandError error) {
        Transaction transaction = client.transaction();
        if (transaction != null) {
            transaction.rejectWhileQueuing();
        }
        if (!command.name().equals("exec")) {
            return error;
        }
        if (transaction != null) {
            transaction.discard();
        }
        String reason = new String(error.reply(), StandardCharsets.ISO_8859_1);
        // Redis formats its own messages without the ERR code and the shared ones (NOAUTH, BUSY) with theirs.
        if (reason.startsWith("ERR ")) {
            reason = reason.substring(4);
        }
        return new CommandError("EXECABORT Transaction discarded because of: " + reason);
    }

    /** An unknown command sent inside MULTI: the transaction will abort. */
    public static void rejectedUnknown(ClientSession client) {
        Transaction transaction = client.transaction();
        if (transaction != null) {
            transaction.rejectWhileQueuing();
        }
    }

    /** The error for a command flagged no-multi sent inside MULTI, or null. */
    public static CommandError refusedInside(ClientSession client, CommandSpec command) {
        Transaction transaction = client.transaction();
        if (transaction != null && transaction.isOpen()
                && command.has(CommandFlag.NO_MULTI)) {
            return NOT_IN_TRANSACTION;
        }
        return null;
    }

    /** The transaction to reset when a connection is reset (RESET): closed, watches forgotten. */
    public static void reset(ClientSession client) {
        Transaction transaction = client.transaction();
        if (transaction != null) {
            transaction.discard();
        }
    }

    // ---------------------------------------------------------------- commands

    private static Transaction transactionOf(CommandContext c) {
        Transaction transaction = c.client().transaction();
        if (transaction == null) {
            transaction = new Transaction(c.engine().watchedKeys());
            c.client().transaction(transaction);
        }
        return transaction;
    }

    static void multi(CommandContext c) {
        Transaction transaction = transactionOf(c);
        if (transaction.isOpen()) {
            throw NESTED_MULTI;
        }
        transaction.open();
        c.reply().ok();
    }

    static void discard(CommandContext c) {
        Transaction transaction = c.client().transaction();
        if (transaction == null || !transaction.isOpen()) {
            throw DISCARD_WITHOUT_MULTI;
        }
        transaction.discard();
        c.reply().ok();
    }

    static void watch(CommandContext c) {
        Transaction transaction = transactionOf(c);
        if (transaction.isOpen()) {
            throw WATCH_INSIDE_MULTI;
        }
        // A client already touched stays failed whatever it watches next (Redis skips the work).
        if (!transaction.isWatchedKeyTouched()) {
            Database database = c.database();
            RequestArguments arguments = c.arguments();
            for (int i = 1; i < arguments.count(); i++) {
                transaction.watch(database, arguments.array(i), arguments.offset(i), arguments.length(i));
            }
        }
        c.reply().ok();
    }

    static void unwatch(CommandContext c) {
        Transaction transaction = c.client().transaction();
        if (transaction != null) {
            transaction.unwatch();
        }
        c.reply().ok();
    }

    /**
     * EXEC: refuses as Redis does (not in MULTI; a watched key touched, or live at WATCH and expired
     * since: null reply; a command refused while queuing: EXECABORT), else stops watching and runs
     * the queue inside EXEC's unit, each reply an element of EXEC's.
     */
    static void exec(CommandContext c) {
        Transaction transaction = c.client().transaction();
        if (transaction == null || !transaction.isOpen()) {
            throw EXEC_WITHOUT_MULTI;
        }
        if (transaction.isRejected()) {
            transaction.discard();
            throw EXEC_ABORTED;
        }
        if (transaction.isWatchedKeyTouched() || transaction.watchedKeyExpiredSinceWatch()) {
            transaction.discard();
            c.reply().nullArray();
            return;
        }
        transaction.unwatchAll();
        if (ScriptedTransaction.applies(c, transaction)) {
            ScriptedTransaction.exec(c, transaction);
            c.suppressPropagation();
            return;
        }
        int count = transaction.queuedCount();
        c.reply().arrayHeader(count);
        c.denyBlocking(true);
        try {
            for (int i = 0; i < count; i++) {
                CommandError denied = c.engine().acl().checkQueued(c.client(), transaction.queuedCommand(i),
                        transaction.queuedArguments(i));
                if (denied != null) {
                    c.reply().error(denied.reply());
                } else {
                    c.engine().dispatcher().runInUnit(c, transaction.queuedCommand(i), transaction.queuedArguments(i));
                }
            }
        } finally {
            c.denyBlocking(false);
            transaction.close();
        }
        c.suppressPropagation();
    }
}
