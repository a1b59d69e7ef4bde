/**
 * Persistence on disk: the manifest of what is current in {@code dir} ({@link
 * io.nuthatch.persistence.Manifest}, replaced by atomic rename and a directory fsync), the names
 * of the files ({@link io.nuthatch.persistence.DataDirectory}), the append-only log
 * ({@code log}: segments written in batches with a checksum line each, fsync policy, reading with
 * torn-tail and damage detection, {@code --check-aof}), and snapshots ({@code snapshot}: RocksDB
 * directories of rows database/key/expiry/encoded value, completed by a marker,
 * {@code --check-snapshot}).
 *
 * <p>The RDB format's bytes (lengths, strings, LZF, listpacks, CRC-64) are in
 * {@code io.nuthatch.persistence.rdb}; the server's value codec builds on them.
 *
 * <p>This module must never depend on Netty or on the server: it sees records as byte ranges (the
 * writer encodes the arguments it is given, the reader hands back RESP commands as bytes) and,
 * with snapshots, values only as encoded bytes through a narrow interface.
 */
package io.nuthatch.persistence;
