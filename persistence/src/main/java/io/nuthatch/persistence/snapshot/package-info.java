/**
 * Snapshots: the whole dataset at one point in time, as a RocksDB directory in {@code dir}.
 *
 * <p>What it owns: the layout of a snapshot (one RocksDB row per key, see {@link
 * io.nuthatch.persistence.snapshot.SnapshotFormat}), writing one from records handed to it
 * ({@link io.nuthatch.persistence.snapshot.SnapshotWriter}: database, key, expiry, access clock and the value's
 * bytes in the server codec's format), the completion marker that makes a snapshot exist, reading
 * one back with its checks ({@link io.nuthatch.persistence.snapshot.SnapshotReader}) and
 * {@code --check-snapshot} ({@link io.nuthatch.persistence.snapshot.SnapshotCheck}).
 *
 * <p>What it must never do: know what a value means (values are opaque bytes: the server's codec
 * makes and reads them), touch the manifest (the server switches it once a snapshot is complete),
 * or depend on Netty or on the server.
 */
package io.nuthatch.persistence.snapshot;
