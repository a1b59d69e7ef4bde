package io.nuthatch.server.introspection;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.pubsub.PubSub;

/**
 * What watches commands run: the slow log, the latency monitor and MONITOR's feed. The dispatcher
 * makes one call per command; a command that is not slow costs a comparison and allocates nothing,
 * and with no monitor attached the feed costs the read of one boolean.
 */
public final class Introspection {
    private final ServerConfig config;
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latencyMonitor = new LatencyMonitor();
    private final SelfMeasurements measurements = new SelfMeasurements();
    private final MonitorFeed monitors;

    public Introspection(ServerConfig config, PubSub delivery) {
        this.config = config;
        this.monitors = new MonitorFeed(delivery);
    }

    /** MONITOR's feed. */
    public MonitorFeed monitors() {
        return monitors;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    /** The latency monitor; persistence and eviction record their events (aof-*, eviction-*) here. */
    public LatencyMonitor latencyMonitor() {
        return latencyMonitor;
    }

    /** The figures of the exporter's nuthatch_* families. */
    public SelfMeasurements measurements() {
        return measurements;
    }

    /** Records an event's latency when it reaches latency-monitor-threshold (ms; 0 turns the monitor off). */
    public void latency(String event, long millis) {
        latencyMonitor.recordIfNeeded(event, millis, config.monitoring.latencyMonitorThreshold.value());
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
        latency(command.has(CommandFlag.FAST) ? "fast-command" : "command", nanos / 1_000_000);
    }
}
