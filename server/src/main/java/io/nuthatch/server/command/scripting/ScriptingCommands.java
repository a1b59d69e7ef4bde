package io.nuthatch.server.command.scripting;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.scripting.LuaScripts;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD, EXISTS, FLUSH, KILL, HELP.
 *
 * <p>A script runs inside the execution unit of the command that runs it: the writes of its
 * redis.call commands are propagated together when it ends (wrapped in MULTI/EXEC when several,
 * Redis 7.0's effects replication), and the EVAL itself is not propagated.
 */
public final class ScriptingCommands {
    private static final CommandError NEGATIVE_KEYS = new CommandError("ERR Number of keys can't be negative");
    private static final CommandError TOO_MANY_KEYS =
            new CommandError("ERR Number of keys can't be greater than number of args");
    private static final CommandError NO_SCRIPT = new CommandError("NOSCRIPT No matching script. Please use EVAL.");
    private static final CommandError FLUSH_MODE = new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    private static final byte[] ASYNC = CommandContext.keyword("ASYNC");
    private static final byte[] SYNC = CommandContext.keyword("SYNC");

    private static final String[] HELP = {
        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Prints this help.",
    };

    private ScriptingCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("eval", "Runs a Lua script with the keys and arguments given.", "Depends on the script that"
                + " is executed.", c -> eval(c, false));
        table.command("evalsha", "Runs a cached Lua script, named by its SHA1.", "Depends on the script that is"
                + " executed.", c -> evalSha(c, false));
        table.command("eval_ro", "Runs a read-only Lua script: it may not call commands that write.", "Depends on"
                + " the script that is executed.", c -> eval(c, true));
        table.command("evalsha_ro", "Runs a cached read-only Lua script, named by its SHA1.", "Depends on the"
                + " script that is executed.", c -> evalSha(c, true));
        table.subcommand("script", "load", "Compiles a script into the cache without running it; replies its"
                + " SHA1.", "O(N) with N being the length in bytes of the script body.", ScriptingCommands::load);
        table.subcommand("script", "exists", "Tells, for each SHA1, whether its script is in the cache.", "O(N) with"
                + " N being the number of scripts to check (so checking a single script is an O(1) operation).",
                ScriptingCommands::exists);
        table.subcommand("script", "flush", "Empties the script cache.", "O(N) with N being the number of scripts"
                + " in cache", ScriptingCommands::flush);
        table.subcommand("script", "kill", "Stops the script running now, if it has not written.", "O(1)",
                ScriptingCommands::kill);
        table.subcommand("script", "help", "Describes the SCRIPT subcommands.", "O(1)", ScriptingCommands::help);
    }

    private static LuaScripts scripts(CommandContext c) {
        return c.engine().scripts();
    }

    /** The number of keys, argument 2, checked against the arguments there are. */
    private static int keyCount(CommandContext c) {
        long keys = c.longArgument(2);
        if (keys > c.argumentCount() - 3) {
            throw TOO_MANY_KEYS;
        }
        if (keys < 0) {
            throw NEGATIVE_KEYS;
        }
        return (int) keys;
    }

    static void eval(CommandContext c, boolean readOnly) {
        feedMonitors(c);
        int keys = keyCount(c);
        LuaScripts.Script script = scripts(c).load(c.copyArgument(1));
        run(c, script, keys, readOnly);
    }

    static void evalSha(CommandContext c, boolean readOnly) {
        feedMonitors(c);
        int keys = keyCount(c);
        LuaScripts.Script script = scripts(c).find(c.argumentText(1));
        if (script == null) {
            throw NO_SCRIPT;
        }
        run(c, script, keys, readOnly);
    }

    /** MONITOR's line for a command that runs a script, before the lines of the script's commands. */
    static void feedMonitors(CommandContext c) {
        if (c.engine().introspection().monitors().isActive()) {
            c.engine().introspection().monitors().scriptStarts(c.client(), c.command(), c.arguments());
        }
    }

    private static void run(CommandContext c, LuaScripts.Script script, int keys, boolean readOnly) {
        scripts(c).run(c, script, 3, keys, readOnly);
        c.suppressPropagation();
    }

    static void load(CommandContext c) {
        LuaScripts.Script script = scripts(c).load(c.copyArgument(2));
        c.reply().bulk(script.sha());
    }

    static void exists(CommandContext c) {
        c.reply().arrayHeader(c.argumentCount() - 2);
        for (int i = 2; i < c.argumentCount(); i++) {
            c.reply().integer(scripts(c).find(c.argumentText(i)) != null ? 1 : 0);
        }
    }

    static void flush(CommandContext c) {
        if (c.argumentCount() > 3 || (c.argumentCount() == 3 && !c.isKeyword(2, ASYNC) && !c.isKeyword(2, SYNC))) {
            throw FLUSH_MODE;
        }
        scripts(c).flush();
        c.reply().ok();
    }

    static void kill(CommandContext c) {
        scripts(c).kill(false);
        c.reply().ok();
    }

    static void help(CommandContext c) {
        c.reply().arrayHeader(HELP.length);
        for (String line : HELP) {
            c.reply().simpleString(line);
        }
    }
}
