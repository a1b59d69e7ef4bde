package io.nuthatch.persistence.rdb;

/**
 * Walks a zipmap, the packed layout of small hashes before Redis 2.6 (RDB type 9, still loaded by
 * Redis): a count byte (254 or more: count unknown), then for each pair a length, the field, a
 * length, a byte of free space, the value and that free space; then 0xFF. A length is one byte
 * under 254, else 254 and four little-endian bytes. Elements alternate field, value.
 */
public final class ZipmapReader extends PackedElements {
    private static final int BIG_LENGTH = 254;
    private static final int END = 0xff;

    private int next;
    private int count;
    private boolean atValue;

    public void open(byte[] bytes) throws RdbFormatException {
        blob = bytes;
        if (bytes.length < 2) {
            throw new RdbFormatException("a zipmap of " + bytes.length + " bytes");
        }
        next = 1;
        atValue = false;
        int counted = 0;
        while (advance()) {
            counted++;
        }
        if (next != bytes.length) {
            throw new RdbFormatException("bytes after a zipmap's terminator");
        }
        if ((counted & 1) != 0) {
            throw new RdbFormatException("a zipmap field without its value");
        }
        count = counted;
        next = 1;
        atValue = false;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public boolean next() throws RdbFormatException {
        return advance();
    }

    private boolean advance() throws RdbFormatException {
        require(next, 1);
        int first = blob[next] & 0xff;
        if (first == END) {
            next++;
            return false;
        }
        int p = next + 1;
        long declared = first;
        if (first == BIG_LENGTH) {
            require(p, 4);
            declared = (blob[p] & 0xffL) | (blob[p + 1] & 0xffL) << 8 | (blob[p + 2] & 0xffL) << 16
                    | (blob[p + 3] & 0xffL) << 24;
            p += 4;
        }
        int free = 0;
        if (atValue) {
            require(p, 1);
            free = blob[p++] & 0xff;
        }
        if (declared > blob.length - p) {
            throw new RdbFormatException("a zipmap element past the end of the zipmap");
        }
        integer = false;
        offset = p;
        length = (int) declared;
        p += length;
        require(p, free);
        next = p + free;
        atValue = !atValue;
        return true;
    }

    private void require(int p, int bytes) throws RdbFormatException {
        if (p + (long) bytes > blob.length) {
            throw new RdbFormatException("a zipmap element past the end of the zipmap");
        }
    }
}
