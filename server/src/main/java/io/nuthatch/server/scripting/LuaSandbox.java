package io.nuthatch.server.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.MathLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;

import java.nio.charset.StandardCharsets;

/**
 * The one Lua state every script runs in, set up as Redis 7.0 sets up its own: the base
 * functions without those that reach files or the console, string, table, math, and bit, cjson,
 * cmsgpack, struct and redis; no io, os, debug, package or require, no Java access (LuaJ's
 * luajava library is never loaded).
 *
 * <p><b>Globals are protected as in Redis 7.0.</b> Scripts see an empty table whose reads fall
 * through to the real globals (a table, so a hit costs no function call) and whose writes fail
 * with "Attempt to modify a readonly table"; a read of a name that is not there fails with
 * "Script attempted to access nonexistent global variable". KEYS and ARGV are set by the server
 * in the real table before each run.
 *
 * <p><b>Lua 5.1 over LuaJ's 5.2.</b> What this bridges: unpack, loadstring (which refuses
 * precompiled chunks, as Redis's does), table.getn, gcinfo, collectgarbage (which never starts a
 * JVM collection), tostring of numbers with Lua 5.1's {@code %.14g}. What it cannot bridge
 * without replacing LuaJ's number class: concatenating a non-integral number (LuaJ prints it as a
 * float) and runtime error texts that name variables ("attempt to index ? (a nil value)" where
 * 5.1 says "local 't'").
 */
final class LuaSandbox {
    static final String CHUNK_NAME = "@user_script";
    /** The chunk name of a function library's code, as Redis 7.0 names it. */
    static final String FUNCTION_CHUNK_NAME = "@user_function";

    final Globals globals = new Globals();
    /**
     * What scripts see as their globals: empty, reads fall through, writes refused. A Globals
     * rather than a plain table because LuaJ's closures find their debug hooks through the
     * Globals they were made with: this is where the {@link InstructionHook} is attached.
     */
    final Globals scriptGlobals = new Globals();
    final InstructionHook hook = new InstructionHook();
    /** The metatable of {@link #scriptGlobals}: where reads fall through to. */
    private final LuaTable protection = new LuaTable();

    LuaSandbox() {
        scriptGlobals.debuglib = hook;
        // With hooks attached LuaJ appends a traceback to every error message unless an error
        // function is set: this one returns the message as it is, as before the hooks.
        scriptGlobals.running.errorfunc = new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue message) {
                return message;
            }
        };
        globals.load(new BaseLib());
        globals.load(new PackageLib());
        globals.load(new StringLib());
        globals.load(new TableLib());
        globals.load(new MathLib());
        LoadState.install(globals);
        LuaC.install(globals);
        for (String name : new String[] {"dofile", "loadfile", "print", "package", "require", "module"}) {
            globals.rawset(name, LuaValue.NIL);
        }
        LuaTable table = (LuaTable) globals.rawget("table");
        globals.rawset("unpack", table.rawget("unpack"));
        table.rawset("getn", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue list) {
                return LuaValue.valueOf(list.checktable().length());
            }
        });
        globals.rawset("loadstring", new LoadString());
        globals.rawset("gcinfo", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return LuaValue.valueOf(usedKilobytes());
            }
        });
        globals.rawset("collectgarbage", new CollectGarbage());
        LuaValue originalToString = globals.rawget("tostring");
        globals.rawset("tostring", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue value) {
                if (value.type() == LuaValue.TNUMBER) {
                    return LuaValue.valueOf(CNumberFormat.g(value.todouble(), 14));
                }
                return originalToString.call(value);
            }
        });
        ((LuaTable) globals.rawget("string")).rawset("format", new StringFormat());
        globals.rawset("bit", BitLibrary.create());
        globals.rawset("cjson", CjsonLibrary.create());
        globals.rawset("cmsgpack", MessagePackLibrary.create());
        globals.rawset("struct", StructLibrary.create());
        globals.rawset("_G", scriptGlobals);
        globals.rawset("_VERSION", "Lua 5.1");

        LuaTable missing = new LuaTable();
        missing.rawset(LuaValue.INDEX, new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue table, LuaValue name) {
                throw new LuaError("Script attempted to access nonexistent global variable '" + name.tojstring() + "'");
            }
        });
        globals.setmetatable(missing);
        protection.rawset(LuaValue.INDEX, globals);
        protection.rawset(LuaValue.NEWINDEX, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                throw new LuaError("Attempt to modify a readonly table");
            }
        });
        scriptGlobals.setmetatable(protection);
    }

    /**
     * Makes the globals scripts see fall through to {@code api} instead of the real globals, while
     * a function library's code runs to register its functions (Redis 7.0 gives it only a small
     * {@code redis} table then); null restores them.
     */
    void globalsWhileLoading(LuaTable api) {
        protection.rawset(LuaValue.INDEX, api == null ? globals : api);
    }

    /** A table whose reads of missing names fail as a script's read of a missing global does. */
    static LuaTable withMissingNameError(LuaTable table) {
        LuaTable missing = new LuaTable();
        missing.rawset(LuaValue.INDEX, new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue self, LuaValue name) {
                throw new LuaError("Script attempted to access nonexistent global variable '" + name.tojstring() + "'");
            }
        });
        table.setmetatable(missing);
        return table;
    }

    /** Compiles a script's body into a function of the protected globals. */
    LuaFunction compile(byte[] body, String chunkName) {
        Prototype prototype;
        try {
            prototype = globals.compilePrototype(new java.io.ByteArrayInputStream(body), chunkName);
        } catch (java.io.IOException unreadable) {
            throw new LuaError(unreadable.getMessage());
        }
        withoutTailCalls(prototype);
        return new LuaClosure(prototype, scriptGlobals);
    }

    /**
     * Turns each tail call into a call followed by the return that always comes after it (Lua's
     * code generator emits TAILCALL A B 0 then RETURN A 0, so CALL A B 0 returns the same values).
     * LuaJ runs a tail call after the calling function's frame is gone, so an error raised by
     * {@code return redis.call(...)} would lose the script's line, which Redis's errors show.
     */
    private static void withoutTailCalls(Prototype prototype) {
        int[] code = prototype.code;
        for (int i = 0; i < code.length; i++) {
            if (Lua.GET_OPCODE(code[i]) == Lua.OP_TAILCALL) {
                code[i] = (code[i] & ~Lua.MASK_OP) | (Lua.OP_CALL << Lua.POS_OP);
            }
        }
        for (Prototype nested : prototype.p) {
            withoutTailCalls(nested);
        }
    }

    private static long usedKilobytes() {
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / 1024;
    }

    /** Lua 5.1's loadstring(text [, name]): text only; a precompiled chunk gets nil, as in Redis. */
    private final class LoadString extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs arguments) {
            LuaString text = arguments.checkstring(1);
            if (text.length() > 0 && text.luaByte(0) == 0x1b) {
                return LuaValue.NIL;
            }
            String name = arguments.optjstring(2, text.tojstring());
            try {
                return globals.load(new java.io.ByteArrayInputStream(text.m_bytes, text.m_offset, text.m_length),
                        "=" + name, "t", scriptGlobals);
            } catch (LuaError error) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(error.getMessage()));
            }
        }
    }

    /** collectgarbage: "count" reports the heap in use; nothing starts a JVM collection from a script. */
    private static final class CollectGarbage extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs arguments) {
            String option = arguments.optjstring(1, "collect");
            if (option.equals("count")) {
                return LuaValue.valueOf(usedKilobytes());
            }
            return LuaValue.ZERO;
        }
    }

    /** A Lua string's bytes as Latin-1 characters, one per byte, for messages. */
    static String text(LuaValue value) {
        if (value instanceof LuaString string) {
            return new String(string.m_bytes, string.m_offset, string.m_length, StandardCharsets.ISO_8859_1);
        }
        return value.tojstring();
    }
}
