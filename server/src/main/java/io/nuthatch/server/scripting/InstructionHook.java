package io.nuthatch.server.scripting;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * LuaJ's debug hooks, used as Redis uses lua_sethook's count hook: every {@link #INTERVAL}
 * instructions of a script the {@link Checkpoint} runs (time slice, kill flag, memory budget, the
 * gate's yield point). Nothing else of LuaJ's debug library is loaded: scripts see no debug table.
 *
 * <p>It also keeps the prototypes of the Lua functions on the call stack and the last program
 * counter (an array store per call, a field store per instruction, no allocation), so that a
 * script stopped from outside gets Redis's "on @user_script:N." with the line it was at.
 */
final class InstructionHook extends DebugLib {
    /**
     * Instructions between checkpoints: a few microseconds of LuaJ's interpreter, so that the
     * checkpoint's clock and heap reads cost about 1% and a table filled with large strings is
     * seen before it has taken much of the heap.
     */
    static final int INTERVAL = 256;

    /** What runs at each checkpoint; it throws {@link ScriptStopped} to end the script. */
    interface Checkpoint {
        void reached();
    }

    private static final Checkpoint NONE = () -> { };

    private Checkpoint checkpoint = NONE;
    private int countdown = INTERVAL;
    private Prototype[] frames = new Prototype[16];
    private int depth;
    private int pc;

    /** Attaches the checkpoint of the script about to run; {@code null} detaches it. */
    void checkpoint(Checkpoint next) {
        checkpoint = next == null ? NONE : next;
        countdown = INTERVAL;
        depth = 0;
    }

    @Override
    public void onCall(LuaClosure closure, Varargs varargs, LuaValue[] stack) {
        if (depth == frames.length) {
            frames = java.util.Arrays.copyOf(frames, depth * 2);
        }
        frames[depth++] = closure.p;
    }

    @Override
    public void onCall(LuaFunction function) {
        // Only closures are tracked; LuaJ's library functions call no hooks on these globals.
    }

    @Override
    public void onReturn() {
        if (depth > 0) {
            depth--;
        }
    }

    @Override
    public void onInstruction(int programCounter, Varargs varargs, int top) {
        pc = programCounter;
        if (--countdown <= 0) {
            countdown = INTERVAL;
            checkpoint.reached();
        }
    }

    /** The source line the script is at, or 0 when unknown. */
    int currentLine() {
        if (depth == 0) {
            return 0;
        }
        int[] lines = frames[depth - 1].lineinfo;
        return lines != null && pc >= 0 && pc < lines.length ? lines[pc] : 0;
    }

    @Override
    public String traceback(int level) {
        return "";
    }
}
