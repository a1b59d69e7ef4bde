/**
 * The value codec: this server's values in Redis's RDB value format, both ways
 * ({@link io.nuthatch.server.codec.ValueCodec}), for DUMP/RESTORE, snapshots and the import of
 * Redis/Valkey files.
 *
 * <p>What it owns: the mapping between each type's layout here and Redis's serialized layouts
 * (which packed blob for which size, the order of elements, the stream node format), and the
 * checks that make a decoded payload safe to put in the keyspace. The byte primitives (lengths,
 * strings, LZF, listpack/ziplist blobs, CRC-64) are persistence's ({@code io.nuthatch.persistence.rdb}),
 * which never sees a server type.
 *
 * <p>What it must never do: change the values it encodes, keep references to them past a call, or
 * put anything in the keyspace itself (its callers decide what a decoded value replaces).
 */
package io.nuthatch.server.codec;
