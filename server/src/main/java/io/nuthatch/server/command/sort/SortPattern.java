package io.nuthatch.server.command.sort;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.HashValue;
import io.nuthatch.server.type.ValueType;

/**
 * Resolves SORT's BY and GET patterns for one element, as Redis 7.0 reads them.
 *
 * <p>A pattern is read as the C string Redis sees: only the bytes before its first NUL are searched.
 * {@code #} (alone, or followed by a NUL) names the element itself. Otherwise the first {@code *}
 * is replaced by the element, and a pattern without one names nothing (nil). The first {@code ->}
 * after the {@code *}, when something follows it, splits off a hash field: the key is what comes
 * before it with the substitution, the field everything after it (NULs included). A key that is
 * missing or of the wrong type, or a hash without the field, is nil. Keys are looked up for
 * reading, counted in keyspace_hits and keyspace_misses, also when SORT stores (redis-server 7.0.15
 * counts them then too).
 *
 * <p>One instance serves one SORT call: it builds keys in a buffer it reuses, and leaves the value
 * found in {@link #array}, {@link #offset} and {@link #length}, valid until the next change of the
 * keyspace.
 */
final class SortPattern {
    private final Database database;
    private final RequestArguments arguments;
    private byte[] keyBuffer = new byte[64];

    /** The value found by the last successful {@link #resolve}. */
    byte[] array;
    int offset;
    int length;

    SortPattern(Database database, RequestArguments arguments) {
        this.database = database;
        this.arguments = arguments;
    }

    /** Whether the pattern of argument {@code index} has a {@code *} to substitute (else BY sorts nothing). */
    static boolean substitutes(RequestArguments arguments, int index) {
        return star(arguments.array(index), arguments.offset(index), cLength(arguments, index)) >= 0;
    }

    /**
     * Resolves the pattern of argument {@code patternIndex} for {@code element}; false for nil.
     * On true, the value is in {@link #array}, {@link #offset}, {@link #length}.
     */
    boolean resolve(int patternIndex, byte[] element) {
        byte[] pattern = arguments.array(patternIndex);
        int start = arguments.offset(patternIndex);
        int patternLength = arguments.length(patternIndex);
        if (patternLength >= 1 && pattern[start] == '#' && (patternLength == 1 || pattern[start + 1] == 0)) {
            return found(element, 0, element.length);
        }
        int cLength = cLength(arguments, patternIndex);
        int star = star(pattern, start, cLength);
        if (star < 0) {
            return false;
        }
        int field = -1;
        for (int i = star + 1; i + 1 < cLength; i++) {
            if (pattern[start + i] == '-' && pattern[start + i + 1] == '>') {
                // strstr finds the first "->"; it names a field only if a byte follows it.
                if (i + 2 < cLength) {
                    field = i + 2;
                }
                break;
            }
        }
        int postfixEnd = field >= 0 ? field - 2 : patternLength;
        int keyLength = star + element.length + (postfixEnd - star - 1);
        if (keyBuffer.length < keyLength) {
            keyBuffer = new byte[Math.max(keyLength, keyBuffer.length * 2)];
        }
        System.arraycopy(pattern, start, keyBuffer, 0, star);
        System.arraycopy(element, 0, keyBuffer, star, element.length);
        System.arraycopy(pattern, start + star + 1, keyBuffer, star + element.length, postfixEnd - star - 1);
        KeyEntry entry = database.lookup(keyBuffer, 0, keyLength, 0);
        if (entry == null) {
            return false;
        }
        if (field < 0) {
            return entry.isString() && found(entry.stringArray(), entry.stringOffset(), entry.stringLength());
        }
        if (entry.type() != ValueType.HASH) {
            return false;
        }
        HashValue hash = (HashValue) entry.value();
        int position = hash.find(pattern, start + field, patternLength - field);
        return position != HashValue.NONE
                && found(hash.valueArray(position), hash.valueOffset(position), hash.valueLength(position));
    }

    /** A copy of the value the last {@link #resolve} found. */
    byte[] copy() {
        byte[] copy = new byte[length];
        System.arraycopy(array, offset, copy, 0, length);
        return copy;
    }

    private boolean found(byte[] foundArray, int foundOffset, int foundLength) {
        array = foundArray;
        offset = foundOffset;
        length = foundLength;
        return true;
    }

    /** The length of the argument as a C string: up to its first NUL. */
    private static int cLength(RequestArguments arguments, int index) {
        byte[] array = arguments.array(index);
        int start = arguments.offset(index);
        int length = arguments.length(index);
        for (int i = 0; i < length; i++) {
            if (array[start + i] == 0) {
                return i;
            }
        }
        return length;
    }

    private static int star(byte[] pattern, int start, int cLength) {
        for (int i = 0; i < cLength; i++) {
            if (pattern[start + i] == '*') {
                return i;
            }
        }
        return -1;
    }
}
