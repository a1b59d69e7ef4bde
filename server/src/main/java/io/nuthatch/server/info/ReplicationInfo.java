package io.nuthatch.server.info;

/**
 * INFO replication and cluster: Nuthatch is always a standalone master without replicas, so these
 * are Redis's figures for one — with the configured backlog size, and a replication id of its own
 * per start as Redis draws one.
 */
final class ReplicationInfo {
    /** Redis's repl-backlog-size default; no backlog is ever allocated (repl_backlog_active:0). */
    private static final long BACKLOG_SIZE = 1024 * 1024;
    private static final String NO_REPLICATION_ID = "0".repeat(40);

    private final String replicationId;

    ReplicationInfo(String replicationId) {
        this.replicationId = replicationId;
    }

    void replication(InfoFields out) {
        out.add("role", "master")
                .add("connected_slaves", 0)
                .add("master_failover_state", "no-failover")
                .add("master_replid", replicationId)
                .add("master_replid2", NO_REPLICATION_ID)
                .add("master_repl_offset", 0)
                .add("second_repl_offset", -1)
                .add("repl_backlog_active", 0)
                .add("repl_backlog_size", BACKLOG_SIZE)
                .add("repl_backlog_first_byte_offset", 0)
                .add("repl_backlog_histlen", 0);
    }

    static void cluster(InfoFields out) {
        out.add("cluster_enabled", 0);
    }
}
