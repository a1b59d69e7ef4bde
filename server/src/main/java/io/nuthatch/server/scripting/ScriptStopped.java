package io.nuthatch.server.scripting;

/**
 * Ends a script from its instruction hook (SCRIPT KILL, SHUTDOWN NOSAVE, the memory budget). An
 * Error, not a LuaError or an Exception, so that neither pcall, xpcall nor LuaJ's own handlers
 * (which catch LuaError and Exception) can catch it: the script cannot go on after it. Carries
 * the reply the script's caller gets, and no stack trace.
 */
final class ScriptStopped extends Error {
    private static final long serialVersionUID = 1L;

    ScriptStopped(String reply) {
        super(reply, null, false, false);
    }

    /** The error reply, without the leading '-'. */
    String reply() {
        return getMessage();
    }
}
