package io.nuthatch.server.scripting;

import io.nuthatch.persistence.rdb.RdbFormat;
import io.nuthatch.persistence.rdb.RdbInput;
import io.nuthatch.persistence.rdb.RdbOutput;
import io.nuthatch.server.codec.DumpPayload;
import io.nuthatch.server.command.CommandError;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The libraries of FUNCTION LOAD and the functions they registered, as Redis 7.0 keeps them.
 *
 * <p><b>Loading.</b> A library's code starts with {@code #!lua name=<library>}; the rest is Lua,
 * compiled as {@code @user_function} (the first line stays, empty, so that line numbers are the
 * code's) and run once, with a {@link #LOAD_TIMEOUT_MILLIS} limit, to call
 * {@code redis.register_function}. While it runs the globals it sees are only a small
 * {@code redis} table (register_function, log, the LOG_ levels, REDIS_VERSION and
 * REDIS_VERSION_NUM): no redis.call, no string or math, as in Redis, so that loading a library
 * cannot touch the dataset. Its functions then run with the globals EVAL's scripts see, in the
 * same interpreter state, minus KEYS and ARGV (a function gets them as its parameters).
 *
 * <p><b>Names.</b> Library names are compared as they are, function names without regard to
 * ASCII case (Redis's dictionaries), and both may hold only letters, digits and underscores.
 *
 * <p><b>DUMP's payload</b> is Redis's: one RDB FUNCTION2 record (opcode 245, then the library's
 * code as an RDB string) per library, then the RDB version and the CRC-64, as a key's DUMP ends.
 * Snapshots keep the same bytes, so one format serves both.
 */
public final class FunctionLibraries {
    /** How long a library's code may run to register its functions (Redis's LOAD_TIMEOUT_MS). */
    static final long LOAD_TIMEOUT_MILLIS = 500;
    /** The one engine, as FUNCTION LIST and STATS name it. */
    public static final String ENGINE = "LUA";

    /** The flags a function may declare, in the order Redis lists them; bit {@code i} is flag {@code i}. */
    public static final String[] FLAG_NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster",
        "allow-cross-slot-keys"};
    private static final int NO_WRITES = 1;
    private static final int ALLOW_OOM = 2;

    private static final String BAD_NAME = "Library names can only contain letters, numbers, or underscores(_) and"
            + " must be at least one character long";

    /** A registered function; {@code description} may be null. */
    public record LibraryFunction(String name, String description, int flags, LuaFunction callback, String library) {
        public boolean noWrites() {
            return (flags & NO_WRITES) != 0;
        }

        public boolean allowOom() {
            return (flags & ALLOW_OOM) != 0;
        }
    }

    /** A library: its name, its code as loaded (shebang included), its functions in registration order. */
    public record Library(String name, byte[] code, Map<String, LibraryFunction> functions) {
    }

    /** How FUNCTION RESTORE treats the libraries there are. */
    public enum RestorePolicy { FLUSH, APPEND, REPLACE }

    /** Libraries by name and their functions by lower-case name: the server's, or a restore's before it joins. */
    private static final class LibrarySet {
        final Map<String, Library> libraries = new LinkedHashMap<>();
        final Map<String, LibraryFunction> functions = new HashMap<>();

        void link(Library library) {
            libraries.put(library.name(), library);
            for (LibraryFunction function : library.functions().values()) {
                functions.put(lowerCase(function.name()), function);
            }
        }

        void unlink(Library library) {
            libraries.remove(library.name());
            for (LibraryFunction function : library.functions().values()) {
                functions.remove(lowerCase(function.name()));
            }
        }
    }

    private final LuaSandbox sandbox;
    private final LuaTable loadApi;
    private LibrarySet current = new LibrarySet();
    /** The library whose code runs now, which redis.register_function adds to; null otherwise. */
    private Library loading;
    private long loadDeadline;
    private final InstructionHook.Checkpoint loadCheckpoint = this::loadCheckpoint;

    FunctionLibraries(LuaSandbox sandbox, LuaTable runtimeRedis) {
        this.sandbox = sandbox;
        LuaTable redis = new LuaTable();
        redis.rawset("register_function", new RegisterFunction());
        for (String shared : new String[] {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING",
            "REDIS_VERSION", "REDIS_VERSION_NUM"}) {
            redis.rawset(shared, runtimeRedis.rawget(shared));
        }
        this.loadApi = LuaSandbox.withMissingNameError(new LuaTable());
        loadApi.rawset("redis", LuaSandbox.withMissingNameError(redis));
    }

    /** The function of a name (any case), or null. */
    public LibraryFunction find(String name) {
        return current.functions.get(lowerCase(name));
    }

    public Collection<Library> libraries() {
        return current.libraries.values();
    }

    public int libraryCount() {
        return current.libraries.size();
    }

    public int functionCount() {
        return current.functions.size();
    }

    /** FUNCTION LOAD: compiles and registers a library; its name. */
    public String load(byte[] code, boolean replace) {
        return create(code, replace, current, TimeUnit.MILLISECONDS.toNanos(LOAD_TIMEOUT_MILLIS)).name();
    }

    /**
     * A library read from an RDB file, replacing one of the same name; no time limit, as Redis
     * sets none when it loads a file (its code ran within one when it was first loaded).
     */
    public String loadWithoutTimeLimit(byte[] code) {
        return create(code, true, current, 0).name();
    }

    /** FUNCTION DELETE; false when there is no such library. */
    public boolean delete(String libraryName) {
        Library library = current.libraries.get(libraryName);
        if (library == null) {
            return false;
        }
        current.unlink(library);
        return true;
    }

    /** FUNCTION FLUSH. */
    public void flush() {
        current = new LibrarySet();
    }

    /** FUNCTION DUMP's payload of every library. */
    public byte[] dump(boolean compression) {
        RdbOutput out = new RdbOutput(compression);
        for (Library library : current.libraries.values()) {
            out.writeByte(RdbFormat.OPCODE_FUNCTION_2);
            out.writeString(library.code());
        }
        out.writeByte(RdbFormat.VERSION & 0xff);
        out.writeByte(RdbFormat.VERSION >>> 8);
        out.writeLongLittleEndian(out.checksum());
        return out.toByteArray();
    }

    /**
     * FUNCTION RESTORE: every library of a DUMP payload, or none. Errors in Redis 7.0's words;
     * with APPEND a library or function that exists already fails it, with REPLACE a library of
     * the same name goes (a function of the same name in another library still fails it).
     */
    public void restore(byte[] payload, RestorePolicy policy) {
        if (!DumpPayload.verify(payload, 0, payload.length)) {
            throw new CommandError("ERR DUMP payload version or checksum are wrong");
        }
        LibrarySet restored = new LibrarySet();
        RdbInput in = new RdbInput(payload, 0, DumpPayload.valueLength(payload.length));
        try {
            while (!in.atEnd()) {
                int type = in.readUnsignedByte();
                if (type == RdbFormat.OPCODE_FUNCTION_PRE_GA) {
                    throw new CommandError("ERR Pre-GA function format not supported");
                }
                if (type != RdbFormat.OPCODE_FUNCTION_2) {
                    throw new CommandError("ERR given type is not a function");
                }
                create(in.readString(), false, restored, 0);
            }
        } catch (IOException unreadable) {
            throw new CommandError("ERR Failed loading library payload");
        }
        if (policy == RestorePolicy.FLUSH) {
            current = restored;
            return;
        }
        join(restored, policy == RestorePolicy.REPLACE);
    }

    /** Adds the libraries of {@code restored} to the server's, or changes nothing when one collides. */
    private void join(LibrarySet restored, boolean replace) {
        List<Library> replaced = new ArrayList<>();
        String collision = null;
        for (Library library : restored.libraries.values()) {
            Library old = current.libraries.get(library.name());
            if (old != null) {
                if (!replace) {
                    collision = "ERR Library " + library.name() + " already exists";
                    break;
                }
                current.unlink(old);
                replaced.add(old);
            }
        }
        if (collision == null) {
            for (LibraryFunction function : restored.functions.values()) {
                if (current.functions.containsKey(lowerCase(function.name()))) {
                    collision = "ERR Function " + function.name() + " already exists";
                    break;
                }
            }
        }
        if (collision != null) {
            replaced.forEach(current::link);
            throw new CommandError(collision);
        }
        restored.libraries.values().forEach(current::link);
    }

    /**
     * Redis 7.0's functionsCreateWithLibraryCtx: reads the metadata, compiles and runs the code,
     * and links the library into {@code into}, replacing one of the same name when asked.
     *
     * @param timeoutNanos how long the code may run, 0 for no limit
     */
    private Library create(byte[] code, boolean replace, LibrarySet into, long timeoutNanos) {
        int newline = -1;
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new CommandError("ERR Missing library metadata");
        }
        for (int i = 0; i < code.length; i++) {
            if (code[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            throw new CommandError("ERR Invalid library metadata");
        }
        List<String> parts = ShebangWords.split(new String(code, 0, newline, StandardCharsets.ISO_8859_1));
        if (parts == null || parts.isEmpty()) {
            throw new CommandError("ERR Invalid library metadata");
        }
        String engine = parts.get(0).substring(2);
        String name = null;
        for (int i = 1; i < parts.size(); i++) {
            String part = parts.get(i);
            if (part.regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new CommandError("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = part.substring(5);
                continue;
            }
            throw new CommandError("ERR Invalid metadata value given: " + part);
        }
        if (name == null) {
            throw new CommandError("ERR Library name was not given");
        }
        if (!validName(name)) {
            throw new CommandError("ERR " + BAD_NAME);
        }
        if (!engine.equalsIgnoreCase(ENGINE)) {
            throw new CommandError("ERR Engine '" + engine + "' not found");
        }
        Library old = into.libraries.get(name);
        if (old != null && !replace) {
            throw new CommandError("ERR Library '" + name + "' already exists");
        }
        Library library = new Library(name, code, new LinkedHashMap<>());
        register(library, Arrays.copyOfRange(code, newline, code.length), timeoutNanos);
        if (library.functions().isEmpty()) {
            throw new CommandError("ERR No functions registered");
        }
        for (LibraryFunction function : library.functions().values()) {
            LibraryFunction existing = into.functions.get(lowerCase(function.name()));
            if (existing != null && (old == null || !existing.library().equals(old.name()))) {
                throw new CommandError("ERR Function " + function.name() + " already exists");
            }
        }
        if (old != null) {
            into.unlink(old);
        }
        into.link(library);
        return library;
    }

    /** Compiles the library's Lua and runs it so that it registers its functions into {@code library}. */
    private void register(Library library, byte[] lua, long timeoutNanos) {
        LuaFunction body;
        try {
            body = sandbox.compile(lua, LuaSandbox.FUNCTION_CHUNK_NAME);
        } catch (LuaError error) {
            throw new CommandError("ERR Error compiling function: " + LuaScripts.compileMessage(error.getMessage()));
        }
        loading = library;
        loadDeadline = timeoutNanos == 0 ? 0 : System.nanoTime() + timeoutNanos;
        sandbox.globalsWhileLoading(loadApi);
        sandbox.hook.checkpoint(loadCheckpoint);
        try {
            body.call();
        } catch (LuaError error) {
            throw new CommandError("ERR Error registering functions: "
                    + LuaScripts.errorText(error, LuaSandbox.FUNCTION_CHUNK_NAME));
        } catch (StackOverflowError overflow) {
            int line = sandbox.hook.currentLine();
            throw new CommandError("ERR Error registering functions: ERR "
                    + (line > 0 ? LuaSandbox.FUNCTION_CHUNK_NAME.substring(1) + ":" + line + ": " : "") + "stack overflow");
        } finally {
            sandbox.hook.checkpoint(null);
            sandbox.globalsWhileLoading(null);
            loading = null;
        }
    }

    private void loadCheckpoint() {
        if (loadDeadline != 0 && System.nanoTime() - loadDeadline > 0) {
            throw new LuaError(RedisLibrary.errorTable("FUNCTION LOAD timeout"));
        }
    }

    /** redis.register_function(name, callback) or redis.register_function{function_name=, callback=, flags=, description=}. */
    private final class RegisterFunction extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs arguments) {
            if (loading == null) {
                throw failure("redis.register_function can only be called on FUNCTION LOAD command");
            }
            int count = arguments.narg();
            if (count < 1 || count > 2) {
                throw failure("wrong number of arguments to redis.register_function");
            }
            LibraryFunction function = count == 1 ? named(arguments.arg1()) : positional(arguments);
            if (!validName(function.name())) {
                throw failure(BAD_NAME);
            }
            if (loading.functions().containsKey(function.name())) {
                throw failure("Function already exists in the library");
            }
            loading.functions().put(function.name(), function);
            return LuaValue.NONE;
        }

        private LibraryFunction positional(Varargs arguments) {
            if (!arguments.arg1().isstring()) {
                throw failure("first argument to redis.register_function must be a string");
            }
            if (!arguments.arg(2).isfunction()) {
                throw failure("second argument to redis.register_function must be a function");
            }
            return new LibraryFunction(LuaSandbox.text(arguments.arg1()), null, 0, (LuaFunction) arguments.arg(2),
                    loading.name());
        }

        private LibraryFunction named(LuaValue table) {
            if (!table.istable()) {
                throw failure("calling redis.register_function with a single argument is only applicable to Lua table"
                        + " (representing named arguments).");
            }
            String name = null;
            String description = null;
            LuaFunction callback = null;
            int flags = 0;
            LuaValue key = LuaValue.NIL;
            while (true) {
                Varargs next = table.next(key);
                key = next.arg1();
                if (key.isnil()) {
                    break;
                }
                LuaValue value = next.arg(2);
                if (!key.isstring()) {
                    throw failure("named argument key given to redis.register_function is not a string");
                }
                String argument = LuaSandbox.text(key);
                if (argument.equalsIgnoreCase("function_name")) {
                    if (!value.isstring()) {
                        throw failure("function_name argument given to redis.register_function must be a string");
                    }
                    name = LuaSandbox.text(value);
                } else if (argument.equalsIgnoreCase("description")) {
                    if (!value.isstring()) {
                        throw failure("description argument given to redis.register_function must be a string");
                    }
                    description = LuaSandbox.text(value);
                } else if (argument.equalsIgnoreCase("callback")) {
                    if (!value.isfunction()) {
                        throw failure("callback argument given to redis.register_function must be a function");
                    }
                    callback = (LuaFunction) value;
                } else if (argument.equalsIgnoreCase("flags")) {
                    if (!value.istable()) {
                        throw failure("flags argument to redis.register_function must be a table representing"
                                + " function flags");
                    }
                    flags = flags(value);
                } else {
                    throw failure("unknown argument given to redis.register_function");
                }
            }
            if (name == null) {
                throw failure("redis.register_function must get a function name argument");
            }
            if (callback == null) {
                throw failure("redis.register_function must get a callback argument");
            }
            return new LibraryFunction(name, description, flags, callback, loading.name());
        }

        private int flags(LuaValue list) {
            int flags = 0;
            for (int i = 1; ; i++) {
                LuaValue flag = list.get(i);
                if (flag.isnil()) {
                    return flags;
                }
                int bit = flag.isstring() ? flagBit(LuaSandbox.text(flag)) : -1;
                if (bit < 0) {
                    throw failure("unknown flag given");
                }
                flags |= 1 << bit;
            }
        }
    }

    private static int flagBit(String flag) {
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if (FLAG_NAMES[i].equalsIgnoreCase(flag)) {
                return i;
            }
        }
        return -1;
    }

    private static LuaError failure(String message) {
        return new LuaError(RedisLibrary.errorTable(message));
    }

    /** Letters, digits and underscores, at least one: Redis's functionsVerifyName. */
    private static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String lowerCase(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
