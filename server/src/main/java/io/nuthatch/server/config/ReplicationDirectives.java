package io.nuthatch.server.config;

/** Replication: accepted so that Redis's config files load, without effect (Nuthatch has none). */
public final class ReplicationDirectives {
    private static final long INT_MAX = Integer.MAX_VALUE;

    public final ReplicaOfDirective replicaof;
    public final StringDirective masterauth;
    public final StringDirective masteruser;
    public final BooleanDirective replicaServeStaleData;
    public final BooleanDirective replicaReadOnly;
    public final BooleanDirective replicaLazyFlush;
    public final BooleanDirective replicaIgnoreMaxmemory;
    public final BooleanDirective replicaIgnoreDiskWriteErrors;
    public final BooleanDirective replicaAnnounced;
    public final IntegerDirective replicaPriority;
    public final StringDirective replicaAnnounceIp;
    public final IntegerDirective replicaAnnouncePort;
    public final BooleanDirective replDisklessSync;
    public final IntegerDirective replDisklessSyncDelay;
    public final IntegerDirective replDisklessSyncMaxReplicas;
    public final EnumDirective replDisklessLoad;
    public final IntegerDirective replPingReplicaPeriod;
    public final IntegerDirective replTimeout;
    public final BooleanDirective replDisableTcpNodelay;
    public final MemoryDirective replBacklogSize;
    public final IntegerDirective replBacklogTtl;
    public final IntegerDirective minReplicasToWrite;
    public final IntegerDirective minReplicasMaxLag;
    public final EnumDirective propagationErrorBehavior;

    ReplicationDirectives(DirectiveRegistry registry) {
        String none = NoEffect.REPLICATION;
        replicaof = registry.add(new ReplicaOfDirective()).alias("slaveof").immutable();
        masterauth = registry.add(new StringDirective("masterauth", "").emptyIsUnset().binarySafe()).sensitive().withoutEffect(none);
        masteruser = registry.add(new StringDirective("masteruser", "").emptyIsUnset()).sensitive().withoutEffect(none);
        replicaServeStaleData = registry.add(new BooleanDirective("replica-serve-stale-data", true))
                .alias("slave-serve-stale-data").withoutEffect(none);
        replicaReadOnly = registry.add(new BooleanDirective("replica-read-only", true)).alias("slave-read-only")
                .withoutEffect(none);
        replicaLazyFlush = registry.add(new BooleanDirective("replica-lazy-flush", false)).alias("slave-lazy-flush")
                .withoutEffect(none);
        replicaIgnoreMaxmemory = registry.add(new BooleanDirective("replica-ignore-maxmemory", true))
                .alias("slave-ignore-maxmemory").withoutEffect(none);
        replicaIgnoreDiskWriteErrors = registry.add(new BooleanDirective("replica-ignore-disk-write-errors", false))
                .withoutEffect(none);
        replicaAnnounced = registry.add(new BooleanDirective("replica-announced", true)).withoutEffect(none);
        replicaPriority = registry.add(new IntegerDirective("replica-priority", 100, 0, INT_MAX)).alias("slave-priority")
                .withoutEffect(none);
        replicaAnnounceIp = registry.add(new StringDirective("replica-announce-ip", "").emptyIsUnset())
                .alias("slave-announce-ip").withoutEffect(none);
        replicaAnnouncePort = registry.add(new IntegerDirective("replica-announce-port", 0, 0, 65535))
                .alias("slave-announce-port").withoutEffect(none);
        replDisklessSync = registry.add(new BooleanDirective("repl-diskless-sync", true)).withoutEffect(none);
        replDisklessSyncDelay = registry.add(new IntegerDirective("repl-diskless-sync-delay", 5, 0, INT_MAX))
                .withoutEffect(none);
        replDisklessSyncMaxReplicas = registry.add(new IntegerDirective("repl-diskless-sync-max-replicas", 0, 0,
                INT_MAX)).withoutEffect(none);
        replDisklessLoad = registry.add(new EnumDirective("repl-diskless-load", "disabled", "disabled", "on-empty-db",
                "swapdb")).withoutEffect(none);
        replPingReplicaPeriod = registry.add(new IntegerDirective("repl-ping-replica-period", 10, 1, INT_MAX))
                .alias("repl-ping-slave-period").withoutEffect(none);
        replTimeout = registry.add(new IntegerDirective("repl-timeout", 60, 1, INT_MAX)).withoutEffect(none);
        replDisableTcpNodelay = registry.add(new BooleanDirective("repl-disable-tcp-nodelay", false))
                .withoutEffect(none);
        replBacklogSize = registry.add(new MemoryDirective("repl-backlog-size", 1024 * 1024, 1, Long.MAX_VALUE))
                .withoutEffect(none);
        replBacklogTtl = registry.add(new IntegerDirective("repl-backlog-ttl", 3600, 0, Long.MAX_VALUE))
                .withoutEffect(none);
        minReplicasToWrite = registry.add(new IntegerDirective("min-replicas-to-write", 0, 0, INT_MAX))
                .alias("min-slaves-to-write").withoutEffect(none);
        minReplicasMaxLag = registry.add(new IntegerDirective("min-replicas-max-lag", 10, 0, INT_MAX))
                .alias("min-slaves-max-lag").withoutEffect(none);
        propagationErrorBehavior = registry.add(new EnumDirective("propagation-error-behavior", "ignore", "ignore",
                "panic", "panic-on-replicas")).withoutEffect(none);
    }
}
