package io.nuthatch.server.type;

/**
 * A hash's field and its value in one array, the element of a hash's {@link MemberTable}:
 * {@code [field length, varint][field][value]}. One array per field instead of two saves an array
 * header and a reference, and a lookup that finds the field has the value in the same cache
 * lines, as the keyspace keeps a key and its string together.
 */
public final class FieldValue {
    private FieldValue() {
    }

    /** A new pair of the given field and value. */
    public static byte[] of(byte[] field, int fieldOffset, int fieldLength, byte[] value, int valueOffset,
            int valueLength) {
        int header = varintSize(fieldLength);
        byte[] pair = new byte[header + fieldLength + valueLength];
        int remaining = fieldLength;
        int i = 0;
        while ((remaining & ~0x7F) != 0) {
            pair[i++] = (byte) (remaining | 0x80);
            remaining >>>= 7;
        }
        pair[i] = (byte) remaining;
        System.arraycopy(field, fieldOffset, pair, header, fieldLength);
        System.arraycopy(value, valueOffset, pair, header + fieldLength, valueLength);
        return pair;
    }

    public static int fieldLength(byte[] pair) {
        int b = pair[0];
        if (b >= 0) {
            return b;
        }
        int length = 0;
        int shift = 0;
        int i = 0;
        do {
            b = pair[i++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        return length;
    }

    public static int fieldOffset(byte[] pair) {
        return pair[0] >= 0 ? 1 : varintSize(fieldLength(pair));
    }

    public static int valueOffset(byte[] pair) {
        return fieldOffset(pair) + fieldLength(pair);
    }

    public static int valueLength(byte[] pair) {
        return pair.length - valueOffset(pair);
    }

    private static int varintSize(int value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }
}
