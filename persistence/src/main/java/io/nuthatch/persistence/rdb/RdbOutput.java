package io.nuthatch.persistence.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Writes the primitives of the RDB format: lengths, strings (as integers when they are the
 * canonical text of one, LZF-compressed when {@code rdbcompression} is on and it pays), binary
 * doubles, millisecond times and raw bytes, keeping the CRC-64 of everything written.
 *
 * <p>Two uses. Given an {@link OutputStream}, it is a buffered writer that passes its buffer on
 * whenever it fills, so a value of a million elements goes out as it is encoded and never sits
 * whole in memory twice. Without one, it collects everything in a growable array (a DUMP payload,
 * a value to put in a snapshot store), and {@link #reset()} makes it ready for the next value
 * while keeping that array.
 *
 * <p>Single-threaded; not for the per-command path except DUMP, which encodes a whole value anyway.
 */
public final class RdbOutput {
    private static final int FLUSH_SIZE = 64 * 1024;
    private static final int LZF_MIN_LENGTH = 21;
    private static final int INTEGER_MAX_TEXT = 11;

    private final OutputStream sink;
    private final boolean compression;
    private byte[] buffer;
    private int position;
    private long crc;
    /** Start of the part of the buffer the CRC has not covered yet. */
    private int crcFrom;
    private long flushed;
    private int[] lzfTable;
    private byte[] lzfOutput;

    /** A writer collecting into memory. */
    public RdbOutput(boolean compression) {
        this(null, compression);
    }

    /** A writer passing its bytes to {@code sink} as its buffer fills. */
    public RdbOutput(OutputStream sink, boolean compression) {
        this.sink = sink;
        this.compression = compression;
        this.buffer = new byte[sink == null ? 256 : FLUSH_SIZE];
    }

    public boolean compression() {
        return compression;
    }

    // ---------------------------------------------------------------- primitives

    public void writeByte(int value) {
        ensure(1);
        buffer[position++] = (byte) value;
    }

    public void writeRaw(byte[] bytes, int offset, int length) {
        if (sink != null && length > FLUSH_SIZE) {
            flushBuffer();
            crc = Crc64.update(crc, bytes, offset, length);
            try {
                sink.write(bytes, offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            flushed += length;
            return;
        }
        ensure(length);
        System.arraycopy(bytes, offset, buffer, position, length);
        position += length;
    }

    public void writeRaw(byte[] bytes) {
        writeRaw(bytes, 0, bytes.length);
    }

    /** A length in RDB's variable form: 6 bits, 14 bits, or a marker then 32 or 64 bits big-endian. */
    public void writeLength(long length) {
        ensure(9);
        if (length >= 0 && length < (1 << 6)) {
            buffer[position++] = (byte) length;
        } else if (length >= 0 && length < (1 << 14)) {
            buffer[position++] = (byte) ((RdbFormat.LENGTH_14BIT << 6) | (length >>> 8));
            buffer[position++] = (byte) length;
        } else if (length >= 0 && length <= 0xffffffffL) {
            buffer[position++] = (byte) RdbFormat.LENGTH_32BIT;
            putBigEndian(length, 4);
        } else {
            buffer[position++] = (byte) RdbFormat.LENGTH_64BIT;
            putBigEndian(length, 8);
        }
    }

    /** An unsigned 64-bit value little-endian, as RDB writes millisecond times. */
    public void writeLongLittleEndian(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buffer[position++] = (byte) (value >>> (8 * i));
        }
    }

    /** A double as its 8 IEEE bytes, little-endian (sorted set scores since RDB 8). */
    public void writeBinaryDouble(double value) {
        writeLongLittleEndian(Double.doubleToRawLongBits(value));
    }

    /**
     * A string, in the smallest of RDB's forms: an integer of 1, 2 or 4 bytes when the bytes are the
     * canonical decimal text of one that fits, an LZF blob when compression is on, the string is
     * over 20 bytes and LZF saves at least 4 of them, or the bytes after their length.
     */
    public void writeString(byte[] bytes, int offset, int length) {
        if (length <= INTEGER_MAX_TEXT && writeIntegerForm(bytes, offset, length)) {
            return;
        }
        if (compression && length >= LZF_MIN_LENGTH && writeCompressed(bytes, offset, length)) {
            return;
        }
        writeLength(length);
        writeRaw(bytes, offset, length);
    }

    public void writeString(byte[] bytes) {
        writeString(bytes, 0, bytes.length);
    }

    /**
     * An integer as a string: its integer form when it fits 32 bits, else its decimal text, as Redis
     * writes a number it holds as an integer.
     */
    public void writeIntegerString(long value) {
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            writeInteger(value);
            return;
        }
        byte[] text = Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        writeLength(text.length);
        writeRaw(text, 0, text.length);
    }

    private boolean writeIntegerForm(byte[] bytes, int offset, int length) {
        long value = CanonicalInteger.parse(bytes, offset, length);
        if (value == CanonicalInteger.NOT_CANONICAL || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            return false;
        }
        writeInteger(value);
        return true;
    }

    private void writeInteger(long value) {
        int special = RdbFormat.LENGTH_SPECIAL << 6;
        ensure(5);
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            buffer[position++] = (byte) (special | RdbFormat.STRING_INT8);
            buffer[position++] = (byte) value;
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            buffer[position++] = (byte) (special | RdbFormat.STRING_INT16);
            buffer[position++] = (byte) value;
            buffer[position++] = (byte) (value >>> 8);
        } else {
            buffer[position++] = (byte) (special | RdbFormat.STRING_INT32);
            for (int i = 0; i < 4; i++) {
                buffer[position++] = (byte) (value >>> (8 * i));
            }
        }
    }

    private boolean writeCompressed(byte[] bytes, int offset, int length) {
        if (lzfTable == null) {
            lzfTable = Lzf.newTable();
        }
        int maxOutput = length - 4;
        if (lzfOutput == null || lzfOutput.length < maxOutput) {
            lzfOutput = new byte[Math.max(maxOutput, 64)];
        }
        int compressed = Lzf.compress(bytes, offset, length, lzfOutput, maxOutput, lzfTable);
        if (compressed == 0) {
            return false;
        }
        writeByte((RdbFormat.LENGTH_SPECIAL << 6) | RdbFormat.STRING_LZF);
        writeLength(compressed);
        writeLength(length);
        writeRaw(lzfOutput, 0, compressed);
        if (lzfOutput.length > FLUSH_SIZE) {
            lzfOutput = null;
        }
        return true;
    }

    // ---------------------------------------------------------------- results

    /** Bytes written since creation or the last {@link #reset()}. */
    public long size() {
        return flushed + position;
    }

    /** The CRC-64 of everything written since creation or the last {@link #reset()}. */
    public long checksum() {
        crc = Crc64.update(crc, buffer, crcFrom, position - crcFrom);
        crcFrom = position;
        return crc;
    }

    /** The collected bytes (in-memory writers): the array and {@link #size()} of it are valid until the next write. */
    public byte[] array() {
        if (sink != null) {
            throw new IllegalStateException("the bytes went to the sink");
        }
        return buffer;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(array(), position);
    }

    /** Forgets what was written (and its CRC), keeping the buffer. */
    public void reset() {
        position = 0;
        crcFrom = 0;
        crc = 0;
        flushed = 0;
        if (sink == null && buffer.length > FLUSH_SIZE * 16) {
            buffer = new byte[256];
        }
    }

    /** Passes everything buffered to the sink and flushes it. */
    public void flush() {
        if (sink == null) {
            return;
        }
        flushBuffer();
        try {
            sink.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flushBuffer() {
        if (position == 0) {
            return;
        }
        checksum();
        try {
            sink.write(buffer, 0, position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        flushed += position;
        position = 0;
        crcFrom = 0;
    }

    private void ensure(int bytes) {
        if (position + bytes <= buffer.length) {
            return;
        }
        if (sink != null) {
            flushBuffer();
            if (bytes <= buffer.length) {
                return;
            }
        }
        long wanted = Math.max((long) position + bytes, (long) buffer.length * 2);
        if (wanted > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("an encoding over 2 GB does not fit an array");
        }
        buffer = Arrays.copyOf(buffer, (int) wanted);
    }

    private void putBigEndian(long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            buffer[position++] = (byte) (value >>> (8 * i));
        }
    }
}
