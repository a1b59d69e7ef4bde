package io.nuthatch.server.info;

import io.nuthatch.server.Engine;


/**
 * INFO persistence. The snapshot fields (current_save_keys_*, rdb_*) and the rewrite fields
 * (aof_rewrite_*, aof_rewrites*) come from {@link io.nuthatch.server.persistence.Snapshots};
 * there is no fork, so the copy-on-write and fork fields stay 0. loading, aof_enabled,
 * aof_last_write_status and, while the log is on or the dataset loads, the aof_* and loading_*
 * fields Redis adds come from {@link io.nuthatch.server.persistence.Persistence}.
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
                .addRatio("current_fork_perc", 0);
        engine.persistence().snapshots().writeSaveFields(out);
        out.add("rdb_last_cow_size", 0)
                .add("rdb_last_load_keys_expired", engine.persistence().lastLoadSnapshotKeysExpired())
                .add("rdb_last_load_keys_loaded", engine.persistence().lastLoadSnapshotKeys())
                .add("aof_enabled", engine.persistence().aofEnabled() ? 1 : 0);
        engine.persistence().snapshots().writeRewriteFields(out);
        out.add("aof_last_write_status", engine.persistence().aofLastWriteStatus())
                .add("aof_last_cow_size", 0)
                .add("module_fork_in_progress", 0)
                .add("module_fork_last_cow_size", 0);
        engine.persistence().writeLogAndLoadingFields(out);
    }
}
