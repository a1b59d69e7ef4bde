package io.nuthatch.server.command.server;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.gate.ExecutionGate;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Server-wide commands: TIME, LASTSAVE, DEBUG, ROLE, WAIT, SHUTDOWN.
 */
public final class ServerCommands {
    private static final byte[] HELP = CommandContext.keyword("HELP");
    private static final byte[] SLEEP = CommandContext.keyword("SLEEP");
    private static final byte[] SET_ACTIVE_EXPIRE = CommandContext.keyword("SET-ACTIVE-EXPIRE");
    private static final byte[] NOSAVE = CommandContext.keyword("NOSAVE");
    private static final byte[] SAVE = CommandContext.keyword("SAVE");
    private static final byte[] NOW = CommandContext.keyword("NOW");
    private static final byte[] FORCE = CommandContext.keyword("FORCE");
    private static final byte[] ABORT = CommandContext.keyword("ABORT");

    private static final CommandError TIMEOUT_NOT_AN_INTEGER =
            new CommandError("ERR timeout is not an integer or out of range");
    private static final CommandError TIMEOUT_NEGATIVE = new CommandError("ERR timeout is negative");
    private static final CommandError NO_SHUTDOWN_IN_PROGRESS = new CommandError("ERR No shutdown in progress.");
    private static final CommandError SHUTDOWN_FAILED = new CommandError("ERR Errors trying to SHUTDOWN. Check logs.");

    /** DEBUG HELP: the subcommands this server has, in Redis's words. */
    private static final List<String> DEBUG_HELP = List.of(
            "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Setting it to 0 disables expiring keys in background when they are not",
            "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
            "    default.",
            "SLEEP <seconds>",
            "    Stop the server for <seconds>. Decimals allowed.",
            "HELP",
            "    Prints this help.");

    private ServerCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("time", "Returns the server's clock: Unix seconds and microseconds.", "O(1)", ServerCommands::time);
        table.command("lastsave", "Returns the Unix time of the last successful save.", "O(1)",
                ServerCommands::lastSave);
        table.command("debug", "Tools for testing the server: SLEEP stops it, SET-ACTIVE-EXPIRE switches the"
                + " expiry of untouched keys.", "Depends on subcommand.", ServerCommands::debug);
        table.command("role", "Returns the replication role of the server: a master, with its offset and"
                + " replicas.", "O(1)", ServerCommands::role);
        table.command("wait", "Waits until the writes of the connection are acknowledged by that many replicas,"
                + " or the timeout passes; returns how many did.", "O(1)", ServerCommands::waitForReplicas);
        table.command("shutdown", "Stops the server, saving a snapshot first when asked or configured to.",
                "O(N) when saving, where N is the total number of keys in all databases", ServerCommands::shutdown);
    }

    static void time(CommandContext c) {
        Instant now = Instant.now();
        c.reply().arrayHeader(2);
        c.reply().bulk(now.getEpochSecond());
        c.reply().bulk(now.getNano() / 1000);
    }

    static void lastSave(CommandContext c) {
        c.reply().integer(c.engine().lastSaveMillis() / 1000);
    }

    /** A master without replicas: its role, a replication offset of 0, and no replicas. */
    static void role(CommandContext c) {
        c.reply().arrayHeader(3);
        c.reply().bulk("master");
        c.reply().integer(0);
        c.reply().arrayHeader(0);
    }

    /**
     * WAIT numreplicas timeout. With no replicas, none acknowledges: asking for none replies 0 at
     * once; asking for some parks the client until the timeout (forever for 0), then replies 0.
     */
    static void waitForReplicas(CommandContext c) {
        long wanted = c.longArgument(1);
        long timeout = c.longArgument(2, TIMEOUT_NOT_AN_INTEGER);
        if (timeout < 0) {
            throw TIMEOUT_NEGATIVE;
        }
        long acknowledged = 0;
        if (acknowledged >= wanted) {
            c.reply().integer(acknowledged);
            return;
        }
        c.block(timeout, woken -> woken.reply().integer(0));
    }

    /** DEBUG SLEEP seconds | SET-ACTIVE-EXPIRE 0|1 | HELP */
    static void debug(CommandContext c) {
        int count = c.argumentCount();
        if (count == 2 && c.isKeyword(1, HELP)) {
            ClientCommands.writeHelp(c, DEBUG_HELP);
        } else if (count == 3 && c.isKeyword(1, SLEEP)) {
            sleep(leadingDouble(c.argumentText(2)));
            c.reply().ok();
        } else if (count == 3 && c.isKeyword(1, SET_ACTIVE_EXPIRE)) {
            c.engine().activeExpiryEnabled(leadingInteger(c.argumentText(2)) != 0);
            c.reply().ok();
        } else {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                    + cString(c.argumentText(1), 128) + "'. Try "
                    + c.argumentText(0).toUpperCase(Locale.ROOT) + " HELP.");
        }
    }

    /**
     * Stops the whole server, with the engine lock held: that is DEBUG SLEEP's purpose (tests use it
     * to make commands wait). A negative or unreadable time does not sleep.
     */
    private static void sleep(double seconds) {
        long nanos = (long) (seconds * 1_000_000) * 1000;
        if (nanos <= 0) {
            return;
        }
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** C's strtod: the longest prefix that reads as a number, 0 when there is none. */
    static double leadingDouble(String text) {
        String trimmed = text.stripLeading();
        for (int end = trimmed.length(); end > 0; end--) {
            String prefix = trimmed.substring(0, end);
            char last = prefix.charAt(end - 1);
            if (Character.isLetter(last) && !prefix.equalsIgnoreCase("inf") && !prefix.equalsIgnoreCase("nan")) {
                continue;
            }
            try {
                return Double.parseDouble(prefix);
            } catch (NumberFormatException notYet) {
                // try a shorter prefix
            }
        }
        return 0;
    }

    /** C's atoi: optional sign and the digits that follow, 0 when there are none. */
    public static long leadingInteger(String text) {
        String trimmed = text.stripLeading();
        int end = 0;
        if (end < trimmed.length() && (trimmed.charAt(end) == '-' || trimmed.charAt(end) == '+')) {
            end++;
        }
        int digitsStart = end;
        while (end < trimmed.length() && end - digitsStart < 18 && Character.isDigit(trimmed.charAt(end))) {
            end++;
        }
        return end == digitsStart ? 0 : Long.parseLong(trimmed.substring(0, end));
    }

    private static String cString(String text, int limit) {
        int nul = text.indexOf('\0');
        String cut = nul >= 0 ? text.substring(0, nul) : text;
        return cut.length() > limit ? cut.substring(0, limit) : cut;
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] | SHUTDOWN ABORT. The final snapshot is written here,
     * with the engine held, as Redis's prepareForShutdown does: a background save is stopped, then a
     * snapshot is written when SAVE is given or save rules exist (unless NOSAVE); when that fails the
     * server keeps running and the command fails, unless FORCE. A shutdown here is immediate, so
     * there is never one in progress to abort.
     */
    static void shutdown(CommandContext c) {
        boolean noSave = false;
        boolean save = false;
        boolean force = false;
        boolean abort = false;
        boolean otherFlags = false;
        for (int i = 1; i < c.argumentCount(); i++) {
            if (c.isKeyword(i, NOSAVE)) {
                noSave = true;
            } else if (c.isKeyword(i, SAVE)) {
                save = true;
            } else if (c.isKeyword(i, NOW)) {
                otherFlags = true;
            } else if (c.isKeyword(i, FORCE)) {
                force = true;
            } else if (c.isKeyword(i, ABORT)) {
                abort = true;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if ((abort && (noSave || save || force || otherFlags)) || (noSave && save)) {
            throw Errors.SYNTAX;
        }
        if (abort) {
            throw NO_SHUTDOWN_IN_PROGRESS;
        }
        ExecutionGate gate = c.engine().gate();
        if (!noSave && gate.stateFor(Thread.currentThread()) == ExecutionGate.State.BUSY) {
            // Only SHUTDOWN NOSAVE may stop a server whose long work is past the busy threshold.
            throw new CommandError(gate.longKind().busyReply());
        }
        c.engine().log().warning("User requested shutdown...");
        if (!c.engine().persistence().snapshots().beforeShutdown(save, noSave, force)) {
            c.engine().log().warning("Errors trying to shut down the server. Check the logs for more information.");
            throw SHUTDOWN_FAILED;
        }
        c.client().closeAfterReply();
        c.engine().requestShutdown();
    }
}
