/**
 * Persistence on disk: the append-only log (write, fsync policy, rewrite, load, truncated-tail
 * repair), snapshots in RocksDB, the manifest of what is current, and import of Redis/Valkey files.
 *
 * <p>The RDB format's bytes (lengths, strings, LZF, listpacks, CRC-64) are in
 * {@code io.nuthatch.persistence.rdb}; the server's value codec builds on them.
 *
 * <p>Not built yet: the append-only log and snapshots are the subject of a later issue. The seam
 * they attach to exists in the server ({@code io.nuthatch.server.propagation.WritePropagation}).
 * This module must never depend on Netty or on the server: it sees values only as encoded bytes
 * through a narrow interface.
 */
package io.nuthatch.persistence;
