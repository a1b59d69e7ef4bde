package io.nuthatch.server.introspection;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.config.ServerConfig;

/**
 * What watches commands run: the slow log (and, with it, the latency monitor and MONITOR's feed
 * as they land). The dispatcher makes one call per command; a command that is not slow costs a
 * comparison and allocates nothing.
 */
public final class Introspection {
    private final ServerConfig config;
    private final SlowLog slowLog = new SlowLog();

    public Introspection(ServerConfig config) {
        this.config = config;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    /**
     * A command ran (or a blocked command's wait ended) in {@code nanos}: recorded as Redis's call()
     * records it, the arguments as the client sent them, unless the command is flagged
     * skip_slowlog (EXEC: its commands are logged one by one).
     */
    public void commandDone(ClientSession client, CommandSpec command, RequestArguments arguments, long nanos) {
        if (!command.has(CommandFlag.SKIP_SLOWLOG)) {
            slowLog.consider(client, arguments, nanos / 1000, config.monitoring.slowlogLogSlowerThan.value(),
                    config.monitoring.slowlogMaxLen.value());
        }
    }
}
