package io.nuthatch.persistence.rdb;

/**
 * The CRC-64 Redis puts after a DUMP payload and at the end of an RDB file: the Jones polynomial
 * (0xad93d23594c935a9), bits reflected, initial value 0 and no final xor. Its check value, the CRC
 * of "123456789", is 0xe9c6d914c4b8d9ca.
 *
 * <p>Computed a byte at a time from a 256-entry table: the files it covers are read and written in
 * large buffers, where a table lookup per byte is far below the cost of the I/O.
 */
public final class Crc64 {
    private static final long POLYNOMIAL = 0xad93d23594c935a9L;
    private static final long[] TABLE = new long[256];

    static {
        long reflected = Long.reverse(POLYNOMIAL);
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ reflected : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc64() {
    }

    /** The CRC of {@code bytes[offset, offset + length)} continued from {@code crc} (0 to start). */
    public static long update(long crc, byte[] bytes, int offset, int length) {
        long value = crc;
        for (int i = offset, end = offset + length; i < end; i++) {
            value = TABLE[(int) (value ^ bytes[i]) & 0xff] ^ (value >>> 8);
        }
        return value;
    }

    public static long of(byte[] bytes, int offset, int length) {
        return update(0, bytes, offset, length);
    }
}
