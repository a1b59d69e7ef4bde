package io.nuthatch.server.type;

/**
 * Which encoding OBJECT ENCODING names for a string, by Redis's rules: a value written whole (SET,
 * INCR, MSET ...) is "int" when it is a canonical 64-bit integer, "embstr" up to 44 bytes and "raw"
 * beyond; some writers never try the integer form (INCRBYFLOAT stores its text as is); a value
 * changed in place, or stored by a command that builds it as raw (BITOP, SETRANGE of a new key),
 * is "raw" whatever its length.
 */
public final class StringEncoding {
    public static final String INT = "int";
    public static final String EMBSTR = "embstr";
    public static final String RAW = "raw";

    /** Longest string Redis stores as embstr (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
    /** The longest string SET stores as "embstr": anything longer is "raw" whatever its form. */
    public static final int EMBSTR_LIMIT = 44;
    /** Longest canonical 64-bit integer in decimal, "-9223372036854775808". */
    private static final int LONGEST_INTEGER = 20;

    private StringEncoding() {
    }

    /** The encoding of a value written whole; {@code neverInteger} for writers that skip "int". */
    public static String of(byte[] bytes, int offset, int length, boolean neverInteger) {
        if (!neverInteger && isInteger(bytes, offset, length)) {
            return INT;
        }
        return length <= EMBSTR_LIMIT ? EMBSTR : RAW;
    }

    /** Whether a value written whole would be "int" encoded (unless its writer skips that form). */
    public static boolean isInteger(byte[] bytes, int offset, int length) {
        return length <= LONGEST_INTEGER && NumericStrings.isLong(bytes, offset, length);
    }
}
