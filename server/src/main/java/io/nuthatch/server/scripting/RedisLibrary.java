package io.nuthatch.server.scripting;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.acl.AclLog;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.ServerIdentity;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.log.ServerLog;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

import java.util.Set;

/**
 * The {@code redis} table scripts see: call and pcall (a command run as the script's client,
 * inside the script's execution unit, its reply converted by {@link ReplyToLua}), error_reply,
 * status_reply, sha1hex, log, setresp, set_repl, replicate_commands, breakpoint, debug, and the
 * constants (REDIS_VERSION, LOG_*, REPL_*).
 *
 * <p>The checks before a script's command, in Redis 7.0's order and words: at least one argument;
 * arguments strings or numbers (a number is passed as C's {@code %.17g} prints it); a known
 * command; its arity; not flagged noscript; not a write in a read-only script (EVAL_RO); no first
 * write (a denyoom command) when the check before the script found memory over maxmemory.
 * redis.call raises each failure, and a command's error reply, as an error table; redis.pcall
 * returns it.
 */
final class RedisLibrary {
    private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.";
    private static final int REPL_AOF = 1;
    private static final int REPL_REPLICA = 2;
    private static final String[] LOG_LEVELS = {"LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING"};

    private final Engine engine;
    private final ScriptClient client = new ScriptClient();
    private final CommandContext context;
    private final LuaTable table = new LuaTable();

    private CommandContext caller;
    private boolean readOnly;
    private boolean wrote;
    /** Writes an UndoLog refuses whatever their size: they change whole databases. */
    private static final Set<String> CHANGES_ALL_KEYS = Set.of("flushall", "flushdb", "swapdb");

    private boolean moveBeforeEffects;
    private final RequestArguments request = new RequestArguments();
    /** While moving before effects: whether writes the keyspace can take back may run (see UndoLog). */
    private boolean writesTakenBack;
    /** The script's shebang declared allow-oom or no-writes: maxmemory does not stop its writes. */
    private boolean allowOom;
    private int protocol = 2;

    RedisLibrary(Engine engine) {
        this.engine = engine;
        this.context = engine.dispatcher().newContext(client.session);
        context.denyBlocking(true);
        table.rawset("call", new Call(true));
        table.rawset("pcall", new Call(false));
        table.rawset("error_reply", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue message) {
                if (!message.isstring()) {
                    throw new LuaError(errorTable("wrong number or type of arguments"));
                }
                String text = LuaSandbox.text(message);
                return errorTable(text.startsWith("-") ? text : "-" + text);
            }
        });
        table.rawset("status_reply", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue message) {
                if (!message.isstring()) {
                    throw new LuaError(errorTable("wrong number or type of arguments"));
                }
                LuaTable status = new LuaTable();
                status.rawset(ReplyToLua.OK, message.checkstring());
                return status;
            }
        });
        table.rawset("sha1hex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                if (arguments.narg() != 1) {
                    throw new LuaError(errorTable("wrong number of arguments"));
                }
                LuaString text = arguments.arg1().checkstring();
                return LuaValue.valueOf(LuaScripts.sha1Hex(text.m_bytes, text.m_offset, text.m_length));
            }
        });
        table.rawset("log", new Log());
        table.rawset("setresp", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue version) {
                int requested = version.checkint();
                if (requested != 2 && requested != 3) {
                    throw new LuaError(errorTable("RESP version must be 2 or 3."));
                }
                protocol = requested;
                client.session.reply().protocol(requested);
                return LuaValue.NONE;
            }
        });
        table.rawset("set_repl", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                if (caller == null) {
                    throw new LuaError(errorTable("redis.set_repl can only be called inside a script invocation"));
                }
                if (arguments.narg() != 1) {
                    // Redis 7.0's words, for a call that takes one argument.
                    throw new LuaError(errorTable("redis.set_repl() requires two arguments."));
                }
                // lua_tonumber: a numeric string counts, anything else is 0 (REPL_NONE).
                LuaValue number = arguments.arg1().tonumber();
                int flags = number.isnil() ? 0 : (int) number.todouble();
                if ((flags & ~(REPL_AOF | REPL_REPLICA)) != 0) {
                    throw new LuaError(errorTable(
                            "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."));
                }
                // With no replicas, only the log is left to decide.
                engine.propagation().recordCommands((flags & REPL_AOF) != 0);
                return LuaValue.NONE;
            }
        });
        table.rawset("replicate_commands", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                // Effects replication is the only kind in Redis 7.0; the call stays for old scripts.
                return LuaValue.TRUE;
            }
        });
        table.rawset("breakpoint", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                return LuaValue.FALSE;
            }
        });
        table.rawset("debug", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                return LuaValue.NONE;
            }
        });
        table.rawset("REDIS_VERSION", ServerIdentity.REDIS_VERSION);
        table.rawset("REDIS_VERSION_NUM", versionNumber(ServerIdentity.REDIS_VERSION));
        for (int level = 0; level < LOG_LEVELS.length; level++) {
            table.rawset(LOG_LEVELS[level], level);
        }
        table.rawset("REPL_NONE", 0);
        table.rawset("REPL_AOF", REPL_AOF);
        table.rawset("REPL_SLAVE", REPL_REPLICA);
        table.rawset("REPL_REPLICA", REPL_REPLICA);
        table.rawset("REPL_ALL", REPL_AOF | REPL_REPLICA);
    }

    LuaTable table() {
        return table;
    }

    /** The protocol the running script chose (redis.setresp), 2 unless it chose 3. */
    int protocol() {
        return protocol;
    }

    void begin(CommandContext caller, String sha, boolean readOnly, boolean allowOom) {
        this.caller = caller;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
        this.wrote = false;
        this.protocol = 2;
        client.replies.clear();
        engine.propagation().recordCommands(true);
        client.session.reply().protocol(2);
        client.session.database(caller.client().database());
    }

    /**
     * While on, a command that writes or may be propagated (PUBLISH) is not run: the script is
     * stopped with {@link ScriptMoves} first, to be run again from its start elsewhere. With
     * {@code writesTakenBack}, the keyspace records what commands change so that it can be taken
     * back, and the writes it can take back run (not FLUSHDB, FLUSHALL or SWAPDB, nor what
     * only propagates, such as PUBLISH).
     */
    void moveBeforeEffects(boolean move, boolean writesTakenBack) {
        moveBeforeEffects = move;
        this.writesTakenBack = writesTakenBack;
    }

    private static boolean canBeTakenBack(CommandSpec command) {
        return command.has(CommandFlag.WRITE) && !command.has(CommandFlag.MAY_REPLICATE)
                && !CHANGES_ALL_KEYS.contains(command.name());
    }

    /** Whether the running script has called a write command (SCRIPT KILL refuses then). */
    boolean wrote() {
        return wrote;
    }

    void end() {
        engine.propagation().recordCommands(true);
        caller = null;
        client.replies.clear();
    }

    /** redis.call (raise) and redis.pcall (return the error table). */
    private final class Call extends VarArgFunction {
        private final boolean raise;

        Call(boolean raise) {
            this.raise = raise;
        }

        @Override
        public Varargs invoke(Varargs arguments) {
            if (caller == null) {
                throw new LuaError("redis.call can only be used inside a script");
            }
            LuaValue result = run(arguments);
            if (raise && result.istable() && result.rawget(ReplyToLua.ERR).isstring()) {
                throw new LuaError(result);
            }
            return result;
        }
    }

    private LuaValue run(Varargs arguments) {
        int count = arguments.narg();
        if (count == 0) {
            return errorTable("Please specify at least one argument for this redis lib call");
        }
        // One request reused by every call: a call never starts while another runs, and nothing a
        // command keeps points into it (as with a connection's request, which the decoder reuses).
        RequestArguments request = this.request;
        request.clear();
        for (int i = 0; i < count; i++) {
            LuaValue argument = arguments.arg(i + 1);
            if (argument.type() == LuaValue.TNUMBER) {
                byte[] digits = LuaScripts.latin1(CNumberFormat.g(argument.todouble(), 17));
                request.add(digits, 0, digits.length);
            } else if (argument.type() == LuaValue.TSTRING) {
                LuaString string = argument.checkstring();
                request.add(string.m_bytes, string.m_offset, string.m_length);
            } else {
                return errorTable("Lua redis lib command arguments must be strings or integers");
            }
        }
        CommandSpec command = engine.commands().lookup(request);
        if (command == null) {
            return errorTable("Unknown Redis command called from script");
        }
        if (!command.acceptsArgumentCount(count)) {
            return errorTable("Wrong number of args calling Redis command from script");
        }
        if (command.has(CommandFlag.NOSCRIPT)) {
            return errorTable("This Redis command is not allowed from script");
        }
        // The script runs as its caller's user.
        ClientSession runAs = caller != null ? caller.client()
                : engine.currentClient() != null ? engine.currentClient() : client.session;
        AclLog.Reason denial = engine.acl().checkFromScript(runAs, command, request);
        if (denial != null) {
            return errorTable(switch (denial) {
                case COMMAND -> "The user executing the script can't run this command or subcommand";
                case KEY -> "The user executing the script can't access at least one of the keys mentioned in the"
                        + " command arguments";
                default -> "The user executing the script can't publish to the channel mentioned in the command";
            });
        }
        if (readOnly && command.has(CommandFlag.WRITE)) {
            return errorTable("Write commands are not allowed from read-only scripts.");
        }
        if (moveBeforeEffects && (command.has(CommandFlag.WRITE) || command.has(CommandFlag.MAY_REPLICATE))
                && !(writesTakenBack && canBeTakenBack(command))) {
            // Run on the caller's thread so far, the script could not take this back to move later.
            throw ScriptMoves.MOVE;
        }
        // Redis 7.0's scriptVerifyOOM: a script that has not written yet may not start writing when
        // the check before the EVAL found memory over maxmemory; once it wrote it may not stop half way.
        if (!wrote && !allowOom && command.has(CommandFlag.DENYOOM) && engine.eviction().refusesWrites()) {
            return errorTable(OOM);
        }
        if (command.has(CommandFlag.WRITE)) {
            wrote = true;
        }
        int start = client.replies.writerIndex();
        engine.dispatcher().runInUnit(context, command, request);
        if (command.has(CommandFlag.READONLY)) {
            engine.tracking().scriptRead(caller.client(), caller.command(), caller.arguments());
        }
        LuaValue reply;
        if (ReplyToLua.isError(client.replies, start)) {
            reply = errorTable("-" + ReplyToLua.errorText(client.replies, start));
        } else {
            reply = ReplyToLua.convert(client.replies, start);
        }
        client.replies.clear();
        return reply;
    }

    /**
     * An error table as Redis's luaPushError builds it: a message that starts with '-' carries its
     * own code (the word after it), any other gets "ERR".
     */
    static LuaTable errorTable(String message) {
        String text;
        if (message.startsWith("-")) {
            int space = message.indexOf(' ');
            text = space < 0 ? "ERR " + message.substring(1) : message.substring(1);
        } else {
            text = "ERR " + message;
        }
        int lineEnd = text.indexOf('\r');
        if (lineEnd < 0) {
            lineEnd = text.indexOf('\n');
        }
        if (lineEnd >= 0) {
            text = text.substring(0, lineEnd);
        }
        LuaTable error = new LuaTable();
        error.rawset(ReplyToLua.ERR, LuaString.valueUsing(LuaScripts.latin1(text)));
        return error;
    }

    /** redis.log(level, message ...): the message parts joined by spaces, at the level given. */
    private final class Log extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs arguments) {
            if (arguments.narg() < 2) {
                throw new LuaError(errorTable("redis.log() requires two arguments or more."));
            }
            if (!arguments.arg1().isnumber()) {
                throw new LuaError(errorTable("First argument must be a number (log level)."));
            }
            int level = arguments.arg1().toint();
            if (level < 0 || level >= LOG_LEVELS.length) {
                throw new LuaError(errorTable("Invalid debug level."));
            }
            StringBuilder message = new StringBuilder();
            for (int i = 2; i <= arguments.narg(); i++) {
                if (i > 2) {
                    message.append(' ');
                }
                message.append(LuaSandbox.text(arguments.arg(i)));
            }
            engine.log().log(ServerLog.Level.values()[level], message.toString());
            return LuaValue.NONE;
        }
    }

    private static int versionNumber(String version) {
        String[] parts = version.split("\\.");
        return (Integer.parseInt(parts[0]) << 16) | (Integer.parseInt(parts[1]) << 8) | Integer.parseInt(parts[2]);
    }
}
