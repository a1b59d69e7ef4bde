package io.nuthatch.server.info;

import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.info.InstantaneousMetrics.Metric;
import io.nuthatch.server.pubsub.PubSub;

import java.util.ArrayList;
import java.util.List;

/**
 * INFO stats: the server-wide counters of {@link ServerStats} and the instantaneous rates, with
 * Redis's names and in its order. Figures of features Nuthatch does not have (replication, forks,
 * defragmentation) are Redis's idle values.
 *
 * <p>Nuthatch's event loop is Netty's: a "cycle" (eventloop_cycles, a Redis 7.2 field that
 * redis_exporter reads) is one read batch decoded and run, and its duration the time that took.
 */
final class StatsInfo {
    private final Engine engine;
    /** Every command and subcommand, flattened once: the table does not change after startup. */
    private CommandSpec[] allCommands;

    StatsInfo(Engine engine) {
        this.engine = engine;
    }

    /** Takes the instantaneous samples; called by the cron, under the engine lock. */
    void sample() {
        ServerStats stats = engine.stats();
        stats.instantaneous.sample(stats.commandsProcessed, stats.netInputBytes.sum(), stats.netOutputBytes.sum(),
                stats.readsProcessed.sum(), stats.readBatchNanos.sum() / 1000);
    }

    void write(InfoFields out) {
        ServerStats stats = engine.stats();
        InstantaneousMetrics instantaneous = stats.instantaneous;
        out.add("total_connections_received", stats.connectionsReceived)
                .add("total_commands_processed", stats.commandsProcessed)
                .add("instantaneous_ops_per_sec", instantaneous.value(Metric.COMMANDS))
                .add("total_net_input_bytes", stats.netInputBytes.sum())
                .add("total_net_output_bytes", stats.netOutputBytes.sum())
                .add("total_net_repl_input_bytes", 0)
                .add("total_net_repl_output_bytes", 0)
                .addRatio("instantaneous_input_kbps", instantaneous.value(Metric.NET_INPUT) / 1024.0)
                .addRatio("instantaneous_output_kbps", instantaneous.value(Metric.NET_OUTPUT) / 1024.0)
                .addRatio("instantaneous_input_repl_kbps", 0)
                .addRatio("instantaneous_output_repl_kbps", 0)
                .add("rejected_connections", stats.rejectedConnections)
                .add("sync_full", 0)
                .add("sync_partial_ok", 0)
                .add("sync_partial_err", 0)
                .add("expired_keys", stats.expiredKeys)
                .addRatio("expired_stale_perc", stats.expiredStaleShare * 100)
                .add("expired_time_cap_reached_count", stats.expiredTimeCapReached)
                .add("expire_cycle_cpu_milliseconds", stats.expireCycleNanos / 1_000_000)
                .add("evicted_keys", stats.evictedKeys)
                .add("evicted_clients", stats.evictedClients)
                .add("total_eviction_exceeded_time", 0)
                .add("current_eviction_exceeded_time", 0)
                .add("keyspace_hits", stats.keyspaceHits)
                .add("keyspace_misses", stats.keyspaceMisses)
                .add("pubsub_channels", engine.pubsub().count(PubSub.Kind.CHANNEL))
                .add("pubsub_patterns", engine.pubsub().count(PubSub.Kind.PATTERN))
                .add("pubsubshard_channels", engine.pubsub().count(PubSub.Kind.SHARD))
                .add("latest_fork_usec", 0)
                .add("total_forks", 0)
                .add("migrate_cached_sockets", 0)
                .add("slave_expires_tracked_keys", 0)
                .add("active_defrag_hits", 0)
                .add("active_defrag_misses", 0)
                .add("active_defrag_key_hits", 0)
                .add("active_defrag_key_misses", 0)
                .add("total_active_defrag_time", 0)
                .add("current_active_defrag_time", 0)
                .add("tracking_total_keys", engine.tracking().trackedKeys())
                .add("tracking_total_items", engine.tracking().trackedItems())
                .add("tracking_total_prefixes", engine.tracking().prefixCount())
                .add("unexpected_error_replies", stats.unexpectedErrorReplies)
                .add("total_error_replies", stats.errorReplies)
                .add("dump_payload_sanitizations", 0)
                .add("total_reads_processed", stats.readsProcessed.sum())
                .add("total_writes_processed", stats.writesProcessed.sum())
                .add("io_threaded_reads_processed", 0)
                .add("io_threaded_writes_processed", 0)
                .add("reply_buffer_shrinks", 0)
                .add("reply_buffer_expands", 0)
                // Fields of Redis 7.2 and 7.4 that redis_exporter reads, in their Redis order.
                .add("expired_subkeys", 0)
                .add("evicted_scripts", 0)
                .add("client_query_buffer_limit_disconnections", stats.queryBufferLimitDisconnections.sum())
                .add("client_output_buffer_limit_disconnections", stats.outputBufferLimitDisconnections.sum())
                .add("eventloop_cycles", stats.readsProcessed.sum())
                .add("eventloop_duration_sum", stats.readBatchNanos.sum() / 1000)
                .add("eventloop_duration_cmd_sum", commandMicros())
                .add("instantaneous_eventloop_cycles_per_sec", instantaneous.value(Metric.EVENT_LOOP_CYCLES))
                .add("instantaneous_eventloop_duration_usec", instantaneous.value(Metric.EVENT_LOOP_DURATION))
                .add("acl_access_denied_auth", stats.aclDeniedAuth)
                .add("acl_access_denied_cmd", engine.acl().deniedCommands())
                .add("acl_access_denied_key", engine.acl().deniedKeys())
                .add("acl_access_denied_channel", engine.acl().deniedChannels())
                // Nuthatch's own: Redis 7.0 logs a failed TLS handshake but counts it nowhere.
                .add("nuthatch_tls_handshake_failures", stats.tlsHandshakeFailures.sum());
    }

    /** Time spent running commands, from the per-command totals. */
    private long commandMicros() {
        if (allCommands == null) {
            List<CommandSpec> all = new ArrayList<>();
            for (CommandSpec command : engine.commands().commands()) {
                all.add(command);
                all.addAll(command.subcommands().values());
            }
            allCommands = all.toArray(new CommandSpec[0]);
        }
        long micros = 0;
        for (CommandSpec command : allCommands) {
            micros += command.stats().microseconds();
        }
        return micros;
    }
}
