package io.nuthatch.server.config;

/** What the server reports about itself: slow log, latency, keyspace events, the busy-script threshold. */
public final class MonitoringDirectives {
    public final IntegerDirective slowlogLogSlowerThan;
    public final IntegerDirective slowlogMaxLen;
    public final IntegerDirective latencyMonitorThreshold;
    public final BooleanDirective latencyTracking;
    public final PercentileListDirective latencyTrackingInfoPercentiles;
    public final NotifyKeyspaceEventsDirective notifyKeyspaceEvents;
    public final IntegerDirective busyReplyThreshold;

    MonitoringDirectives(DirectiveRegistry registry) {
        slowlogLogSlowerThan = registry.add(new IntegerDirective("slowlog-log-slower-than", 10000, -1, Long.MAX_VALUE));
        slowlogMaxLen = registry.add(new IntegerDirective("slowlog-max-len", 128, 0, Long.MAX_VALUE));
        latencyMonitorThreshold = registry.add(new IntegerDirective("latency-monitor-threshold", 0, 0, Long.MAX_VALUE));
        latencyTracking = registry.add(new BooleanDirective("latency-tracking", true));
        latencyTrackingInfoPercentiles = registry.add(new PercentileListDirective());
        notifyKeyspaceEvents = registry.add(new NotifyKeyspaceEventsDirective());
        busyReplyThreshold = registry.add(new IntegerDirective("busy-reply-threshold", 5000, 0, Long.MAX_VALUE))
                .alias("lua-time-limit");
    }
}
