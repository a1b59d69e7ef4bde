package io.nuthatch.server.command;

/**
 * The command flags of Redis 7.0, as COMMAND INFO names them. A command's flags are a bit set of
 * these ({@link #bit()}), read by the dispatcher's checks (write, denyoom, noauth, loading...).
 */
public enum CommandFlag {
    WRITE("write"),
    READONLY("readonly"),
    DENYOOM("denyoom"),
    MODULE("module"),
    ADMIN("admin"),
    PUBSUB("pubsub"),
    NOSCRIPT("noscript"),
    BLOCKING("blocking"),
    LOADING("loading"),
    STALE("stale"),
    SKIP_MONITOR("skip_monitor"),
    SKIP_SLOWLOG("skip_slowlog"),
    ASKING("asking"),
    FAST("fast"),
    NO_AUTH("no_auth"),
    MAY_REPLICATE("may_replicate"),
    SENTINEL("sentinel"),
    ONLY_SENTINEL("only_sentinel"),
    NO_MANDATORY_KEYS("no_mandatory_keys"),
    PROTECTED("protected"),
    MODULE_GETKEYS("module_getkeys"),
    MODULE_NO_CLUSTER("module_no_cluster"),
    NO_ASYNC_LOADING("no_async_loading"),
    NO_MULTI("no_multi"),
    MOVABLEKEYS("movablekeys"),
    ALLOW_BUSY("allow_busy");

    private final String flagName;

    CommandFlag(String flagName) {
        this.flagName = flagName;
    }

    public String flagName() {
        return flagName;
    }

    public long bit() {
        return 1L << ordinal();
    }

    static CommandFlag byName(String name) {
        for (CommandFlag flag : values()) {
            if (flag.flagName.equals(name)) {
                return flag;
            }
        }
        throw new IllegalArgumentException("unknown command flag " + name);
    }
}
