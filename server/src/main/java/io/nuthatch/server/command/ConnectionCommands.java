package io.nuthatch.server.command;

import io.nuthatch.server.ServerIdentity;

import java.nio.charset.StandardCharsets;

/**
 * The commands about the connection itself: PING, ECHO, QUIT, SELECT, HELLO.
 */
public final class ConnectionCommands {
    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] AUTH = CommandContext.keyword("AUTH");
    private static final byte[] SETNAME = CommandContext.keyword("SETNAME");
    private static final CommandError PROTOCOL_NOT_AN_INTEGER =
            new CommandError("ERR Protocol version is not an integer or out of range");
    private static final CommandError NO_PROTOCOL = new CommandError("NOPROTO unsupported protocol version");
    private static final CommandError HELLO_WITHOUT_AUTH = new CommandError("NOAUTH HELLO must be called with the"
            + " client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to"
            + " authenticate the client and select the RESP protocol version at the same time");

    private ConnectionCommands() {
    }

    static void register(CommandTable.Registry table) {
        table.command("ping", "Answers PONG, or echoes the message given; tests that the connection is alive.", "O(1)",
                ConnectionCommands::ping);
        table.command("echo", "Returns the message given.", "O(1)", ConnectionCommands::echo);
        table.command("quit", "Closes the connection after replying OK.", "O(1)", ConnectionCommands::quit);
        table.command("select", "Selects the database the connection works on.", "O(1)", ConnectionCommands::select);
        table.command("hello", "Chooses the protocol version (2 or 3), optionally authenticating and naming"
                + " the connection, and describes the server.", "O(1)", ConnectionCommands::hello);
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

    /** HELLO [protover [AUTH username password] [SETNAME clientname]] */
    static void hello(CommandContext c) {
        int protocol = c.client().protocol();
        if (c.argumentCount() >= 2) {
            long requested = c.longArgument(1, PROTOCOL_NOT_AN_INTEGER);
            if (requested < 2 || requested > 3) {
                throw NO_PROTOCOL;
            }
            protocol = (int) requested;
        }
        String user = null;
        String password = null;
        String name = null;
        for (int i = 2; i < c.argumentCount(); i++) {
            int more = c.argumentCount() - 1 - i;
            if (c.isKeyword(i, AUTH) && more >= 2) {
                user = c.argumentText(i + 1);
                password = c.argumentText(i + 2);
                i += 2;
            } else if (c.isKeyword(i, SETNAME) && more >= 1) {
                name = c.argumentText(i + 1);
                i++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + c.argumentText(i) + "'");
            }
        }
        if (user != null) {
            Authentication.authenticate(c, user, password);
        } else if (c.engine().authenticationRequired(c.client())) {
            throw HELLO_WITHOUT_AUTH;
        }
        if (name != null) {
            ClientNames.validate(name);
            c.client().name(name);
        }
        c.reply().protocol(protocol);
        c.reply().mapHeader(7);
        c.reply().bulk("server");
        c.reply().bulk("redis");
        c.reply().bulk("version");
        c.reply().bulk(ServerIdentity.REDIS_VERSION);
        c.reply().bulk("proto");
        c.reply().integer(protocol);
        c.reply().bulk("id");
        c.reply().integer(c.client().id());
        c.reply().bulk("mode");
        c.reply().bulk("standalone");
        c.reply().bulk("role");
        c.reply().bulk("master");
        c.reply().bulk("modules");
        c.reply().arrayHeader(0);
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
