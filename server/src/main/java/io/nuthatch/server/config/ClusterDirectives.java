package io.nuthatch.server.config;

/** Redis Cluster: accepted so that Redis's config files load; cluster-enabled yes is refused. */
public final class ClusterDirectives {
    private static final long INT_MAX = Integer.MAX_VALUE;
    /** Redis's NET_HOST_STR_LEN. */
    private static final int HOSTNAME_LIMIT = 256;

    public final BooleanDirective clusterEnabled;
    public final StringDirective clusterConfigFile;
    public final IntegerDirective clusterNodeTimeout;
    public final IntegerDirective clusterPort;
    public final IntegerDirective clusterReplicaValidityFactor;
    public final IntegerDirective clusterMigrationBarrier;
    public final BooleanDirective clusterAllowReplicaMigration;
    public final BooleanDirective clusterRequireFullCoverage;
    public final BooleanDirective clusterReplicaNoFailover;
    public final BooleanDirective clusterAllowReadsWhenDown;
    public final BooleanDirective clusterAllowPubsubshardWhenDown;
    public final MemoryDirective clusterLinkSendbufLimit;
    public final StringDirective clusterAnnounceHostname;
    public final StringDirective clusterAnnounceIp;
    public final IntegerDirective clusterAnnouncePort;
    public final IntegerDirective clusterAnnounceBusPort;
    public final IntegerDirective clusterAnnounceTlsPort;
    public final EnumDirective clusterPreferredEndpointType;

    ClusterDirectives(DirectiveRegistry registry) {
        String none = NoEffect.CLUSTER;
        clusterEnabled = registry.add(new BooleanDirective("cluster-enabled", false)
                .refusingYes("Nuthatch does not run in cluster mode; set cluster-enabled no")).immutable();
        clusterConfigFile = registry.add(new StringDirective("cluster-config-file", "nodes.conf")).immutable()
                .withoutEffect(none);
        clusterNodeTimeout = registry.add(new IntegerDirective("cluster-node-timeout", 15000, 0, Long.MAX_VALUE))
                .withoutEffect(none);
        clusterPort = registry.add(new IntegerDirective("cluster-port", 0, 0, 65535)).immutable().withoutEffect(none);
        clusterReplicaValidityFactor = registry.add(new IntegerDirective("cluster-replica-validity-factor", 10, 0,
                INT_MAX)).alias("cluster-slave-validity-factor").withoutEffect(none);
        clusterMigrationBarrier = registry.add(new IntegerDirective("cluster-migration-barrier", 1, 0, INT_MAX))
                .withoutEffect(none);
        clusterAllowReplicaMigration = registry.add(new BooleanDirective("cluster-allow-replica-migration", true))
                .withoutEffect(none);
        clusterRequireFullCoverage = registry.add(new BooleanDirective("cluster-require-full-coverage", true))
                .withoutEffect(none);
        clusterReplicaNoFailover = registry.add(new BooleanDirective("cluster-replica-no-failover", false))
                .alias("cluster-slave-no-failover").withoutEffect(none);
        clusterAllowReadsWhenDown = registry.add(new BooleanDirective("cluster-allow-reads-when-down", false))
                .withoutEffect(none);
        clusterAllowPubsubshardWhenDown = registry.add(new BooleanDirective("cluster-allow-pubsubshard-when-down",
                true)).withoutEffect(none);
        clusterLinkSendbufLimit = registry.add(new MemoryDirective("cluster-link-sendbuf-limit", 0, 0, -1L).unsigned())
                .withoutEffect(none);
        clusterAnnounceHostname = registry.add(new StringDirective("cluster-announce-hostname", "").emptyIsUnset()
                .validatedBy(ClusterDirectives::hostnameProblem)).withoutEffect(none);
        clusterAnnounceIp = registry.add(new StringDirective("cluster-announce-ip", "").emptyIsUnset())
                .withoutEffect(none);
        clusterAnnouncePort = registry.add(new IntegerDirective("cluster-announce-port", 0, 0, 65535))
                .withoutEffect(none);
        clusterAnnounceBusPort = registry.add(new IntegerDirective("cluster-announce-bus-port", 0, 0, 65535))
                .withoutEffect(none);
        clusterAnnounceTlsPort = registry.add(new IntegerDirective("cluster-announce-tls-port", 0, 0, 65535))
                .withoutEffect(none);
        clusterPreferredEndpointType = registry.add(new EnumDirective("cluster-preferred-endpoint-type", "ip", "ip",
                "hostname", "unknown-endpoint")).withoutEffect(none);
    }

    private static String hostnameProblem(String hostname) {
        if (hostname.length() >= HOSTNAME_LIMIT) {
            return "Hostnames must be less than " + HOSTNAME_LIMIT + " characters";
        }
        for (int i = 0; i < hostname.length(); i++) {
            char c = hostname.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.';
            if (!allowed) {
                return "Hostnames may only contain alphanumeric characters, hyphens or dots";
            }
        }
        return null;
    }
}
