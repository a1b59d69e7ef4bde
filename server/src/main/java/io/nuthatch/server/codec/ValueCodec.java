package io.nuthatch.server.codec;

import io.nuthatch.persistence.rdb.RdbFormat;
import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.persistence.rdb.RdbInput;
import io.nuthatch.persistence.rdb.RdbOutput;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.StoredValue;

import java.io.IOException;

/**
 * The value codec: every value a key can hold, to bytes and back, in Redis's RDB value format, so
 * that DUMP/RESTORE, snapshots and the import of Redis/Valkey files share one encoding that
 * redis-server reads too.
 *
 * <h2>The API persistence builds on</h2>
 * {@link #encode(KeyEntry, RdbOutput)} writes a key's value as RDB does after the key: one type
 * byte, then the payload. {@link #decode(int, RdbInput)} reads a payload of a given type byte back
 * into a {@link DecodedValue} (a string's bytes, or a value object to hand to the keyspace). The
 * byte-level side, {@link RdbOutput} and {@link RdbInput} in {@code io.nuthatch.persistence.rdb},
 * knows nothing of this server's types: persistence writes and reads bytes, and only this class
 * (in the server) knows what a hash or a stream is. The two ways to use it:
 * <ul>
 * <li>In memory: {@code new RdbOutput(compression)}, encode, take {@code array()}/{@code size()}
 *     (a snapshot's value record, a DUMP payload), {@code reset()} for the next key.</li>
 * <li>Streaming: {@code new RdbOutput(outputStream, compression)}: the encoding goes to the stream
 *     as it is made, in 64 KB pieces, so a value of a million elements is never held twice;
 *     only each packed node (a few KB) is built whole before it is written.</li>
 * </ul>
 * One codec per thread: it keeps scratch buffers. It reads a value; the caller must hold whatever
 * keeps the value from changing meanwhile (the engine lock, or the point-in-time walk's copy).
 *
 * <h2>What is written (RDB version 10, Redis 7.0)</h2>
 * <ul>
 * <li>Strings: type 0; the canonical text of an integer that fits 32 bits as 1, 2 or 4 bytes, a
 *     string over 20 bytes LZF-compressed when {@code rdbcompression} asks and it saves 4 bytes,
 *     else length and bytes.</li>
 * <li>Lists: type 18, quicklist of listpack nodes cut where Redis cuts them.</li>
 * <li>Sets: type 11, the intset blob (width, count, little-endian members) while it is an intset;
 *     type 2, count then members, once it is a table.</li>
 * <li>Hashes: type 16, one listpack of field and value while small; type 4, count then pairs.</li>
 * <li>Sorted sets: type 17, one listpack of member and score while small; type 5, count then
 *     member and 8-byte score, highest score first.</li>
 * <li>Streams: type 19, nodes as listpacks with tombstones, counters, consumer groups with their
 *     pending entries and consumers (see {@link StreamEncoding}).</li>
 * </ul>
 * Redis's packed blobs (listpack, intset) are rebuilt from this server's own layouts element by
 * element, with Redis's choices (integer forms, sizes), so a listpack-encoded value encodes byte
 * for byte as redis-server encodes it. Tables (set, hash) come out in this server's order.
 *
 * <h2>What is read</h2>
 * Every value type of RDB versions 1 to 12 except modules: linked lists, ziplists, zipmaps,
 * intsets, quicklists of ziplists and of listpacks, listpack sets (Valkey 8 / Redis 7.2), text and
 * binary sorted set scores, streams of all three versions. A value is loaded in the layout Redis
 * would give it under the current {@code *-max-*} limits (see {@link ValueDecoder}).
 */
public final class ValueCodec {
    private final ValueEncoder encoder = new ValueEncoder();
    private final ValueDecoder decoder = new ValueDecoder();
    private EncodingLimits limits;

    public ValueCodec(EncodingLimits limits) {
        this.limits = limits;
    }

    /** The limits later decodes apply (the configuration may have changed since creation). */
    public void limits(EncodingLimits limits) {
        this.limits = limits;
    }

    /** Writes the value of a key: its RDB type byte, then its payload. */
    public void encode(KeyEntry entry, RdbOutput out) {
        StoredValue value = entry.value();
        if (value == null) {
            encoder.encodeString(entry.stringArray(), entry.stringOffset(), entry.stringLength(), out);
        } else {
            encoder.encode(value, out);
        }
    }

    /** Writes a value object: its RDB type byte, then its payload. */
    public void encode(StoredValue value, RdbOutput out) {
        encoder.encode(value, out);
    }

    /** Writes a string value: type byte 0, then the string. */
    public void encodeString(byte[] bytes, int offset, int length, RdbOutput out) {
        encoder.encodeString(bytes, offset, length, out);
    }

    /**
     * Reads a value whose type byte was {@code type}.
     *
     * @return the value, or null when it holds no element (Redis refuses such a payload in RESTORE
     *         and skips such a key when loading a file)
     * @throws RdbFormatException when the bytes are not a valid value of that type
     */
    public DecodedValue decode(int type, RdbInput in) throws IOException {
        if (!RdbFormat.isValueType(type)) {
            throw in.corrupt("an unknown value type " + type);
        }
        return decoder.decode(type, in, limits);
    }

    /** Reads a type byte and the value after it. */
    public DecodedValue decode(RdbInput in) throws IOException {
        return decode(in.readUnsignedByte(), in);
    }
}
