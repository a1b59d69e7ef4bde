package io.nuthatch.server.scripting;

/**
 * Stops a script that runs on its caller's thread so that it can run again, from its start, on
 * the script's thread (see LuaScripts#runInline): thrown before an effect that cannot be taken
 * back, or when its inline slice is over (what it changed is then taken back). An Error, so that neither pcall nor LuaJ's handlers catch it; one shared
 * instance without a stack trace, since it is control flow, not a failure.
 */
final class ScriptMoves extends Error {
    private static final long serialVersionUID = 1L;

    static final ScriptMoves MOVE = new ScriptMoves();

    private ScriptMoves() {
        super("the script moves to the script thread", null, false, false);
    }
}
