package io.nuthatch.server.info;

import io.nuthatch.server.Engine;


/**
 * INFO persistence. Snapshots and the append-only log do not exist yet, so this is what Redis
 * prints with persistence off and no save ever done: nothing loading, no fork, statuses "ok",
 * durations -1. rdb_changes_since_last_save and rdb_last_save_time are real (the engine's dirty
 * counter and the start time, which Redis also reports as the last save until one happens).
 * When the append-only log is on, Redis adds aof_current_size and the other aof_* figures; the
 * persistence work adds them here with it.
 */
final class PersistenceInfo {
    private final Engine engine;

    PersistenceInfo(Engine engine) {
        this.engine = engine;
    }

    void write(InfoFields out) {
        out.add("loading", 0)
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
                .add("aof_enabled", 0)
                .add("aof_rewrite_in_progress", 0)
                .add("aof_rewrite_scheduled", 0)
                .add("aof_last_rewrite_time_sec", -1)
                .add("aof_current_rewrite_time_sec", -1)
                .add("aof_last_bgrewrite_status", "ok")
                .add("aof_rewrites", 0)
                .add("aof_rewrites_consecutive_failures", 0)
                .add("aof_last_write_status", "ok")
                .add("aof_last_cow_size", 0)
                .add("module_fork_in_progress", 0)
                .add("module_fork_last_cow_size", 0);
    }
}
