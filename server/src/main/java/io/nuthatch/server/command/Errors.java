package io.nuthatch.server.command;


/**
 * The error replies more than one command family sends, worded exactly as Redis 7.0 words them.
 * Errors particular to one command live with that command.
 */
public final class Errors {
    public static final CommandError SYNTAX = new CommandError("ERR syntax error");
    public static final CommandError WRONG_TYPE =
            new CommandError("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static final CommandError NOT_AN_INTEGER = new CommandError("ERR value is not an integer or out of range");
    public static final CommandError NOT_A_FLOAT = new CommandError("ERR value is not a valid float");
    public static final CommandError OUT_OF_RANGE = new CommandError("ERR value is out of range");
    public static final CommandError INCREMENT_OVERFLOW = new CommandError("ERR increment or decrement would overflow");
    public static final CommandError NO_SUCH_KEY = new CommandError("ERR no such key");
    public static final CommandError DB_INDEX_OUT_OF_RANGE = new CommandError("ERR DB index is out of range");
    public static final CommandError STRING_TOO_LONG =
            new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    public static final CommandError NO_AUTH = new CommandError("NOAUTH Authentication required.");
    public static final CommandError OOM =
            new CommandError("OOM command not allowed when used memory > 'maxmemory'.");
    public static final CommandError LOADING = new CommandError("LOADING Redis is loading the dataset in memory");

    private Errors() {
    }

    /** "ERR wrong number of arguments for 'get' command", with the command's full name. */
    public static CommandError wrongArity(String fullName) {
        return new CommandError("ERR wrong number of arguments for '" + fullName + "' command");
    }

    /** The error for an invalid expire time, naming the command ("ERR invalid expire time in 'set' command"). */
    public static CommandError invalidExpireTime(String fullName) {
        return new CommandError("ERR invalid expire time in '" + fullName + "' command");
    }
}
