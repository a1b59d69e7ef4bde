package io.nuthatch.persistence.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the primitives of the RDB format (the counterpart of {@link RdbOutput}) from an array (a
 * DUMP payload, a stored value) or a stream (a file), keeping the CRC-64 of what it consumed.
 *
 * <p>Nothing read is trusted: a length is checked against what remains before an array is
 * allocated for it (for a stream, a large string is read in growing steps, so a corrupt length
 * fails at the end of the data rather than allocating gigabytes), and every failure is an
 * {@link RdbFormatException} naming the offset.
 */
public final class RdbInput {
    private static final int STREAM_BUFFER = 64 * 1024;
    /** A string claiming more than this is read in steps from a stream. */
    private static final int TRUSTED_ALLOCATION = 1 << 20;
    /** LZF turns 3 bytes into at most 264 (a maximal back reference). */
    private static final long LZF_MAX_RATIO = 88;

    private final InputStream source;
    private byte[] buffer;
    private int position;
    private int limit;
    /** Offset in the whole input of buffer[0]. */
    private long bufferStart;
    private long crc;
    private int crcFrom;

    public RdbInput(byte[] bytes, int offset, int length) {
        this.source = null;
        this.buffer = bytes;
        this.position = offset;
        this.limit = offset + length;
        this.bufferStart = -offset;
        this.crcFrom = offset;
    }

    public RdbInput(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    public RdbInput(InputStream source) {
        this.source = source;
        this.buffer = new byte[STREAM_BUFFER];
    }

    /** Offset of the next byte from the start of the input. */
    public long offset() {
        return bufferStart + position;
    }

    /** Whether the input is exhausted (array inputs; a stream input reads ahead to know). */
    public boolean atEnd() throws IOException {
        return position >= limit && !fill();
    }

    /** The CRC-64 of everything consumed so far. */
    public long checksum() {
        crc = Crc64.update(crc, buffer, crcFrom, position - crcFrom);
        crcFrom = position;
        return crc;
    }

    // ---------------------------------------------------------------- primitives

    public int readUnsignedByte() throws IOException {
        if (position >= limit && !fill()) {
            throw truncated();
        }
        return buffer[position++] & 0xff;
    }

    public void readFully(byte[] target, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            if (position >= limit && !fill()) {
                throw truncated();
            }
            int step = Math.min(length - done, limit - position);
            System.arraycopy(buffer, position, target, offset + done, step);
            position += step;
            done += step;
        }
    }

    public byte[] readRaw(int length) throws IOException {
        checkAvailable(length);
        byte[] bytes = new byte[length];
        readFully(bytes, 0, length);
        return bytes;
    }

    public long readLongLittleEndian() throws IOException {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (long) readUnsignedByte() << (8 * i);
        }
        return value;
    }

    public int readIntLittleEndian() throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value |= readUnsignedByte() << (8 * i);
        }
        return value;
    }

    public long readLongBigEndian() throws IOException {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | readUnsignedByte();
        }
        return value;
    }

    public double readBinaryDouble() throws IOException {
        return Double.longBitsToDouble(readLongLittleEndian());
    }

    /** A score of the old sorted set type: its length in one byte (253 nan, 254 inf, 255 -inf), then text. */
    public double readTextDouble() throws IOException {
        int length = readUnsignedByte();
        switch (length) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                byte[] text = new byte[length];
                readFully(text, 0, length);
                try {
                    return Double.parseDouble(new String(text, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw corrupt("a score that is not a number");
                }
        }
    }

    /**
     * A length; the special string forms are not lengths and are refused. The 64-bit form gives
     * back its bits as they are, so a negative result is an unsigned value over 2^63 (stream IDs
     * and counters use the whole range); {@link #readLength(long)} and {@link #readCount()} refuse it.
     */
    public long readLength() throws IOException {
        int first = readUnsignedByte();
        int kind = first >>> 6;
        if (kind == RdbFormat.LENGTH_6BIT) {
            return first & 0x3f;
        }
        if (kind == RdbFormat.LENGTH_14BIT) {
            return ((first & 0x3f) << 8) | readUnsignedByte();
        }
        if (first == RdbFormat.LENGTH_32BIT) {
            long value = 0;
            for (int i = 0; i < 4; i++) {
                value = (value << 8) | readUnsignedByte();
            }
            return value;
        }
        if (first == RdbFormat.LENGTH_64BIT) {
            return readLongBigEndian();
        }
        throw corrupt("an encoded string where a length was expected");
    }

    /** A length that must fit an int and be at most {@code max}. */
    public int readLength(long max) throws IOException {
        long length = readLength();
        if (length < 0 || length > max || length > Integer.MAX_VALUE - 16) {
            throw corrupt("a length of " + length + " where at most " + max + " fits");
        }
        return (int) length;
    }

    /** A count of elements: each takes at least one byte, so it cannot exceed what remains. */
    public long readCount() throws IOException {
        long count = readLength();
        if (count < 0 || (source == null && count > limit - position)) {
            throw corrupt("a count of " + count + " with " + (limit - position) + " bytes left");
        }
        return count;
    }

    /** A string in any of its forms; integers come back as their decimal text. */
    public byte[] readString() throws IOException {
        int first = readUnsignedByte();
        if ((first >>> 6) != RdbFormat.LENGTH_SPECIAL) {
            position--;
            int length = readLength(Integer.MAX_VALUE - 16);
            return readRaw(length);
        }
        switch (first & 0x3f) {
            case RdbFormat.STRING_INT8:
                return Long.toString((byte) readUnsignedByte()).getBytes(StandardCharsets.US_ASCII);
            case RdbFormat.STRING_INT16: {
                int low = readUnsignedByte();
                return Long.toString((short) (low | (readUnsignedByte() << 8))).getBytes(StandardCharsets.US_ASCII);
            }
            case RdbFormat.STRING_INT32:
                return Long.toString(readIntLittleEndian()).getBytes(StandardCharsets.US_ASCII);
            case RdbFormat.STRING_LZF:
                return readCompressed();
            default:
                throw corrupt("an unknown string encoding " + (first & 0x3f));
        }
    }

    private byte[] readCompressed() throws IOException {
        int compressedLength = readLength(Integer.MAX_VALUE - 16);
        int length = readLength(Integer.MAX_VALUE - 16);
        if (length == 0 || length > compressedLength * LZF_MAX_RATIO + 64) {
            throw corrupt("an LZF string of " + compressedLength + " bytes claiming " + length);
        }
        byte[] compressed = readRaw(compressedLength);
        byte[] bytes = new byte[length];
        try {
            Lzf.decompress(compressed, 0, compressedLength, bytes);
        } catch (RdbFormatException e) {
            throw corrupt(e.getMessage());
        }
        return bytes;
    }

    /**
     * What follows the bytes consumed so far, as a stream: the bytes read ahead into the buffer,
     * then the rest of the source (the commands after an AOF's RDB preamble).
     */
    public InputStream remainder() {
        InputStream buffered = new java.io.ByteArrayInputStream(buffer, position, limit - position);
        position = limit;
        return source == null ? buffered : new java.io.SequenceInputStream(buffered, source);
    }

    // ---------------------------------------------------------------- errors

    public RdbFormatException corrupt(String what) {
        return new RdbFormatException(what + " at offset " + offset());
    }

    private RdbFormatException truncated() {
        return new RdbFormatException("unexpected end of data at offset " + offset());
    }

    private void checkAvailable(int length) throws IOException {
        if (length < 0) {
            throw corrupt("a negative length");
        }
        if (source == null) {
            if (length > limit - position) {
                throw new RdbFormatException("a length of " + length + " with " + (limit - position)
                        + " bytes left at offset " + offset());
            }
        } else if (length > TRUSTED_ALLOCATION) {
            probe(length);
        }
    }

    /**
     * For a stream: makes sure {@code length} bytes exist before trusting the length with an
     * allocation, by reading them into a buffer grown in steps (which then serves the reads).
     */
    private void probe(int length) throws IOException {
        if (limit - position >= length) {
            return;
        }
        checksum();
        int kept = limit - position;
        byte[] grown = Arrays.copyOfRange(buffer, position, position + Math.max(kept, STREAM_BUFFER));
        bufferStart += position;
        position = 0;
        crcFrom = 0;
        limit = kept;
        buffer = grown;
        while (limit < length) {
            if (limit == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, (long) length));
            }
            int read = source.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                throw new RdbFormatException("unexpected end of data: a length of " + length + " at offset " + offset());
            }
            limit += read;
        }
    }

    private boolean fill() throws IOException {
        if (source == null) {
            return false;
        }
        checksum();
        if (buffer.length > STREAM_BUFFER * 4) {
            buffer = new byte[STREAM_BUFFER];
        }
        bufferStart += limit;
        position = 0;
        limit = 0;
        crcFrom = 0;
        int read;
        do {
            read = source.read(buffer, 0, buffer.length);
        } while (read == 0);
        if (read < 0) {
            return false;
        }
        limit = read;
        return true;
    }
}
