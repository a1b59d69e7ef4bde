package io.nuthatch.persistence.rdb;

/**
 * Walks a ziplist, the packed layout Redis used before listpacks (RDB files of Redis 6.2 and
 * older hold small hashes, sorted sets and list nodes in it).
 *
 * <p><b>Layout.</b> A 10-byte header (total bytes and the offset of the last element, 32-bit
 * little-endian; the element count, 16-bit, 65535 when it does not fit), the elements, and 0xFF.
 * Each element starts with the size of the previous one (one byte under 254, else 254 and four
 * bytes), then an encoding: {@code 00LLLLLL}, {@code 01LLLLLL LLLLLLLL} (big-endian) or
 * {@code 10000000} and four big-endian bytes for a string of that length; 0xC0, 0xD0, 0xE0, 0xF0
 * and 0xFE for a 16, 32, 64, 24 and 8-bit little-endian integer; 0xF1 to 0xFD for the integers 0
 * to 12 held in the encoding byte itself. {@link #open} checks every element and every
 * previous-size against the element before it.
 */
public final class ZiplistReader extends PackedElements {
    private static final int HEADER_SIZE = 10;
    private static final int END = 0xff;
    private static final int BIG_PREVIOUS = 254;

    private int end;
    private int next;
    private int count;

    public void open(byte[] bytes) throws RdbFormatException {
        int size = bytes.length;
        if (size < HEADER_SIZE + 1) {
            throw new RdbFormatException("a ziplist of " + size + " bytes");
        }
        long total = littleEndian(bytes, 0, 4);
        if (total != size) {
            throw new RdbFormatException("a ziplist whose header says " + total + " bytes in " + size);
        }
        if ((bytes[size - 1] & 0xff) != END) {
            throw new RdbFormatException("a ziplist without its terminator");
        }
        int declared = (int) littleEndian(bytes, 8, 2);
        blob = bytes;
        end = size - 1;
        next = HEADER_SIZE;
        int counted = 0;
        int previousSize = 0;
        while (next < end) {
            int start = next;
            advance(previousSize);
            previousSize = next - start;
            counted++;
        }
        if (next != end) {
            throw new RdbFormatException("a ziplist element running into its terminator");
        }
        if (declared != 0xffff && declared != counted) {
            throw new RdbFormatException("a ziplist whose header says " + declared + " elements and holds " + counted);
        }
        count = counted;
        next = HEADER_SIZE;
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
        advance(-1);
        return true;
    }

    /** Reads the element at {@code next}; checks its previous-size when {@code previousSize} is not -1. */
    private void advance(int previousSize) throws RdbFormatException {
        int p = next;
        long previous = blob[p++] & 0xff;
        if (previous == BIG_PREVIOUS) {
            require(p, 4);
            previous = littleEndian(blob, p, 4);
            p += 4;
        } else if (previous == END) {
            throw new RdbFormatException("a ziplist element with a previous-size of 255");
        }
        if (previousSize >= 0 && previous != previousSize) {
            throw new RdbFormatException("a ziplist previous-size that does not match the element before");
        }
        require(p, 1);
        int encoding = blob[p++] & 0xff;
        integer = false;
        switch (encoding >>> 6) {
            case 0 -> length = encoding & 0x3f;
            case 1 -> {
                require(p, 1);
                length = ((encoding & 0x3f) << 8) | (blob[p++] & 0xff);
            }
            case 2 -> {
                if (encoding != 0x80) {
                    throw new RdbFormatException("an unknown ziplist encoding 0x" + Integer.toHexString(encoding));
                }
                require(p, 4);
                long declared = ((blob[p] & 0xffL) << 24) | ((blob[p + 1] & 0xffL) << 16) | ((blob[p + 2] & 0xffL) << 8)
                        | (blob[p + 3] & 0xffL);
                p += 4;
                if (declared > end - p) {
                    throw new RdbFormatException("a ziplist string past the end of the ziplist");
                }
                length = (int) declared;
            }
            default -> {
                integer = true;
                int size;
                switch (encoding) {
                    case 0xc0 -> size = 2;
                    case 0xd0 -> size = 4;
                    case 0xe0 -> size = 8;
                    case 0xf0 -> size = 3;
                    case 0xfe -> size = 1;
                    default -> {
                        if (encoding >= 0xf1 && encoding <= 0xfd) {
                            size = 0;
                            value = (encoding & 0x0f) - 1;
                        } else {
                            throw new RdbFormatException("an unknown ziplist encoding 0x" + Integer.toHexString(encoding));
                        }
                    }
                }
                if (size > 0) {
                    require(p, size);
                    long raw = littleEndian(blob, p, size);
                    int unused = 64 - 8 * size;
                    value = (raw << unused) >> unused;
                    p += size;
                }
            }
        }
        if (!integer) {
            require(p, length);
            offset = p;
            p += length;
        }
        next = p;
    }

    private void require(int p, int bytes) throws RdbFormatException {
        if (bytes < 0 || p + (long) bytes > end) {
            throw new RdbFormatException("a ziplist element past the end of the ziplist");
        }
    }

    private static long littleEndian(byte[] bytes, int p, int size) {
        long raw = 0;
        for (int i = 0; i < size; i++) {
            raw |= (bytes[p + i] & 0xffL) << (8 * i);
        }
        return raw;
    }
}
