package io.nuthatch.server.codec;

import io.nuthatch.persistence.rdb.Crc64;
import io.nuthatch.persistence.rdb.RdbFormat;
import io.nuthatch.persistence.rdb.RdbOutput;
import io.nuthatch.server.keyspace.KeyEntry;

/**
 * DUMP's serialized form, as Redis 7.0 makes it: the value (type byte and payload), then the RDB
 * version in 2 little-endian bytes, then the CRC-64 of everything before it in 8 little-endian
 * bytes. RESTORE accepts a payload whose version is at most this server's (10) and whose CRC
 * matches.
 */
public final class DumpPayload {
    private static final int FOOTER_SIZE = 10;

    private DumpPayload() {
    }

    /** Writes a key's value as DUMP replies it, into an in-memory output the caller has reset. */
    public static void write(ValueCodec codec, KeyEntry entry, RdbOutput out) {
        codec.encode(entry, out);
        out.writeByte(RdbFormat.VERSION & 0xff);
        out.writeByte(RdbFormat.VERSION >>> 8);
        out.writeLongLittleEndian(out.checksum());
    }

    /** Whether the payload ends with a version this server reads and the CRC of what precedes it. */
    public static boolean verify(byte[] bytes, int offset, int length) {
        if (length < FOOTER_SIZE) {
            return false;
        }
        int footer = offset + length - FOOTER_SIZE;
        int version = (bytes[footer] & 0xff) | (bytes[footer + 1] & 0xff) << 8;
        if (version > RdbFormat.VERSION) {
            return false;
        }
        long expected = 0;
        for (int i = 0; i < 8; i++) {
            expected |= (bytes[footer + 2 + i] & 0xffL) << (8 * i);
        }
        return Crc64.of(bytes, offset, length - 8) == expected;
    }

    /** The length of the value part of a verified payload. */
    public static int valueLength(int payloadLength) {
        return payloadLength - FOOTER_SIZE;
    }
}
