package io.nuthatch.server.command.server;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.introspection.SlowLog;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** SLOWLOG GET/LEN/RESET/HELP over the engine's {@link SlowLog}, with Redis 7.0's replies. */
public final class SlowlogCommands {
    /** Redis reads the count with getRangeLongFromObjectOrReply(-1, LONG_MAX): any failure says this. */
    private static final CommandError BAD_COUNT = new CommandError("ERR count should be greater than or equal to -1");
    private static final long DEFAULT_COUNT = 10;

    private static final String[] HELP = {
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        "HELP",
        "    Prints this help.",
    };

    private SlowlogCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.subcommand("slowlog", "get", "Returns the newest entries of the slow log (10, or count; -1 for all).",
                "O(N) where N is the number of entries returned", SlowlogCommands::get);
        table.subcommand("slowlog", "len", "Returns the number of entries in the slow log.", "O(1)",
                c -> c.reply().integer(c.engine().introspection().slowLog().length()));
        table.subcommand("slowlog", "reset", "Empties the slow log.", "O(N) where N is the number of entries",
                SlowlogCommands::reset);
        table.subcommand("slowlog", "help", "Describes the SLOWLOG subcommands.", "O(1)", SlowlogCommands::help);
    }

    static void get(CommandContext c) {
        if (c.argumentCount() > 3) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + c.argumentText(1)
                    + "'. Try SLOWLOG HELP.");
        }
        long count = DEFAULT_COUNT;
        if (c.argumentCount() == 3) {
            count = c.longArgument(2, BAD_COUNT);
            if (count < -1) {
                throw BAD_COUNT;
            }
        }
        List<SlowLog.Entry> entries = c.engine().introspection().slowLog().newest(count);
        ReplyWriter reply = c.reply();
        reply.arrayHeader(entries.size());
        for (SlowLog.Entry entry : entries) {
            reply.arrayHeader(6);
            reply.integer(entry.id());
            reply.integer(entry.unixSeconds());
            reply.integer(entry.durationMicros());
            reply.arrayHeader(entry.arguments().size());
            for (byte[] argument : entry.arguments()) {
                reply.bulk(argument);
            }
            reply.bulk(entry.clientAddress().getBytes(StandardCharsets.ISO_8859_1));
            reply.bulk(entry.clientName().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    static void reset(CommandContext c) {
        c.engine().introspection().slowLog().reset();
        c.reply().ok();
    }

    static void help(CommandContext c) {
        c.reply().arrayHeader(HELP.length);
        for (String line : HELP) {
            c.reply().simpleString(line);
        }
    }
}
