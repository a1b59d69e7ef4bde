/**
 * The server's side of persistence: {@link io.nuthatch.server.persistence.Persistence} loads the
 * dataset at startup ({@code StartupLoad}: the manifest's snapshot, decoded on threads of its own
 * by {@code SnapshotDecoding} and inserted by the engine thread in batches, then every segment
 * replayed through the command dispatcher by a client of its own, in slices of the gate's LOADING
 * state), attaches the
 * append-only log to write propagation ({@code AppendOnlyLogWriter}: units as Redis 7.0 writes
 * them), writes each turn's batch from the gate's before-release hook so that no reply leaves
 * before its records reached the kernel, refuses writes with MISCONF while the log cannot be
 * written, and fills INFO persistence's aof_* and loading_* fields.
 *
 * <p>{@link io.nuthatch.server.persistence.Snapshots} takes snapshots (SAVE, BGSAVE, BGREWRITEAOF,
 * save rules, the automatic rewrite, the final snapshot of a shutdown), each a {@code SnapshotJob}:
 * the keyspace walk's keys encoded in slices with the engine held, written to RocksDB beside the
 * clients on a thread of its own; the manifest switches to a snapshot once its marker is on disk.
 *
 * <p>Startup order: the server listens first (probes and clients get -LOADING, INFO answers), then
 * loads; the log is opened and attached in the last slice, with the engine still held, so no write
 * can run between the end of the load and the attachment. A load that fails stops the server with
 * exit status 1 and log lines that name the file, the offset and the repair command.
 *
 * <p>While loading, expiry deletes nothing (as in Redis): a key the log set with a time now past is
 * still there for the records after it, and expires once the load is over. A snapshot with no log
 * after it drops its keys whose time has passed as it loads (Redis loading dump.rdb); one with log
 * segments after it keeps them for those records (Redis loading an AOF's RDB preamble).
 *
 * <p>Kept across a restart, as Redis's RDB keeps them (IDLE and FREQ records): each key's LRU idle
 * time under an LRU policy of its database, its LFU counter under an LFU one (snapshot format 3,
 * written by {@link io.nuthatch.server.persistence.SnapshotJob}). A load counts the idle time back
 * from its own time, so the downtime is not idleness, and starts the counter's decay then; a key
 * with no clock of the kind its database keeps is stamped as new at the load. So the first
 * evictions of a full cache after a restart go to the keys that were coldest before it.
 *
 * <p>This package is the only place the server reaches persistence/. It must never reach into the
 * network layer: replies wait through {@link io.nuthatch.server.propagation.WritePropagation}'s
 * durable offset.
 */
package io.nuthatch.server.persistence;
