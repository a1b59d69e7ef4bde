package io.nuthatch.exporter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract of the exporter: each INFO field redis_exporter turns into a metric, the metric's
 * name and its type. Dashboards and alert rules written against redis_exporter query these names,
 * so they are copied from what redis_exporter produces for the same INFO (the golden test compares
 * this table with the reference table of redis_exporter's metrics), never derived by a rule of our
 * own: many fields are renamed (used_memory is redis_memory_used_bytes, maxclients is
 * redis_max_clients), and some counters keep a name without "_total".
 *
 * <p>Fields not in the table are not exported, as redis_exporter exports none but these, except
 * the families {@link InfoCollector} derives with labels (commandstats, errorstats, latencystats,
 * keyspace), the cluster_* fields (redis_ + field, gauges, as redis_exporter passes them through)
 * and total_system_memory, which redis_exporter exports only when asked and we always do.
 */
public final class InfoMetricTable {

    /** One row: the INFO field, the metric it becomes, and the metric's type. */
    public record Row(String field, String metric, MetricType type) {
    }

    private static final List<Row> ROWS = List.of(
            gauge("uptime_in_seconds", "redis_uptime_in_seconds"),
            gauge("process_id", "redis_process_id"),
            gauge("io_threads_active", "redis_io_threads_active"),
            gauge("connected_clients", "redis_connected_clients"),
            gauge("blocked_clients", "redis_blocked_clients"),
            gauge("maxclients", "redis_max_clients"),
            gauge("tracking_clients", "redis_tracking_clients"),
            gauge("clients_in_timeout_table", "redis_clients_in_timeout_table"),
            gauge("pubsub_clients", "redis_pubsub_clients"),
            gauge("watching_clients", "redis_watching_clients"),
            gauge("total_watched_keys", "redis_total_watched_keys"),
            gauge("total_blocking_keys", "redis_total_blocking_keys"),
            gauge("total_blocking_keys_on_nokey", "redis_total_blocking_keys_on_nokey"),
            gauge("client_longest_output_list", "redis_client_longest_output_list"),
            gauge("client_biggest_input_buf", "redis_client_biggest_input_buf"),
            gauge("client_recent_max_output_buffer", "redis_client_recent_max_output_buffer_bytes"),
            gauge("client_recent_max_input_buffer", "redis_client_recent_max_input_buffer_bytes"),
            gauge("allocator_active", "redis_allocator_active_bytes"),
            gauge("allocator_allocated", "redis_allocator_allocated_bytes"),
            gauge("allocator_resident", "redis_allocator_resident_bytes"),
            gauge("allocator_frag_ratio", "redis_allocator_frag_ratio"),
            gauge("allocator_frag_bytes", "redis_allocator_frag_bytes"),
            gauge("allocator_muzzy", "redis_allocator_muzzy_bytes"),
            gauge("allocator_rss_ratio", "redis_allocator_rss_ratio"),
            gauge("allocator_rss_bytes", "redis_allocator_rss_bytes"),
            gauge("used_memory", "redis_memory_used_bytes"),
            gauge("used_memory_rss", "redis_memory_used_rss_bytes"),
            gauge("used_memory_peak", "redis_memory_used_peak_bytes"),
            gauge("used_memory_lua", "redis_memory_used_lua_bytes"),
            gauge("used_memory_vm_eval", "redis_memory_used_vm_eval_bytes"),
            gauge("used_memory_scripts_eval", "redis_memory_used_scripts_eval_bytes"),
            gauge("used_memory_overhead", "redis_memory_used_overhead_bytes"),
            gauge("used_memory_startup", "redis_memory_used_startup_bytes"),
            gauge("used_memory_dataset", "redis_memory_used_dataset_bytes"),
            gauge("number_of_cached_scripts", "redis_number_of_cached_scripts"),
            gauge("number_of_functions", "redis_number_of_functions"),
            gauge("number_of_libraries", "redis_number_of_libraries"),
            gauge("used_memory_vm_functions", "redis_memory_used_vm_functions_bytes"),
            gauge("used_memory_scripts", "redis_memory_used_scripts_bytes"),
            gauge("used_memory_functions", "redis_memory_used_functions_bytes"),
            gauge("used_memory_vm_total", "redis_memory_used_vm_total"),
            gauge("maxmemory", "redis_memory_max_bytes"),
            gauge("maxmemory_reservation", "redis_memory_max_reservation_bytes"),
            gauge("maxmemory_desired_reservation", "redis_memory_max_reservation_desired_bytes"),
            gauge("maxfragmentationmemory_reservation", "redis_memory_max_fragmentation_reservation_bytes"),
            gauge("maxfragmentationmemory_desired_reservation", "redis_memory_max_fragmentation_reservation_desired_bytes"),
            gauge("mem_fragmentation_ratio", "redis_mem_fragmentation_ratio"),
            gauge("mem_fragmentation_bytes", "redis_mem_fragmentation_bytes"),
            gauge("mem_clients_slaves", "redis_mem_clients_slaves"),
            gauge("mem_clients_normal", "redis_mem_clients_normal"),
            gauge("mem_cluster_links", "redis_mem_cluster_links_bytes"),
            gauge("mem_aof_buffer", "redis_mem_aof_buffer_bytes"),
            gauge("mem_replication_backlog", "redis_mem_replication_backlog_bytes"),
            gauge("expired_stale_perc", "redis_expired_stale_percentage"),
            gauge("mem_not_counted_for_evict", "redis_mem_not_counted_for_eviction_bytes"),
            gauge("mem_total_replication_buffers", "redis_mem_total_replication_buffers_bytes"),
            gauge("mem_overhead_db_hashtable_rehashing", "redis_mem_overhead_db_hashtable_rehashing_bytes"),
            gauge("lazyfree_pending_objects", "redis_lazyfree_pending_objects"),
            gauge("lazyfreed_objects", "redis_lazyfreed_objects"),
            gauge("active_defrag_running", "redis_active_defrag_running"),
            gauge("migrate_cached_sockets", "redis_migrate_cached_sockets_total"),
            gauge("active_defrag_hits", "redis_defrag_hits"),
            gauge("active_defrag_misses", "redis_defrag_misses"),
            gauge("active_defrag_key_hits", "redis_defrag_key_hits"),
            gauge("active_defrag_key_misses", "redis_defrag_key_misses"),
            gauge("loading", "redis_loading_dump_file"),
            gauge("async_loading", "redis_async_loading"),
            gauge("rdb_changes_since_last_save", "redis_rdb_changes_since_last_save"),
            gauge("rdb_bgsave_in_progress", "redis_rdb_bgsave_in_progress"),
            gauge("rdb_last_save_time", "redis_rdb_last_save_timestamp_seconds"),
            gauge("rdb_last_bgsave_status", "redis_rdb_last_bgsave_status"),
            gauge("rdb_last_bgsave_time_sec", "redis_rdb_last_bgsave_duration_sec"),
            gauge("rdb_current_bgsave_time_sec", "redis_rdb_current_bgsave_duration_sec"),
            gauge("rdb_saves", "redis_rdb_saves_total"),
            gauge("rdb_last_cow_size", "redis_rdb_last_cow_size_bytes"),
            gauge("rdb_last_load_keys_expired", "redis_rdb_last_load_expired_keys"),
            gauge("rdb_last_load_keys_loaded", "redis_rdb_last_load_loaded_keys"),
            gauge("aof_enabled", "redis_aof_enabled"),
            gauge("aof_rewrite_in_progress", "redis_aof_rewrite_in_progress"),
            gauge("aof_rewrite_scheduled", "redis_aof_rewrite_scheduled"),
            gauge("aof_last_rewrite_time_sec", "redis_aof_last_rewrite_duration_sec"),
            gauge("aof_current_rewrite_time_sec", "redis_aof_current_rewrite_duration_sec"),
            gauge("aof_last_cow_size", "redis_aof_last_cow_size_bytes"),
            gauge("aof_current_size", "redis_aof_current_size_bytes"),
            gauge("aof_base_size", "redis_aof_base_size_bytes"),
            gauge("aof_pending_rewrite", "redis_aof_pending_rewrite"),
            gauge("aof_buffer_length", "redis_aof_buffer_length"),
            gauge("aof_rewrite_buffer_length", "redis_aof_rewrite_buffer_length"),
            gauge("aof_pending_bio_fsync", "redis_aof_pending_bio_fsync"),
            gauge("aof_delayed_fsync", "redis_aof_delayed_fsync"),
            gauge("aof_last_bgrewrite_status", "redis_aof_last_bgrewrite_status"),
            gauge("aof_last_write_status", "redis_aof_last_write_status"),
            gauge("module_fork_in_progress", "redis_module_fork_in_progress"),
            gauge("module_fork_last_cow_size", "redis_module_fork_last_cow_size"),
            gauge("current_eviction_exceeded_time", "redis_current_eviction_exceeded_time_ms"),
            gauge("pubsub_channels", "redis_pubsub_channels"),
            gauge("pubsub_patterns", "redis_pubsub_patterns"),
            gauge("pubsubshard_channels", "redis_pubsubshard_channels"),
            gauge("latest_fork_usec", "redis_latest_fork_usec"),
            gauge("tracking_total_keys", "redis_tracking_total_keys"),
            gauge("tracking_total_items", "redis_tracking_total_items"),
            gauge("tracking_total_prefixes", "redis_tracking_total_prefixes"),
            gauge("instantaneous_eventloop_cycles_per_sec", "redis_instantaneous_eventloop_cycles_per_sec"),
            gauge("instantaneous_eventloop_duration_usec", "redis_instantaneous_eventloop_duration_usec"),
            gauge("connected_slaves", "redis_connected_slaves"),
            gauge("repl_backlog_size", "redis_replication_backlog_bytes"),
            gauge("repl_backlog_active", "redis_repl_backlog_is_active"),
            gauge("repl_backlog_first_byte_offset", "redis_repl_backlog_first_byte_offset"),
            gauge("repl_backlog_histlen", "redis_repl_backlog_history_bytes"),
            gauge("master_repl_offset", "redis_master_repl_offset"),
            gauge("second_repl_offset", "redis_second_repl_offset"),
            gauge("slave_expires_tracked_keys", "redis_slave_expires_tracked_keys"),
            gauge("slave_priority", "redis_slave_priority"),
            gauge("sync_full", "redis_replica_resyncs_full"),
            gauge("sync_partial_ok", "redis_replica_partial_resync_accepted"),
            gauge("sync_partial_err", "redis_replica_partial_resync_denied"),
            gauge("cluster_stats_messages_sent", "redis_cluster_messages_sent_total"),
            gauge("cluster_stats_messages_received", "redis_cluster_messages_received_total"),
            counter("total_connections_received", "redis_connections_received_total"),
            counter("total_commands_processed", "redis_commands_processed_total"),
            counter("rejected_connections", "redis_rejected_connections_total"),
            counter("total_net_input_bytes", "redis_net_input_bytes_total"),
            counter("total_net_output_bytes", "redis_net_output_bytes_total"),
            counter("total_net_repl_input_bytes", "redis_net_repl_input_bytes_total"),
            counter("total_net_repl_output_bytes", "redis_net_repl_output_bytes_total"),
            counter("expired_subkeys", "redis_expired_subkeys_total"),
            counter("expired_keys", "redis_expired_keys_total"),
            counter("expired_time_cap_reached_count", "redis_expired_time_cap_reached_total"),
            counter("expire_cycle_cpu_milliseconds", "redis_expire_cycle_cpu_time_ms_total"),
            counter("evicted_keys", "redis_evicted_keys_total"),
            counter("evicted_clients", "redis_evicted_clients_total"),
            counter("evicted_scripts", "redis_evicted_scripts_total"),
            counter("total_eviction_exceeded_time", "redis_eviction_exceeded_time_ms_total"),
            counter("keyspace_hits", "redis_keyspace_hits_total"),
            counter("keyspace_misses", "redis_keyspace_misses_total"),
            counter("eventloop_cycles", "redis_eventloop_cycles_total"),
            counter("eventloop_duration_sum", "redis_eventloop_duration_sum_usec_total"),
            counter("eventloop_duration_cmd_sum", "redis_eventloop_duration_cmd_sum_usec_total"),
            counter("used_cpu_sys", "redis_cpu_sys_seconds_total"),
            counter("used_cpu_user", "redis_cpu_user_seconds_total"),
            counter("used_cpu_sys_children", "redis_cpu_sys_children_seconds_total"),
            counter("used_cpu_user_children", "redis_cpu_user_children_seconds_total"),
            counter("used_cpu_sys_main_thread", "redis_cpu_sys_main_thread_seconds_total"),
            counter("used_cpu_user_main_thread", "redis_cpu_user_main_thread_seconds_total"),
            counter("unexpected_error_replies", "redis_unexpected_error_replies"),
            counter("total_error_replies", "redis_total_error_replies"),
            counter("dump_payload_sanitizations", "redis_dump_payload_sanitizations"),
            counter("total_reads_processed", "redis_total_reads_processed"),
            counter("total_writes_processed", "redis_total_writes_processed"),
            counter("io_threaded_reads_processed", "redis_io_threaded_reads_processed"),
            counter("io_threaded_writes_processed", "redis_io_threaded_writes_processed"),
            counter("client_query_buffer_limit_disconnections", "redis_client_query_buffer_limit_disconnections_total"),
            counter("client_output_buffer_limit_disconnections", "redis_client_output_buffer_limit_disconnections_total"),
            counter("reply_buffer_shrinks", "redis_reply_buffer_shrinks_total"),
            counter("reply_buffer_expands", "redis_reply_buffer_expands_total"),
            counter("acl_access_denied_auth", "redis_acl_access_denied_auth_total"),
            counter("acl_access_denied_cmd", "redis_acl_access_denied_cmd_total"),
            counter("acl_access_denied_key", "redis_acl_access_denied_key_total"),
            counter("acl_access_denied_channel", "redis_acl_access_denied_channel_total"),
            // redis_exporter exports it with --include-system-metrics; the chart's memory
            // panels divide by it, so it is always here.
            gauge("total_system_memory", "redis_total_system_memory_bytes"));

    private static final Map<String, Row> BY_FIELD;

    static {
        Map<String, Row> byField = new LinkedHashMap<>();
        for (Row row : ROWS) {
            if (byField.put(row.field(), row) != null) {
                throw new IllegalStateException("INFO field mapped twice: " + row.field());
            }
        }
        BY_FIELD = Collections.unmodifiableMap(byField);
    }

    private InfoMetricTable() {
    }

    /** Every row, in the order of INFO's sections. */
    public static List<Row> rows() {
        return ROWS;
    }

    /** The row of an INFO field, or null when redis_exporter does not export it. */
    public static Row forField(String field) {
        return BY_FIELD.get(field);
    }

    private static Row gauge(String field, String metric) {
        return new Row(field, metric, MetricType.GAUGE);
    }

    private static Row counter(String field, String metric) {
        return new Row(field, metric, MetricType.COUNTER);
    }
}
