package io.nuthatch.server.info;

import io.nuthatch.server.Engine;


/**
 * INFO persistence. Snapshots do not exist yet, so their fields are what Redis prints with no save
 * ever done: no fork, statuses "ok", durations -1. rdb_changes_since_last_save and
 * rdb_last_save_time are real (the engine's dirty counter and the start time, which Redis also
 * reports as the last save until one happens). loading, aof_enabled, aof_last_write_status and,
 * while the log is on or the dataset loads, the aof_* and loading_* fields Redis adds come from
 * {@link io.nuthatch.server.persistence.Persistence}.
 */
final class PersistenceInfo {
    private final Engine engine;

    PersistenceInfo(Engine engine) {
        this.engine = engine;
    }

    void write(InfoFields out) {
        out.add("loading", engine.persistence().isLoading() ? 1 : 0)
                .add("async_loading", 0)
                .add("current_cow_peak", 0)
                .add("current_cow_size", 0)
                .add("current_cow_size_age", 0)
                .addRatio("current_fork_perc", 0)
                .add("current_save_keys_processed", 0)
                .add("current_save_keys_total", 0)
                .add("rdb_changes_since_last_save", engine.dirty())
                .add("rdb_bgsave_in_progress", 0)
                .add("rdb_last_save_time", engine.lastSaveMillis() / 1000)
                .add("rdb_last_bgsave_status", "ok")
                .add("rdb_last_bgsave_time_sec", -1)
                .add("rdb_current_bgsave_time_sec", -1)
                .add("rdb_saves", 0)
                .add("rdb_last_cow_size", 0)
                .add("rdb_last_load_keys_expired", 0)
                .add("rdb_last_load_keys_loaded", 0)
                .add("aof_enabled", engine.persistence().aofEnabled() ? 1 : 0)
                .add("aof_rewrite_in_progress", 0)
                .add("aof_rewrite_scheduled", 0)
                .add("aof_last_rewrite_time_sec", -1)
                .add("aof_current_rewrite_time_sec", -1)
                .add("aof_last_bgrewrite_status", "ok")
                .add("aof_rewrites", 0)
                .add("aof_rewrites_consecutive_failures", 0)
                .add("aof_last_write_status", engine.persistence().aofLastWriteStatus())
                .add("aof_last_cow_size", 0)
                .add("module_fork_in_progress", 0)
                .add("module_fork_last_cow_size", 0);
        engine.persistence().writeLogAndLoadingFields(out);
    }
}
