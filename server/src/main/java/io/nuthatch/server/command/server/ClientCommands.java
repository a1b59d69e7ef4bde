package io.nuthatch.server.command.server;

import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.client.ClientInfoLine;
import io.nuthatch.server.client.ClientNames;
import io.nuthatch.server.client.ClientPause;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CLIENT and its subcommands: the connection's name, id, flags and reply mode, and the list of connections.
 */
public final class ClientCommands {
    private static final byte[] ON = CommandContext.keyword("ON");
    private static final byte[] OFF = CommandContext.keyword("OFF");
    private static final byte[] SKIP = CommandContext.keyword("SKIP");
    private static final byte[] TYPE = CommandContext.keyword("TYPE");
    private static final byte[] ID = CommandContext.keyword("ID");
    private static final byte[] ADDR = CommandContext.keyword("ADDR");
    private static final byte[] LADDR = CommandContext.keyword("LADDR");
    private static final byte[] USER = CommandContext.keyword("USER");
    private static final byte[] SKIPME = CommandContext.keyword("SKIPME");
    private static final byte[] MAXAGE = CommandContext.keyword("MAXAGE");
    private static final byte[] YES = CommandContext.keyword("YES");
    private static final byte[] NO = CommandContext.keyword("NO");
    private static final byte[] LIB_NAME = CommandContext.keyword("LIB-NAME");
    private static final byte[] LIB_VER = CommandContext.keyword("LIB-VER");
    private static final byte[] TIMEOUT = CommandContext.keyword("TIMEOUT");
    private static final byte[] ERROR = CommandContext.keyword("ERROR");
    private static final byte[] WRITE = CommandContext.keyword("WRITE");
    private static final byte[] ALL = CommandContext.keyword("ALL");

    private static final CommandError INVALID_CLIENT_ID = new CommandError("ERR Invalid client ID");
    private static final CommandError KILL_ID_NOT_POSITIVE = new CommandError("ERR client-id should be greater than 0");
    private static final CommandError MAXAGE_NOT_AN_INTEGER =
            new CommandError("ERR maxage is not an integer or out of range");
    private static final CommandError MAXAGE_NOT_POSITIVE = new CommandError("ERR maxage should be greater than 0");
    private static final CommandError NO_SUCH_CLIENT = new CommandError("ERR No such client");
    private static final CommandError PAUSE_MODE = new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
    private static final CommandError TIMEOUT_NOT_AN_INTEGER =
            new CommandError("ERR timeout is not an integer or out of range");
    private static final CommandError TIMEOUT_NEGATIVE = new CommandError("ERR timeout is negative");
    private static final CommandError UNBLOCK_REASON =
            new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");

    /** CLIENT HELP, as Redis 7.0 prints it. */
    private static final List<String> HELP = List.of(
            "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
            "HELP",
            "    Prints this help.");

    /** The client types of CLIENT LIST TYPE and CLIENT KILL TYPE. */
    private enum ClientType { NORMAL, REPLICA, PUBSUB, MASTER }

    private ClientCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.subcommand("client", "id", "Returns the unique id of the connection.", "O(1)", ClientCommands::id);
        table.subcommand("client", "setname", "Names the connection.", "O(1)", ClientCommands::setName);
        table.subcommand("client", "getname", "Returns the name of the connection, or null.", "O(1)",
                ClientCommands::getName);
        table.subcommand("client", "setinfo", "Records the client library's name or version, shown by CLIENT LIST.",
                "O(1)", ClientCommands::setInfo);
        table.subcommand("client", "info", "Describes the connection, as one line of CLIENT LIST.", "O(1)",
                ClientCommands::info);
        table.subcommand("client", "list", "Describes the connections, one line each, optionally of one type or"
                + " given ids.", "O(N) where N is the number of client connections", ClientCommands::list);
        table.subcommand("client", "kill", "Closes the connections of an address, or those matching every filter"
                + " given.", "O(N) where N is the number of client connections", ClientCommands::kill);
        table.subcommand("client", "no-evict", "Sets whether client eviction may close the connection.", "O(1)",
                ClientCommands::noEvict);
        table.subcommand("client", "no-touch", "Sets whether the connection's commands leave the keys' access"
                + " time (LRU/LFU) as it was.", "O(1)", ClientCommands::noTouch);
        table.subcommand("client", "reply", "Turns the replies to the connection on, off, or off for the next"
                + " command only.", "O(1)", ClientCommands::reply);
        table.subcommand("client", "unblock", "Ends the wait of a client parked by a blocking command, as its"
                + " timeout would or with an error.", "O(log N) where N is the number of client connections",
                ClientCommands::unblock);
        table.subcommand("client", "pause", "Holds the commands of all clients, or only those that may write, for"
                + " a time.", "O(1)", ClientCommands::pause);
        table.subcommand("client", "unpause", "Ends a CLIENT PAUSE: the commands it held run, in the order they"
                + " came.", "O(N) where N is the number of paused clients", ClientCommands::unpause);
        table.subcommand("client", "help", "Lists the CLIENT subcommands.", "O(1)", ClientCommands::help);
        TrackingCommands.register(table);
    }

    static void id(CommandContext c) {
        c.reply().integer(c.client().id());
    }

    static void setName(CommandContext c) {
        String name = c.argumentText(2);
        ClientNames.validate(name);
        c.client().name(name);
        c.reply().ok();
    }

    static void getName(CommandContext c) {
        String name = c.client().name();
        if (name.isEmpty()) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(name.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** CLIENT SETINFO LIB-NAME|LIB-VER value, with Redis 7.2's checks and texts. */
    static void setInfo(CommandContext c) {
        boolean libraryName = c.isKeyword(2, LIB_NAME);
        if (!libraryName && !c.isKeyword(2, LIB_VER)) {
            throw new CommandError("ERR Unrecognized option '" + c.argumentText(2) + "'");
        }
        String value = c.argumentText(3);
        if (!ClientNames.isValid(value)) {
            throw new CommandError("ERR " + c.argumentText(2) + " cannot contain spaces, newlines or special characters.");
        }
        if (libraryName) {
            c.client().libraryName(value);
        } else {
            c.client().libraryVersion(value);
        }
        c.reply().ok();
    }

    static void info(CommandContext c) {
        StringBuilder line = new StringBuilder(384);
        ClientInfoLine.append(line, c.client(), c);
        line.append('\n');
        c.reply().verbatim("txt", line.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** CLIENT LIST [TYPE type] | [ID id ...] */
    static void list(CommandContext c) {
        StringBuilder lines = new StringBuilder(384);
        int count = c.argumentCount();
        if (count == 4 && c.isKeyword(2, TYPE)) {
            ClientType type = clientType(c, 3);
            for (ClientSession client : c.engine().clients().all()) {
                if (typeOf(client) == type) {
                    ClientInfoLine.append(lines, client, c);
                    lines.append('\n');
                }
            }
        } else if (count >= 4 && c.isKeyword(2, ID)) {
            for (int i = 3; i < count; i++) {
                ClientSession client = c.engine().clients().find(c.longArgument(i, INVALID_CLIENT_ID));
                if (client != null) {
                    ClientInfoLine.append(lines, client, c);
                    lines.append('\n');
                }
            }
        } else if (count != 2) {
            throw Errors.SYNTAX;
        } else {
            for (ClientSession client : c.engine().clients().all()) {
                ClientInfoLine.append(lines, client, c);
                lines.append('\n');
            }
        }
        c.reply().verbatim("txt", lines.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * CLIENT KILL ip:port (replies OK, or an error when no client has that address), or CLIENT KILL
     * with filters ID, TYPE, ADDR, LADDR, USER, SKIPME, MAXAGE, all of which must match (replies the
     * number closed). A matching caller is closed after its reply; others at once.
     */
    static void kill(CommandContext c) {
        boolean oldForm = c.argumentCount() == 3;
        KillFilter filter = oldForm ? KillFilter.address(c.argumentText(2)) : parseKillFilter(c);
        List<ClientSession> victims = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (ClientSession client : c.engine().clients().all()) {
            if (filter.matches(client, c.client(), now)) {
                victims.add(client);
            }
        }
        for (ClientSession victim : victims) {
            if (victim == c.client()) {
                victim.closeAfterReply();
            } else {
                c.engine().clients().remove(victim);
                victim.closeNow();
            }
        }
        if (!oldForm) {
            c.reply().integer(victims.size());
        } else if (victims.isEmpty()) {
            throw NO_SUCH_CLIENT;
        } else {
            c.reply().ok();
        }
    }

    private static KillFilter parseKillFilter(CommandContext c) {
        KillFilter filter = new KillFilter();
        filter.skipMe = true;
        for (int i = 2; i < c.argumentCount(); i += 2) {
            if (i + 1 >= c.argumentCount()) {
                throw Errors.SYNTAX;
            }
            if (c.isKeyword(i, ID)) {
                filter.id = c.longArgument(i + 1, KILL_ID_NOT_POSITIVE);
                if (filter.id <= 0) {
                    throw KILL_ID_NOT_POSITIVE;
                }
            } else if (c.isKeyword(i, MAXAGE)) {
                filter.maxAgeSeconds = c.longArgument(i + 1, MAXAGE_NOT_AN_INTEGER);
                if (filter.maxAgeSeconds <= 0) {
                    throw MAXAGE_NOT_POSITIVE;
                }
            } else if (c.isKeyword(i, TYPE)) {
                filter.type = clientType(c, i + 1);
            } else if (c.isKeyword(i, ADDR)) {
                filter.address = c.argumentText(i + 1);
            } else if (c.isKeyword(i, LADDR)) {
                filter.localAddress = c.argumentText(i + 1);
            } else if (c.isKeyword(i, USER)) {
                filter.user = c.argumentText(i + 1);
                if (!filter.user.equals("default")) {
                    throw new CommandError("ERR No such user '" + filter.user + "'");
                }
            } else if (c.isKeyword(i, SKIPME)) {
                if (c.isKeyword(i + 1, YES)) {
                    filter.skipMe = true;
                } else if (c.isKeyword(i + 1, NO)) {
                    filter.skipMe = false;
                } else {
                    throw Errors.SYNTAX;
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        return filter;
    }

    /** What CLIENT KILL closes; unset criteria match every client. */
    private static final class KillFilter {
        long id;
        long maxAgeSeconds;
        ClientType type;
        String address;
        String localAddress;
        String user;
        boolean skipMe;

        static KillFilter address(String address) {
            KillFilter filter = new KillFilter();
            filter.address = address;
            return filter;
        }

        boolean matches(ClientSession client, ClientSession caller, long now) {
            return (address == null || address.equals(client.transport().remoteAddress()))
                    && (localAddress == null || localAddress.equals(client.transport().localAddress()))
                    && (type == null || type == typeOf(client))
                    && (id == 0 || id == client.id())
                    && (user == null || user.equals(client.user()))
                    && (maxAgeSeconds == 0 || (now - client.createdMillis()) / 1000 >= maxAgeSeconds)
                    && !(skipMe && client == caller);
        }
    }

    private static ClientType clientType(CommandContext c, int index) {
        String name = c.argumentText(index).toLowerCase(Locale.ROOT);
        return switch (name) {
            case "normal" -> ClientType.NORMAL;
            case "replica", "slave" -> ClientType.REPLICA;
            case "pubsub" -> ClientType.PUBSUB;
            case "master" -> ClientType.MASTER;
            default -> throw new CommandError("ERR Unknown client type '" + c.argumentText(index) + "'");
        };
    }

    /** Every client is a normal one until this server has replicas and pub/sub. */
    private static ClientType typeOf(ClientSession client) {
        return client.subscriptions() != null ? ClientType.PUBSUB : ClientType.NORMAL;
    }

    static void noEvict(CommandContext c) {
        c.client().noEvict(onOff(c));
        c.reply().ok();
    }

    static void noTouch(CommandContext c) {
        c.client().noTouch(onOff(c));
        c.reply().ok();
    }

    private static boolean onOff(CommandContext c) {
        if (c.isKeyword(2, ON)) {
            return true;
        }
        if (c.isKeyword(2, OFF)) {
            return false;
        }
        throw Errors.SYNTAX;
    }

    /**
     * CLIENT REPLY ON|OFF|SKIP. The dispatcher drops the replies the mode says to drop; SKIP takes
     * effect from the next command, and is ignored while replies are off, as in Redis.
     */
    static void reply(CommandContext c) {
        ClientSession client = c.client();
        if (c.isKeyword(2, ON)) {
            client.replyMode(ClientSession.ReplyMode.ON);
            c.reply().ok();
        } else if (c.isKeyword(2, OFF)) {
            client.replyMode(ClientSession.ReplyMode.OFF);
        } else if (c.isKeyword(2, SKIP)) {
            if (client.replyMode() != ClientSession.ReplyMode.OFF) {
                client.replyMode(ClientSession.ReplyMode.SKIP_NEXT);
            }
        } else {
            throw Errors.SYNTAX;
        }
    }

    /**
     * CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when the client was blocked (BLPOP, WAIT, XREAD ...) and
     * now is not, 0 otherwise. TIMEOUT, the default, gives it the reply its timeout would have;
     * ERROR the error "-UNBLOCKED client unblocked via CLIENT UNBLOCK". A client CLIENT PAUSE
     * holds stays held and the answer is 0, as in Redis 7.2 (7.0.15 crashes there).
     */
    static void unblock(CommandContext c) {
        int count = c.argumentCount();
        if (count > 4) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + c.argumentText(1)
                    + "'. Try CLIENT HELP.");
        }
        // The reason is checked before the id, as Redis checks them.
        boolean withError = false;
        if (count == 4) {
            if (c.isKeyword(3, ERROR)) {
                withError = true;
            } else if (!c.isKeyword(3, TIMEOUT)) {
                throw UNBLOCK_REASON;
            }
        }
        long id = c.longArgument(2);
        ClientSession target = c.engine().clients().find(id);
        BlockedClient blocked = target == null ? null : target.blocked();
        c.reply().integer(blocked != null && blocked.unblock(withError) ? 1 : 0);
    }

    /**
     * CLIENT PAUSE timeout [WRITE|ALL]: the mode is checked before the timeout, as Redis checks
     * them, and the end time is now plus the timeout with Redis 7.0.15's arithmetic (a timeout so
     * large that the sum wraps ends the pause at once, as there).
     */
    static void pause(CommandContext c) {
        int count = c.argumentCount();
        if (count > 4) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + c.argumentText(1)
                    + "'. Try CLIENT HELP.");
        }
        ClientPause.Mode mode = ClientPause.Mode.ALL;
        if (count == 4) {
            if (c.isKeyword(3, WRITE)) {
                mode = ClientPause.Mode.WRITE;
            } else if (!c.isKeyword(3, ALL)) {
                throw PAUSE_MODE;
            }
        }
        long timeout = c.longArgument(2, TIMEOUT_NOT_AN_INTEGER);
        if (timeout < 0) {
            throw TIMEOUT_NEGATIVE;
        }
        long end = timeout > 0 ? timeout + System.currentTimeMillis() : 0;
        c.engine().clientPause().pause(end, mode);
        c.reply().ok();
    }

    static void unpause(CommandContext c) {
        c.engine().clientPause().unpause();
        c.reply().ok();
    }

    static void help(CommandContext c) {
        writeHelp(c, HELP);
    }

    /** A HELP reply: an array of simple strings. */
    static void writeHelp(CommandContext c, List<String> lines) {
        c.reply().arrayHeader(lines.size());
        for (String line : lines) {
            c.reply().simpleString(line);
        }
    }
}
