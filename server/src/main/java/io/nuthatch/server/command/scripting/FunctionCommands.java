package io.nuthatch.server.command.scripting;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.keyspace.GlobPattern;
import io.nuthatch.server.scripting.FunctionLibraries;
import io.nuthatch.server.scripting.LuaScripts;

import java.nio.charset.StandardCharsets;

/**
 * FCALL, FCALL_RO and FUNCTION LOAD, DELETE, FLUSH, LIST, DUMP, RESTORE, STATS, KILL, HELP:
 * Redis 7.0's functions ({@link FunctionLibraries}).
 *
 * <p>FUNCTION LOAD, DELETE, FLUSH and RESTORE count as changes (dirty), so that they are
 * propagated to the append-only log as sent and replayed from it; the libraries are also kept in
 * snapshots. FCALL propagates the writes its function made, as EVAL does, never itself.
 */
public final class FunctionCommands {
    private static final CommandError FUNCTION_NOT_FOUND = new CommandError("ERR Function not found");
    private static final CommandError BAD_KEY_COUNT = new CommandError("ERR Bad number of keys provided");
    private static final CommandError NEGATIVE_KEYS = new CommandError("ERR Number of keys can't be negative");
    private static final CommandError TOO_MANY_KEYS =
            new CommandError("ERR Number of keys can't be greater than number of args");
    private static final CommandError LIBRARY_NOT_FOUND = new CommandError("ERR Library not found");
    private static final CommandError FLUSH_MODE = new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    private static final CommandError RESTORE_POLICY = new CommandError("ERR Wrong restore policy given, value should"
            + " be either FLUSH, APPEND or REPLACE.");
    private static final CommandError LIBRARY_NAME_MISSING = new CommandError("ERR library name argument was not given");
    private static final byte[] REPLACE = CommandContext.keyword("REPLACE");
    private static final byte[] APPEND = CommandContext.keyword("APPEND");
    private static final byte[] FLUSH = CommandContext.keyword("FLUSH");
    private static final byte[] SYNC = CommandContext.keyword("SYNC");
    private static final byte[] ASYNC = CommandContext.keyword("ASYNC");
    private static final byte[] WITHCODE = CommandContext.keyword("WITHCODE");
    private static final byte[] LIBRARYNAME = CommandContext.keyword("LIBRARYNAME");

    private static final String[] HELP = {
        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE"
                + " command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
        "HELP",
        "    Prints this help.",
    };

    private FunctionCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("fcall", "Runs a function of a loaded library.", "Depends on the function that is executed.",
                c -> fcall(c, false));
        table.command("fcall_ro", "Runs a read-only function of a loaded library.", "Depends on the function that is"
                + " executed.", c -> fcall(c, true));
        table.subcommand("function", "load", "Loads a library of functions from its Lua code.", "O(1) (considering"
                + " compilation time is redundant)", FunctionCommands::load);
        table.subcommand("function", "delete", "Deletes a library and its functions.", "O(1)",
                FunctionCommands::delete);
        table.subcommand("function", "flush", "Deletes every library.", "O(N) where N is the number of functions"
                + " deleted", FunctionCommands::flush);
        table.subcommand("function", "list", "Describes the libraries and their functions.", "O(N) where N is the"
                + " number of functions", FunctionCommands::list);
        table.subcommand("function", "dump", "Serializes every library, for FUNCTION RESTORE.", "O(N) where N is the"
                + " number of functions", FunctionCommands::dump);
        table.subcommand("function", "restore", "Loads the libraries of a FUNCTION DUMP payload.", "O(N) where N is"
                + " the number of functions on the payload", FunctionCommands::restore);
        table.subcommand("function", "stats", "Tells which function runs now and how many are loaded.", "O(1)",
                FunctionCommands::stats);
        table.subcommand("function", "kill", "Stops the function running now, if it has not written.", "O(1)",
                FunctionCommands::kill);
        table.subcommand("function", "help", "Describes the FUNCTION subcommands.", "O(1)", FunctionCommands::help);
    }

    private static FunctionLibraries functions(CommandContext c) {
        return c.engine().scripts().functions();
    }

    static void fcall(CommandContext c, boolean readOnly) {
        ScriptingCommands.feedMonitors(c);
        FunctionLibraries.LibraryFunction function = functions(c).find(c.argumentText(1));
        if (function == null) {
            throw FUNCTION_NOT_FOUND;
        }
        long keys = c.longArgument(2, BAD_KEY_COUNT);
        if (keys > c.argumentCount() - 3) {
            throw TOO_MANY_KEYS;
        }
        if (keys < 0) {
            throw NEGATIVE_KEYS;
        }
        c.engine().scripts().call(c, function, 3, (int) keys, readOnly);
        c.suppressPropagation();
    }

    /** FUNCTION LOAD [REPLACE] code */
    static void load(CommandContext c) {
        boolean replace = false;
        int code = c.argumentCount() - 1;
        for (int i = 2; i < code; i++) {
            if (!c.isKeyword(i, REPLACE)) {
                throw new CommandError("ERR Unknown option given: " + c.argumentText(i));
            }
            replace = true;
        }
        String name = functions(c).load(c.copyArgument(code), replace);
        c.markDirty();
        c.reply().bulk(name);
    }

    static void delete(CommandContext c) {
        if (!functions(c).delete(c.argumentText(2))) {
            throw LIBRARY_NOT_FOUND;
        }
        c.markDirty();
        c.reply().ok();
    }

    /** FUNCTION FLUSH [ASYNC|SYNC]: both free at once, the libraries are small. */
    static void flush(CommandContext c) {
        if (c.argumentCount() > 3) {
            throw syntaxError(c);
        }
        if (c.argumentCount() == 3 && !c.isKeyword(2, SYNC) && !c.isKeyword(2, ASYNC)) {
            throw FLUSH_MODE;
        }
        c.engine().clearFunctionLibraries();
        c.markDirty();
        c.reply().ok();
    }

    /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE], in Redis's order of checks. */
    static void list(CommandContext c) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < c.argumentCount(); i++) {
            if (!withCode && c.isKeyword(i, WITHCODE)) {
                withCode = true;
                continue;
            }
            if (pattern == null && c.isKeyword(i, LIBRARYNAME)) {
                if (i >= c.argumentCount() - 1) {
                    throw LIBRARY_NAME_MISSING;
                }
                pattern = c.copyArgument(++i);
                continue;
            }
            throw new CommandError("ERR Unknown argument " + c.argumentText(i));
        }
        ReplyWriter reply = c.reply();
        int mark = reply.beginDeferred();
        int listed = 0;
        for (FunctionLibraries.Library library : functions(c).libraries()) {
            byte[] name = library.name().getBytes(StandardCharsets.ISO_8859_1);
            // Redis matches the pattern without regard to case, although names are compared with it.
            if (pattern != null && !GlobPattern.matches(pattern, name, 0, name.length, true)) {
                continue;
            }
            listed++;
            reply.mapHeader(withCode ? 4 : 3);
            reply.bulk("library_name");
            reply.bulk(name);
            reply.bulk("engine");
            reply.bulk(FunctionLibraries.ENGINE);
            reply.bulk("functions");
            reply.arrayHeader(library.functions().size());
            for (FunctionLibraries.LibraryFunction function : library.functions().values()) {
                reply.mapHeader(3);
                reply.bulk("name");
                reply.bulk(function.name().getBytes(StandardCharsets.ISO_8859_1));
                reply.bulk("description");
                if (function.description() == null) {
                    reply.nullBulk();
                } else {
                    reply.bulk(function.description().getBytes(StandardCharsets.ISO_8859_1));
                }
                reply.bulk("flags");
                reply.setHeader(Integer.bitCount(function.flags()));
                for (int flag = 0; flag < FunctionLibraries.FLAG_NAMES.length; flag++) {
                    if ((function.flags() & (1 << flag)) != 0) {
                        reply.simpleString(FunctionLibraries.FLAG_NAMES[flag]);
                    }
                }
            }
            if (withCode) {
                reply.bulk("library_code");
                reply.bulk(library.code());
            }
        }
        reply.endDeferredArray(mark, listed);
    }

    static void dump(CommandContext c) {
        c.reply().bulk(functions(c).dump(c.config().persistence.rdbcompression.value()));
    }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] */
    static void restore(CommandContext c) {
        if (c.argumentCount() > 4) {
            throw syntaxError(c);
        }
        FunctionLibraries.RestorePolicy policy = FunctionLibraries.RestorePolicy.APPEND;
        if (c.argumentCount() == 4) {
            if (c.isKeyword(3, APPEND)) {
                policy = FunctionLibraries.RestorePolicy.APPEND;
            } else if (c.isKeyword(3, REPLACE)) {
                policy = FunctionLibraries.RestorePolicy.REPLACE;
            } else if (c.isKeyword(3, FLUSH)) {
                policy = FunctionLibraries.RestorePolicy.FLUSH;
            } else {
                throw RESTORE_POLICY;
            }
        }
        functions(c).restore(c.copyArgument(2), policy);
        c.markDirty();
        c.reply().ok();
    }

    static void stats(CommandContext c) {
        LuaScripts.RunningFunction running = c.engine().scripts().runningFunction();
        ReplyWriter reply = c.reply();
        reply.mapHeader(2);
        reply.bulk("running_script");
        if (running == null) {
            reply.nullBulk();
        } else {
            reply.mapHeader(3);
            reply.bulk("name");
            reply.bulk(running.name());
            reply.bulk("command");
            reply.arrayHeader(running.command().length);
            for (byte[] argument : running.command()) {
                reply.bulk(argument);
            }
            reply.bulk("duration_ms");
            reply.integer(running.durationMillis());
        }
        reply.bulk("engines");
        reply.mapHeader(1);
        reply.bulk(FunctionLibraries.ENGINE);
        reply.mapHeader(2);
        reply.bulk("libraries_count");
        reply.integer(functions(c).libraryCount());
        reply.bulk("functions_count");
        reply.integer(functions(c).functionCount());
    }

    static void kill(CommandContext c) {
        c.engine().scripts().kill(true);
        c.reply().ok();
    }

    static void help(CommandContext c) {
        c.reply().arrayHeader(HELP.length);
        for (String line : HELP) {
            c.reply().simpleString(line);
        }
    }

    private static CommandError syntaxError(CommandContext c) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + c.argumentText(1)
                + "'. Try FUNCTION HELP.");
    }
}
