/**
 * Redis's RDB format at the level of bytes: the length prefix, strings (integer forms, LZF),
 * binary doubles, CRC-64, and the packed blobs values are made of (listpack both ways; ziplist,
 * zipmap read only, for files of older Redis versions).
 *
 * <p>What it owns: {@link io.nuthatch.persistence.rdb.RdbOutput} and
 * {@link io.nuthatch.persistence.rdb.RdbInput}, which the server's value codec
 * ({@code io.nuthatch.server.codec.ValueCodec}) writes values with and reads them from, and which
 * snapshots, DUMP/RESTORE and the import of Redis/Valkey files share.
 *
 * <p>What it must never do: know what a value means (a hash, a stream): it sees bytes, lengths and
 * elements. It never trusts a length it reads: every failure is an
 * {@link io.nuthatch.persistence.rdb.RdbFormatException}, never an allocation of what a corrupt
 * length claims or a read out of bounds.
 */
package io.nuthatch.persistence.rdb;
