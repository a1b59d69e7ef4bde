package io.nuthatch.persistence.rdb;

import java.nio.charset.StandardCharsets;

/**
 * The elements of a packed blob (a listpack, or the ziplist older RDB files hold), read from the
 * first to the last. An element is an integer or a range of {@link #array()}; the blob was checked
 * whole when it was opened, so reading never goes out of bounds.
 */
public abstract class PackedElements {
    protected byte[] blob;
    protected boolean integer;
    protected long value;
    protected int offset;
    protected int length;

    /** Number of elements. */
    public abstract int count();

    /** Moves to the next element; false past the last. */
    public abstract boolean next() throws RdbFormatException;

    /** Moves to the next element, which the structure of the value needs to exist. */
    public final void nextRequired() throws RdbFormatException {
        if (!next()) {
            throw new RdbFormatException("a packed value with fewer elements than its structure needs");
        }
    }

    public final boolean isInteger() {
        return integer;
    }

    public final long integer() {
        return value;
    }

    public final byte[] array() {
        return blob;
    }

    public final int offset() {
        return offset;
    }

    public final int length() {
        return length;
    }

    /** The element as a string: its bytes, or an integer's decimal text. */
    public final byte[] copyString() {
        if (integer) {
            return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] copy = new byte[length];
        System.arraycopy(blob, offset, copy, 0, length);
        return copy;
    }

    /** The element as an integer: an integer element, or a string that is the canonical text of one. */
    public final long integerValue() throws RdbFormatException {
        if (integer) {
            return value;
        }
        long parsed = CanonicalInteger.parse(blob, offset, length);
        if (parsed == CanonicalInteger.NOT_CANONICAL) {
            throw new RdbFormatException("a packed element that should be an integer");
        }
        return parsed;
    }

    /**
     * The element as a score: Redis writes scores into packed sorted sets as integers or as
     * "%.17g" text, "inf" and "-inf" included, which Java parses to the same double.
     */
    public final double doubleValue() throws RdbFormatException {
        if (integer) {
            return value;
        }
        String text = new String(blob, offset, length, StandardCharsets.US_ASCII);
        if (text.equals("inf") || text.equals("+inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (text.equals("-inf")) {
            return Double.NEGATIVE_INFINITY;
        }
        try {
            double parsed = Double.parseDouble(text);
            if (!Double.isNaN(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new RdbFormatException("a packed score that is not a number");
    }
}
