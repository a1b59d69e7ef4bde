package io.nuthatch.server.type;

import java.util.Arrays;

import static io.nuthatch.server.type.HyperLogLog.DENSE;
import static io.nuthatch.server.type.HyperLogLog.DENSE_SIZE;
import static io.nuthatch.server.type.HyperLogLog.HEADER;
import static io.nuthatch.server.type.HyperLogLog.REGISTERS;
import static io.nuthatch.server.type.HyperLogLog.SPARSE;
import static io.nuthatch.server.type.HyperLogLog.SPARSE_LONG_ZERO_RUN_MAX;
import static io.nuthatch.server.type.HyperLogLog.SPARSE_VALUE_MAX;
import static io.nuthatch.server.type.HyperLogLog.SPARSE_VALUE_RUN_MAX;
import static io.nuthatch.server.type.HyperLogLog.SPARSE_ZERO_RUN_MAX;

/**
 * A working copy of a HyperLogLog being changed (PFADD of a sparse HLL, PFMERGE), and the scratch
 * the HLL commands count with. A sparse HLL changes length as its registers change, so it is edited
 * here and written back whole; a dense one is changed where it is stored. One buffer per thread
 * that runs commands, reused: a command allocates nothing here once the buffer has grown.
 *
 * <p>The byte at {@link #length()} is zero, as the byte after the end of a Redis string is:
 * Redis's sparse code reads one byte past a two-byte opcode cut off at the end of a corrupt HLL,
 * and the result must be the same here.
 */
public final class HyperLogLogBuffer {
    /** Room for the longest split of one opcode (three bytes more) and the zero after the end. */
    private static final int SLACK = 4;

    private byte[] bytes = new byte[DENSE_SIZE + SLACK];
    private byte[] spare = new byte[DENSE_SIZE + SLACK];
    private int length;
    private final byte[] sequence = new byte[5];
    /** One byte per register: the union PFCOUNT of several keys and PFMERGE compute. */
    private final byte[] union = new byte[REGISTERS];
    private final int[] histogram = new int[HyperLogLog.HISTOGRAM_SIZE];

    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** Loads a stored HLL (already checked with {@link HyperLogLog#isValid}). */
    public void load(byte[] source, int offset, int sourceLength) {
        if (bytes.length < sourceLength + SLACK) {
            bytes = new byte[sourceLength + SLACK];
        }
        System.arraycopy(source, offset, bytes, 0, sourceLength);
        Arrays.fill(bytes, sourceLength, sourceLength + SLACK, (byte) 0);
        length = sourceLength;
    }

    /**
     * Loads an empty HLL as PFADD and PFMERGE create one: sparse, its registers in as few runs of
     * zeros as cover them, the cached cardinality 0 and valid.
     */
    public void loadEmpty() {
        Arrays.fill(bytes, 0, HEADER + 2 * (REGISTERS / SPARSE_LONG_ZERO_RUN_MAX) + SLACK, (byte) 0);
        HyperLogLog.writeHeader(bytes, SPARSE);
        int p = HEADER;
        for (int left = REGISTERS; left > 0; left -= SPARSE_LONG_ZERO_RUN_MAX) {
            HyperLogLog.writeLongZero(bytes, p, Math.min(left, SPARSE_LONG_ZERO_RUN_MAX));
            p += 2;
        }
        length = p;
    }

    public int encoding() {
        return HyperLogLog.encoding(bytes, 0);
    }

    public void invalidateCache() {
        HyperLogLog.invalidateCache(bytes, 0);
    }

    /**
     * Adds an element.
     *
     * @return 1 when a register changed, 0 when none did, -1 when the HLL is corrupt
     */
    public int add(byte[] element, int offset, int elementLength, long sparseMaxBytes) {
        long hash = HyperLogLog.hash(element, offset, elementLength);
        return set(HyperLogLog.register(hash), HyperLogLog.runLength(hash), sparseMaxBytes);
    }

    /**
     * Raises register {@code index} to {@code value} if it is lower.
     *
     * @return 1 when it changed, 0 when it did not, -1 when the HLL is corrupt
     */
    public int set(int index, int value, long sparseMaxBytes) {
        if (encoding() == DENSE) {
            return setDense(index, value);
        }
        return setSparse(index, value, sparseMaxBytes);
    }

    private int setDense(int index, int value) {
        if (HyperLogLog.denseRegister(bytes, HEADER, index) >= value) {
            return 0;
        }
        HyperLogLog.setDenseRegister(bytes, HEADER, index, value);
        return 1;
    }

    /**
     * Redis's in-place update of a sparse HLL, step for step, since the bytes it leaves are what
     * GET returns and must be Redis's:
     * <ol>
     * <li>find the opcode covering the register (and the one before it);</li>
     * <li>a value opcode already as high: nothing to do; a run of one register (value or zero):
     *     rewrite that byte;</li>
     * <li>otherwise split the run into up to three opcodes (zeros or old value before, the new
     *     value, zeros or old value after), moving the rest of the body; when that would pass
     *     hll-sparse-max-bytes, or the value is above 32, the HLL becomes dense instead;</li>
     * <li>merge equal adjacent value opcodes, looking at up to five opcodes from the one before
     *     the change.</li>
     * </ol>
     */
    private int setSparse(int index, int value, long sparseMaxBytes) {
        if (value > SPARSE_VALUE_MAX) {
            return promote(index, value);
        }
        ensureCapacity(length + 3);
        byte[] b = bytes;
        int end = length;
        int p = HEADER;
        int previous = -1;
        int first = 0;
        int span = 0;
        while (p < end) {
            int opcode = b[p] & 0xFF;
            int opcodeLength = 1;
            if (HyperLogLog.isZero(opcode)) {
                span = HyperLogLog.zeroRun(opcode);
            } else if (HyperLogLog.isValue(opcode)) {
                span = HyperLogLog.valueRun(opcode);
            } else {
                span = HyperLogLog.longZeroRun(opcode, b[p + 1] & 0xFF);
                opcodeLength = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            previous = p;
            p += opcodeLength;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int opcode = b[p] & 0xFF;
        boolean zero = HyperLogLog.isZero(opcode);
        boolean longZero = HyperLogLog.isLongZero(opcode);
        int next = longZero ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        int run = zero ? HyperLogLog.zeroRun(opcode)
                : longZero ? HyperLogLog.longZeroRun(opcode, b[p + 1] & 0xFF) : HyperLogLog.valueRun(opcode);
        boolean rewritten = false;
        if (!zero && !longZero) {
            if (HyperLogLog.valueOf(opcode) >= value) {
                return 0;
            }
            if (run == 1) {
                b[p] = HyperLogLog.valueOpcode(value, 1);
                rewritten = true;
            }
        } else if (zero && run == 1) {
            b[p] = HyperLogLog.valueOpcode(value, 1);
            rewritten = true;
        }
        if (!rewritten) {
            int sequenceLength = split(opcode, zero || longZero, first, first + span - 1, index, value);
            int delta = sequenceLength - (longZero ? 2 : 1);
            if (delta > 0 && Long.compareUnsigned(length + delta, sparseMaxBytes) > 0) {
                return promote(index, value);
            }
            if (delta != 0 && next >= 0) {
                System.arraycopy(b, next, b, next + delta, end - next);
            }
            setLength(length + delta);
            System.arraycopy(sequence, 0, b, p, sequenceLength);
            end += delta;
        }
        mergeAdjacentValues(previous >= 0 ? previous : HEADER, end);
        invalidateCache();
        return 1;
    }

    /** Writes into {@link #sequence} the opcodes that replace a run covering {@code first..last}; returns their length. */
    private int split(int opcode, boolean zeros, int first, int last, int index, int value) {
        byte[] s = sequence;
        int n = 0;
        if (zeros) {
            if (index != first) {
                n = writeZeros(s, n, index - first);
            }
            s[n++] = HyperLogLog.valueOpcode(value, 1);
            if (index != last) {
                n = writeZeros(s, n, last - index);
            }
        } else {
            int current = HyperLogLog.valueOf(opcode);
            if (index != first) {
                s[n++] = HyperLogLog.valueOpcode(current, index - first);
            }
            s[n++] = HyperLogLog.valueOpcode(value, 1);
            if (index != last) {
                s[n++] = HyperLogLog.valueOpcode(current, last - index);
            }
        }
        return n;
    }

    private static int writeZeros(byte[] s, int n, int run) {
        if (run > SPARSE_ZERO_RUN_MAX) {
            HyperLogLog.writeLongZero(s, n, run);
            return n + 2;
        }
        s[n] = HyperLogLog.zeroOpcode(run);
        return n + 1;
    }

    private void mergeAdjacentValues(int from, int end) {
        byte[] b = bytes;
        int p = from;
        int scans = 5;
        while (p < end && scans-- > 0) {
            int opcode = b[p] & 0xFF;
            if (HyperLogLog.isLongZero(opcode)) {
                p += 2;
                continue;
            }
            if (HyperLogLog.isZero(opcode)) {
                p++;
                continue;
            }
            if (p + 1 < end && HyperLogLog.isValue(b[p + 1] & 0xFF)) {
                int following = b[p + 1] & 0xFF;
                int value = HyperLogLog.valueOf(opcode);
                if (value == HyperLogLog.valueOf(following)) {
                    int run = HyperLogLog.valueRun(opcode) + HyperLogLog.valueRun(following);
                    if (run <= SPARSE_VALUE_RUN_MAX) {
                        b[p + 1] = HyperLogLog.valueOpcode(value, run);
                        // The zero after the end moves down with the rest, as Redis's memmove moves it.
                        System.arraycopy(b, p + 1, b, p, end - p);
                        setLength(length - 1);
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
    }

    private int promote(int index, int value) {
        if (!toDense()) {
            return -1;
        }
        setDense(index, value);
        return 1;
    }

    /**
     * Rewrites a sparse HLL as dense, keeping its header (the cached cardinality and the unused
     * bytes included), as Redis does.
     *
     * @return false when the sparse body is corrupt (the buffer is then unchanged)
     */
    public boolean toDense() {
        if (encoding() == DENSE) {
            return true;
        }
        byte[] dense = spare;
        if (dense.length < DENSE_SIZE + SLACK) {
            dense = new byte[DENSE_SIZE + SLACK];
        }
        Arrays.fill(dense, (byte) 0);
        System.arraycopy(bytes, 0, dense, 0, HEADER);
        dense[4] = DENSE;
        int end = length;
        int index = 0;
        int p = HEADER;
        while (p < end) {
            int opcode = bytes[p] & 0xFF;
            if (HyperLogLog.isZero(opcode)) {
                index += HyperLogLog.zeroRun(opcode);
                p++;
            } else if (HyperLogLog.isLongZero(opcode)) {
                index += HyperLogLog.longZeroRun(opcode, bytes[p + 1] & 0xFF);
                p += 2;
            } else {
                int run = HyperLogLog.valueRun(opcode);
                int value = HyperLogLog.valueOf(opcode);
                if (index + run > REGISTERS) {
                    spare = dense;
                    return false;
                }
                for (int i = 0; i < run; i++) {
                    HyperLogLog.setDenseRegister(dense, HEADER, index++, value);
                }
                p++;
            }
        }
        if (index != REGISTERS) {
            spare = dense;
            return false;
        }
        spare = bytes;
        bytes = dense;
        length = DENSE_SIZE;
        return true;
    }

    private void setLength(int newLength) {
        length = newLength;
        bytes[newLength] = 0;
    }

    private void ensureCapacity(int needed) {
        if (bytes.length < needed + 1) {
            bytes = Arrays.copyOf(bytes, Math.max(needed + SLACK, bytes.length * 2));
        }
    }

    // ---------------------------------------------------------------- counting

    /**
     * The estimate of a stored HLL, counted from its registers (not the cache).
     *
     * @return the estimate, or -1 when the HLL is corrupt
     */
    public long count(byte[] source, int offset, int sourceLength) {
        if (!HyperLogLog.histogram(source, offset, sourceLength, histogram)) {
            return -1;
        }
        return HyperLogLog.estimate(histogram);
    }

    /** Clears the union of registers, before {@link #mergeIntoUnion} of each HLL. */
    public void clearUnion() {
        Arrays.fill(union, (byte) 0);
    }

    /** Raises the union to a stored HLL's registers; false when that HLL is corrupt. */
    public boolean mergeIntoUnion(byte[] source, int offset, int sourceLength) {
        return HyperLogLog.mergeInto(union, source, offset, sourceLength);
    }

    /** The estimate of the union. */
    public long countUnion() {
        HyperLogLog.histogramOfRegisters(union, histogram);
        return HyperLogLog.estimate(histogram);
    }

    /** Raises every register of this HLL to the union's, as PFMERGE writes its result. */
    public void setFromUnion(long sparseMaxBytes) {
        for (int i = 0; i < REGISTERS; i++) {
            if (union[i] != 0) {
                set(i, union[i], sparseMaxBytes);
            }
        }
    }
}
