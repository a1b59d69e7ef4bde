package io.nuthatch.server.command.server;


import io.nuthatch.server.ServerIdentity;
import io.nuthatch.server.client.ClientNames;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.command.transaction.TransactionCommands;

import java.nio.charset.StandardCharsets;

/**
 * The commands about the connection itself: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET.
 */
public final class ConnectionCommands {
    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG_WORD = "pong".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] RESET = "+RESET\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] AUTH = CommandContext.keyword("AUTH");
    private static final byte[] SETNAME = CommandContext.keyword("SETNAME");
    private static final CommandError PROTOCOL_NOT_AN_INTEGER =
            new CommandError("ERR Protocol version is not an integer or out of range");
    private static final CommandError NO_PROTOCOL = new CommandError("NOPROTO unsupported protocol version");
    private static final CommandError HELLO_WITHOUT_AUTH = new CommandError("NOAUTH HELLO must be called with the"
            + " client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to"
            + " authenticate the client and select the RESP protocol version at the same time");
    private static final CommandError AUTH_WITHOUT_PASSWORD = new CommandError("ERR AUTH <password> called without"
            + " any password configured for the default user. Are you sure your configuration is correct?");

    private ConnectionCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("ping", "Answers PONG, or echoes the message given; tests that the connection is alive.", "O(1)",
                ConnectionCommands::ping);
        table.command("echo", "Returns the message given.", "O(1)", ConnectionCommands::echo);
        table.command("quit", "Closes the connection after replying OK.", "O(1)", ConnectionCommands::quit);
        table.command("select", "Selects the database the connection works on.", "O(1)", ConnectionCommands::select);
        table.command("hello", "Chooses the protocol version (2 or 3), optionally authenticating and naming"
                + " the connection, and describes the server.", "O(1)", ConnectionCommands::hello);
        table.command("auth", "Authenticates the connection as a user, by default the default user.", "O(N) where N is"
                + " the number of passwords the user has", ConnectionCommands::auth);
        table.command("reset", "Returns the connection to the state of a new one: RESP2, database 0, no name,"
                + " not authenticated when a password is required.", "O(1)", ConnectionCommands::reset);
    }

    /** AUTH [username] password */
    static void auth(CommandContext c) {
        if (c.argumentCount() > 3) {
            throw Errors.SYNTAX;
        }
        String user;
        String password;
        if (c.argumentCount() == 2) {
            // As Redis: the one-argument form with no password configured is more likely a mistake than intended.
            if (c.engine().acl().defaultUser().isNopass()) {
                throw AUTH_WITHOUT_PASSWORD;
            }
            user = "default";
            password = c.argumentText(1);
        } else {
            user = c.argumentText(1);
            password = c.argumentText(2);
        }
        Authentication.authenticate(c, user, password);
        c.reply().ok();
    }

    /**
     * RESET: what a new connection has, except the client library's name and version, which still
     * describe the client. The reply obeys a CLIENT REPLY SKIP given just before, as in Redis.
     */
    static void reset(CommandContext c) {
        ClientSession client = c.client();
        TransactionCommands.reset(client);
        client.database(0);
        c.reply().protocol(2);
        client.deauthenticate();
        c.engine().pubsub().clientClosed(client);
        c.engine().introspection().monitors().remove(client);
        c.engine().tracking().disable(client);
        client.name("");
        client.noEvict(false);
        client.noTouch(false);
        if (client.replyMode() != ClientSession.ReplyMode.SKIP_THIS) {
            client.replyMode(ClientSession.ReplyMode.ON);
        }
        c.reply().raw(RESET);
    }

    static void ping(CommandContext c) {
        if (c.argumentCount() > 2) {
            throw Errors.wrongArity(c.command().name());
        }
        if (c.client().subscriptions() != null && c.client().protocol() == 2) {
            // A RESP2 subscriber reads every reply as a message: PING answers in that shape.
            c.reply().arrayHeader(2);
            c.reply().bulk(PONG_WORD);
            if (c.argumentCount() == 1) {
                c.reply().bulk(EMPTY);
            } else {
                c.reply().bulk(c.arguments().array(1), c.arguments().offset(1), c.arguments().length(1));
            }
        } else if (c.argumentCount() == 1) {
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

    /**
     * HELLO [protover [AUTH username password] [SETNAME clientname]]. As in Redis 7.0, the options
     * take effect one by one as they are read, so an error in a later one leaves the earlier done.
     */
    static void hello(CommandContext c) {
        int protocol = c.client().protocol();
        if (c.argumentCount() >= 2) {
            long requested = c.longArgument(1, PROTOCOL_NOT_AN_INTEGER);
            if (requested < 2 || requested > 3) {
                throw NO_PROTOCOL;
            }
            protocol = (int) requested;
        }
        for (int i = 2; i < c.argumentCount(); i++) {
            int more = c.argumentCount() - 1 - i;
            if (c.isKeyword(i, AUTH) && more >= 2) {
                Authentication.authenticate(c, c.argumentText(i + 1), c.argumentText(i + 2));
                i += 2;
            } else if (c.isKeyword(i, SETNAME) && more >= 1) {
                String name = c.argumentText(i + 1);
                ClientNames.validate(name);
                c.client().name(name);
                i++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + c.argumentText(i) + "'");
            }
        }
        if (c.engine().authenticationRequired(c.client())) {
            throw HELLO_WITHOUT_AUTH;
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
