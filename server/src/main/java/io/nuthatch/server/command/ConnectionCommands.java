package io.nuthatch.server.command;

import java.nio.charset.StandardCharsets;

/**
 * The commands about the connection itself: PING, ECHO, QUIT, SELECT.
 */
public final class ConnectionCommands {
    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private ConnectionCommands() {
    }

    static void register(CommandTable.Registry table) {
        table.command("ping", "Answers PONG, or echoes the message given; tests that the connection is alive.", "O(1)",
                ConnectionCommands::ping);
        table.command("echo", "Returns the message given.", "O(1)", ConnectionCommands::echo);
        table.command("quit", "Closes the connection after replying OK.", "O(1)", ConnectionCommands::quit);
        table.command("select", "Selects the database the connection works on.", "O(1)", ConnectionCommands::select);
    }

    static void ping(CommandContext c) {
        if (c.argumentCount() > 2) {
            throw Errors.wrongArity(c.command().name());
        }
        if (c.argumentCount() == 1) {
            c.reply().raw(PONG);
        } else {
            c.reply().bulk(c.arguments().array(1), c.arguments().offset(1), c.arguments().length(1));
        }
    }

    static void echo(CommandContext c) {
        c.reply().bulk(c.arguments().array(1), c.arguments().offset(1), c.arguments().length(1));
    }

    static void quit(CommandContext c) {
        c.reply().ok();
        c.client().closeAfterReply();
    }

    static void select(CommandContext c) {
        long index = c.longArgument(1);
        if (index < 0 || index >= c.engine().keyspace().count()) {
            throw Errors.DB_INDEX_OUT_OF_RANGE;
        }
        c.client().database((int) index);
        c.reply().ok();
    }
}
