package io.nuthatch.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one request (argv), as byte ranges.
 *
 * <p>Small arguments are packed one after another into an arena that belongs to the connection and
 * is reused by every request, so reading a request allocates nothing once the arena has grown to
 * the connection's usual request size. An argument of {@value #LARGE_ARGUMENT} bytes or more gets
 * an array of its own, exactly its size, filled as its bytes arrive; a command that keeps it (a SET
 * of a large value) takes that array with {@link #take(int)} instead of copying it.
 *
 * <p>The ranges are valid until the next request is decoded: a command that keeps an argument
 * copies it ({@link #copy(int)}) or takes it.
 */
public final class RequestArguments {
    /** Arguments from this size on get their own array (Redis's PROTO_MBULK_BIG_ARG is the same). */
    public static final int LARGE_ARGUMENT = 32 * 1024;

    private static final int INITIAL_ARENA = 512;
    /** An arena that grew past this for one unusual request is dropped after it, not kept. */
    private static final int RETAINED_ARENA_LIMIT = 256 * 1024;

    private byte[] arena = new byte[INITIAL_ARENA];
    private int arenaUsed;

    private byte[][] arrays = new byte[8][];
    private int[] offsets = new int[8];
    private int[] lengths = new int[8];
    /** Whether an argument has an array of its own (large arguments), which {@link #take} hands out. */
    private boolean[] owned = new boolean[8];
    private int count;

    /** Number of arguments, the command name included. */
    public int count() {
        return count;
    }

    public byte[] array(int index) {
        return arrays[index];
    }

    public int offset(int index) {
        return offsets[index];
    }

    public int length(int index) {
        return lengths[index];
    }

    public byte byteAt(int index, int position) {
        return arrays[index][offsets[index] + position];
    }

    /** A new array holding a copy of the argument. */
    public byte[] copy(int index) {
        int offset = offsets[index];
        return Arrays.copyOfRange(arrays[index], offset, offset + lengths[index]);
    }

    /**
     * The argument as an array the caller may keep: the argument's own array when it has one (large
     * arguments), else a copy. The argument stays readable here until the request ends (the
     * dispatcher reads it to propagate the command), so the caller must not change the array
     * before then.
     */
    public byte[] take(int index) {
        if (owned[index]) {
            owned[index] = false;
            return arrays[index];
        }
        return copy(index);
    }

    /**
     * Whether an argument is the keyword, given in upper case, as Redis compares option keywords:
     * with C's strcasecmp, which ignores ASCII case and stops at a NUL byte ("nx\0junk" is NX).
     */
    public boolean isKeyword(int index, byte[] upperCaseKeyword) {
        int length = lengths[index];
        int keywordLength = upperCaseKeyword.length;
        byte[] array = arrays[index];
        int offset = offsets[index];
        if (length < keywordLength || (length > keywordLength && array[offset + keywordLength] != 0)) {
            return false;
        }
        for (int i = 0; i < keywordLength; i++) {
            int c = array[offset + i];
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != upperCaseKeyword[i]) {
                return false;
            }
        }
        return true;
    }

    /** Compares an argument byte for byte with the given bytes. */
    public boolean contentEquals(int index, byte[] other) {
        int offset = offsets[index];
        return Arrays.equals(arrays[index], offset, offset + lengths[index], other, 0, other.length);
    }

    /**
     * The argument as a string of ISO-8859-1 characters, one per byte, so that it can be turned back
     * into the same bytes. For error messages and other cold paths only.
     */
    public String toLatin1String(int index) {
        return new String(arrays[index], offsets[index], lengths[index], StandardCharsets.ISO_8859_1);
    }

    /** Forgets all arguments; the arena is kept for the next request unless it grew unusually large. */
    public void clear() {
        if (arena.length > RETAINED_ARENA_LIMIT) {
            arena = new byte[INITIAL_ARENA];
        }
        if (count > 0) {
            Arrays.fill(arrays, 0, count, null);
            Arrays.fill(owned, 0, count, false);
        }
        arenaUsed = 0;
        count = 0;
    }

    /** Bytes of memory held for the arguments decoded so far (for the query buffer limit). */
    long bytesHeld() {
        long held = arenaUsed;
        for (int i = 0; i < count; i++) {
            if (owned[i]) {
                held += lengths[i];
            }
        }
        return held;
    }

    void addSmall(ByteBuf source, int sourceIndex, int length) {
        if (arenaUsed + length > arena.length) {
            // Arguments added so far keep pointing at the old arena; it is not written again.
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + length));
        }
        source.getBytes(sourceIndex, arena, arenaUsed, length);
        append(arena, arenaUsed, length, false);
        arenaUsed += length;
    }

    void addSmall(byte[] source, int sourceOffset, int length) {
        if (arenaUsed + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + length));
        }
        System.arraycopy(source, sourceOffset, arena, arenaUsed, length);
        append(arena, arenaUsed, length, false);
        arenaUsed += length;
    }

    /**
     * Adds a copy of the bytes as the next argument, for requests a server builds itself (a
     * script's redis.call): into the arena, or into an array of its own from
     * {@link #LARGE_ARGUMENT} bytes on, as the decoder does.
     */
    public void add(byte[] source, int offset, int length) {
        if (length >= LARGE_ARGUMENT) {
            addOwned(Arrays.copyOfRange(source, offset, offset + length));
        } else {
            addSmall(source, offset, length);
        }
    }

    /** Adds an argument backed by an array of its own, which the decoder fills as bytes arrive. */
    void addOwned(byte[] array) {
        append(array, 0, array.length, true);
    }

    void ensureCapacity(int expectedCount) {
        if (expectedCount > arrays.length) {
            int capacity = Math.max(expectedCount, arrays.length * 2);
            arrays = Arrays.copyOf(arrays, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            owned = Arrays.copyOf(owned, capacity);
        }
    }

    private void append(byte[] array, int offset, int length, boolean ownArray) {
        if (count == arrays.length) {
            ensureCapacity(count + 1);
        }
        arrays[count] = array;
        offsets[count] = offset;
        lengths[count] = length;
        owned[count] = ownArray;
        count++;
    }

    /**
     * A copy that stays valid after this request ends, for a request that must run later (one
     * CLIENT PAUSE holds): small arguments are copied into an arena of the copy's own, a large
     * argument's own array moves to the copy (this request is over, nobody takes it here any more).
     */
    public RequestArguments detach() {
        RequestArguments copy = new RequestArguments();
        copy.ensureCapacity(count);
        for (int i = 0; i < count; i++) {
            if (owned[i]) {
                owned[i] = false;
                copy.append(arrays[i], offsets[i], lengths[i], true);
            } else {
                copy.addSmall(arrays[i], offsets[i], lengths[i]);
            }
        }
        return copy;
    }

    /** Builds arguments from whole arrays; for tests, benchmarks and internally generated commands. */
    public static RequestArguments of(byte[]... arguments) {
        RequestArguments result = new RequestArguments();
        for (byte[] argument : arguments) {
            result.addSmall(argument, 0, argument.length);
        }
        return result;
    }

    /** Builds arguments from strings encoded as UTF-8; for tests and internally generated commands. */
    public static RequestArguments of(String... arguments) {
        RequestArguments result = new RequestArguments();
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            result.addSmall(bytes, 0, bytes.length);
        }
        return result;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(new String(arrays[i], offsets[i], lengths[i], StandardCharsets.UTF_8));
        }
        return text.append(']').toString();
    }
}
