package io.nuthatch.persistence.rdb;

import java.util.Arrays;

/**
 * Builds a listpack in Redis's own layout, the blob RDB stores for small hashes, sorted sets,
 * list nodes and stream nodes (the server keeps its values in a layout of its own, so each is
 * translated element by element on the way out).
 *
 * <p><b>Layout.</b> A 6-byte header (total bytes, 32-bit little-endian; element count, 16-bit,
 * 65535 when it does not fit), the elements, and a 0xFF terminator. Each element is an encoding
 * byte (with, for some encodings, the length or the integer), its data, and a back-length: the size
 * of encoding and data written so that reading backwards from the element's end finds it (7 bits a
 * byte, the last byte holding the low bits, a set high bit meaning another byte precedes). A
 * string that is the canonical text of an integer is stored as that integer, in the smallest of
 * 7-bit unsigned, 13, 16, 24, 32 or 64-bit signed forms; other strings take a 6-bit, 12-bit or
 * 32-bit length. These choices are Redis's, so a hash written here is byte for byte the listpack
 * redis-server would have written for the same fields in the same order.
 *
 * <p>Reused for many blobs: {@link #reset()} keeps the array. Each blob is bounded by the
 * {@code *-max-listpack-*} limits (or a list node's size), so building it whole costs little.
 */
public final class RedisListpackWriter {
    static final int HEADER_SIZE = 6;
    static final int TERMINATOR = 0xff;
    static final int UNKNOWN_COUNT = 0xffff;

    static final int ENCODING_7BIT_UINT = 0x00;
    static final int ENCODING_6BIT_STRING = 0x80;
    static final int ENCODING_13BIT_INT = 0xc0;
    static final int ENCODING_12BIT_STRING = 0xe0;
    static final int ENCODING_32BIT_STRING = 0xf0;
    static final int ENCODING_16BIT_INT = 0xf1;
    static final int ENCODING_24BIT_INT = 0xf2;
    static final int ENCODING_32BIT_INT = 0xf3;
    static final int ENCODING_64BIT_INT = 0xf4;

    private byte[] bytes = new byte[256];
    private int used = HEADER_SIZE;
    private int count;

    public void reset() {
        used = HEADER_SIZE;
        count = 0;
        if (bytes.length > 1 << 20) {
            bytes = new byte[256];
        }
    }

    public int count() {
        return count;
    }

    /** Appends a string, as an integer when it is the canonical text of one. */
    public void append(byte[] data, int offset, int length) {
        long value = CanonicalInteger.parse(data, offset, length);
        if (value != CanonicalInteger.NOT_CANONICAL) {
            appendInteger(value);
            return;
        }
        int start = used;
        if (length < 64) {
            ensure(1 + length + 5);
            bytes[used++] = (byte) (ENCODING_6BIT_STRING | length);
        } else if (length < 4096) {
            ensure(2 + length + 5);
            bytes[used++] = (byte) (ENCODING_12BIT_STRING | (length >>> 8));
            bytes[used++] = (byte) length;
        } else {
            ensure(5 + length + 5);
            bytes[used++] = (byte) ENCODING_32BIT_STRING;
            for (int i = 0; i < 4; i++) {
                bytes[used++] = (byte) (length >>> (8 * i));
            }
        }
        System.arraycopy(data, offset, bytes, used, length);
        used += length;
        finishElement(start);
    }

    public void append(byte[] data) {
        append(data, 0, data.length);
    }

    public void appendInteger(long value) {
        ensure(9 + 5);
        int start = used;
        if (value >= 0 && value <= 127) {
            bytes[used++] = (byte) value;
        } else if (value >= -4096 && value <= 4095) {
            long bits = value & 0x1fff;
            bytes[used++] = (byte) (ENCODING_13BIT_INT | (bits >>> 8));
            bytes[used++] = (byte) bits;
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            bytes[used++] = (byte) ENCODING_16BIT_INT;
            putLittleEndian(value, 2);
        } else if (value >= -(1 << 23) && value < (1 << 23)) {
            bytes[used++] = (byte) ENCODING_24BIT_INT;
            putLittleEndian(value, 3);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            bytes[used++] = (byte) ENCODING_32BIT_INT;
            putLittleEndian(value, 4);
        } else {
            bytes[used++] = (byte) ENCODING_64BIT_INT;
            putLittleEndian(value, 8);
        }
        finishElement(start);
    }

    /** Closes the blob; the array's first {@link #size()} bytes are the listpack until the next change. */
    public byte[] finish() {
        ensure(1);
        bytes[used] = (byte) TERMINATOR;
        int total = used + 1;
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) (total >>> (8 * i));
        }
        int header = Math.min(count, UNKNOWN_COUNT);
        bytes[4] = (byte) header;
        bytes[5] = (byte) (header >>> 8);
        return bytes;
    }

    /** Bytes of the finished blob. */
    public int size() {
        return used + 1;
    }

    /** The size the blob has now, terminator included, to decide when a node is full. */
    public int currentSize() {
        return used + 1;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(finish(), size());
    }

    private void finishElement(int start) {
        int length = used - start;
        if (length < 128) {
            bytes[used++] = (byte) length;
        } else {
            int groups = backLengthSize(length);
            for (int i = groups - 1; i >= 0; i--) {
                int group = (length >>> (7 * i)) & 0x7f;
                bytes[used++] = (byte) (i == groups - 1 ? group : group | 0x80);
            }
        }
        count++;
    }

    /** Redis's boundaries, one short of the powers of 128 above the first (lpEncodeBacklen). */
    static int backLengthSize(long length) {
        if (length <= 127) {
            return 1;
        }
        if (length < 16383) {
            return 2;
        }
        if (length < 2097151) {
            return 3;
        }
        if (length < 268435455) {
            return 4;
        }
        return 5;
    }

    private void putLittleEndian(long value, int size) {
        for (int i = 0; i < size; i++) {
            bytes[used++] = (byte) (value >>> (8 * i));
        }
    }

    private void ensure(int more) {
        if (used + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(used + more, bytes.length * 2));
        }
    }
}
