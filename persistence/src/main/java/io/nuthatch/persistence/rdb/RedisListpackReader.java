package io.nuthatch.persistence.rdb;

/**
 * Walks a listpack in Redis's layout (see {@link RedisListpackWriter}) from its first element to
 * its last. {@link #open} checks the whole blob first (header size, every element inside it, every
 * back-length matching its element, the terminator, the count), so a walk of a blob that opened
 * never reads out of bounds.
 *
 * <p>Elements are read through {@link PackedElements}.
 */
public final class RedisListpackReader extends PackedElements {
    private int end;
    private int next;
    private int count;

    /** Opens a listpack found at {@code blob[0, blob.length)}. */
    public void open(byte[] bytes) throws RdbFormatException {
        open(bytes, bytes.length);
    }

    public void open(byte[] bytes, int size) throws RdbFormatException {
        if (size < RedisListpackWriter.HEADER_SIZE + 1) {
            throw new RdbFormatException("a listpack of " + size + " bytes");
        }
        long total = (bytes[0] & 0xffL) | (bytes[1] & 0xffL) << 8 | (bytes[2] & 0xffL) << 16 | (bytes[3] & 0xffL) << 24;
        if (total != size) {
            throw new RdbFormatException("a listpack whose header says " + total + " bytes in " + size);
        }
        if ((bytes[size - 1] & 0xff) != RedisListpackWriter.TERMINATOR) {
            throw new RdbFormatException("a listpack without its terminator");
        }
        int declared = (bytes[4] & 0xff) | (bytes[5] & 0xff) << 8;
        this.blob = bytes;
        this.end = size - 1;
        int counted = 0;
        next = RedisListpackWriter.HEADER_SIZE;
        while (next < end) {
            advance(true);
            counted++;
        }
        if (next != end) {
            throw new RdbFormatException("a listpack element running into its terminator");
        }
        if (declared != RedisListpackWriter.UNKNOWN_COUNT && declared != counted) {
            throw new RdbFormatException("a listpack whose header says " + declared + " elements and holds " + counted);
        }
        this.count = counted;
        next = RedisListpackWriter.HEADER_SIZE;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public boolean next() throws RdbFormatException {
        if (next >= end) {
            return false;
        }
        advance(false);
        return true;
    }

    private void advance(boolean check) throws RdbFormatException {
        int start = next;
        int p = start;
        int encoding = blob[p++] & 0xff;
        integer = true;
        if (encoding < 0x80) {
            value = encoding;
        } else if ((encoding & 0xc0) == RedisListpackWriter.ENCODING_6BIT_STRING) {
            integer = false;
            length = encoding & 0x3f;
        } else if ((encoding & 0xe0) == RedisListpackWriter.ENCODING_13BIT_INT) {
            require(p, 1);
            long bits = ((encoding & 0x1f) << 8) | (blob[p++] & 0xff);
            value = bits >= 1 << 12 ? bits - (1 << 13) : bits;
        } else if ((encoding & 0xf0) == RedisListpackWriter.ENCODING_12BIT_STRING) {
            require(p, 1);
            integer = false;
            length = ((encoding & 0x0f) << 8) | (blob[p++] & 0xff);
        } else {
            int size;
            switch (encoding) {
                case RedisListpackWriter.ENCODING_32BIT_STRING:
                    require(p, 4);
                    long declared = littleEndian(p, 4);
                    p += 4;
                    if (declared > end - p) {
                        throw new RdbFormatException("a listpack string past the end of the listpack");
                    }
                    integer = false;
                    length = (int) declared;
                    size = -1;
                    break;
                case RedisListpackWriter.ENCODING_16BIT_INT:
                    size = 2;
                    break;
                case RedisListpackWriter.ENCODING_24BIT_INT:
                    size = 3;
                    break;
                case RedisListpackWriter.ENCODING_32BIT_INT:
                    size = 4;
                    break;
                case RedisListpackWriter.ENCODING_64BIT_INT:
                    size = 8;
                    break;
                default:
                    throw new RdbFormatException("an unknown listpack encoding 0x" + Integer.toHexString(encoding));
            }
            if (size > 0) {
                require(p, size);
                long raw = littleEndian(p, size);
                int unused = 64 - 8 * size;
                value = (raw << unused) >> unused;
                p += size;
            }
        }
        if (!integer) {
            require(p, length);
            offset = p;
            p += length;
        }
        int elementSize = p - start;
        int backSize = RedisListpackWriter.backLengthSize(elementSize);
        require(p, backSize);
        if (check) {
            long back = 0;
            int shift = 0;
            for (int i = p + backSize - 1; i >= p; i--) {
                back |= (long) (blob[i] & 0x7f) << shift;
                shift += 7;
                boolean more = (blob[i] & 0x80) != 0;
                if (more != (i > p)) {
                    throw new RdbFormatException("a listpack back-length of the wrong size");
                }
            }
            if (back != elementSize) {
                throw new RdbFormatException("a listpack back-length that does not match its element");
            }
        }
        next = p + backSize;
    }

    private void require(int p, int bytes) throws RdbFormatException {
        if (bytes < 0 || p + (long) bytes > end) {
            throw new RdbFormatException("a listpack element past the end of the listpack");
        }
    }

    private long littleEndian(int p, int size) {
        long raw = 0;
        for (int i = 0; i < size; i++) {
            raw |= (blob[p + i] & 0xffL) << (8 * i);
        }
        return raw;
    }
}
