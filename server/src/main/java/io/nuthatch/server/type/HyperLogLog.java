package io.nuthatch.server.type;

/**
 * HyperLogLog as Redis stores it: a string value whose bytes are Redis's own format, so that GET,
 * SETRANGE or a dump move an HLL between Nuthatch and Redis unchanged, and PFCOUNT answers the
 * same number for the same elements.
 *
 * <p><b>The format</b> (facts of Redis 7.0's hyperloglog.c). A 16-byte header: the magic "HYLL",
 * the encoding (0 dense, 1 sparse), three unused bytes, and the cached cardinality as 8 bytes
 * little-endian, whose top bit set means "stale, count again". Then 16384 registers (precision
 * 14), each the longest run of zero bits (plus one) seen among the hashes that chose it:
 * <ul>
 * <li>dense: 6 bits per register, packed from the least significant bit of each byte, 12288
 *     bytes, so a dense HLL is always 12304 bytes long;</li>
 * <li>sparse: a run-length code, one or two bytes per opcode. {@code 00xxxxxx} is a run of 1 to 64
 *     zero registers, {@code 01xxxxxx yyyyyyyy} a run of 1 to 16384 zeros (14 bits), and
 *     {@code 1vvvvvxx} a run of 1 to 4 registers holding the value 1 to 32. An empty HLL is the
 *     header and one two-byte opcode.</li>
 * </ul>
 * A sparse HLL becomes dense when a register needs a value above 32, or when it would grow past
 * hll-sparse-max-bytes ({@link HyperLogLogBuffer} does the changes).
 *
 * <p><b>Hashing.</b> Each element is hashed with MurmurHash64A and Redis's seed 0xadc83b19; the low
 * 14 bits choose the register, the position of the first set bit among the next 50 (counting from
 * 1, at most 51) is the candidate value.
 *
 * <p><b>Estimation.</b> Redis 7.0 estimates from the histogram of register values with Otmar
 * Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
 * 2017): the histogram's tail and its zero bucket are corrected by the series {@link #tau} and
 * {@link #sigma} instead of the older bias tables. The arithmetic below is done in the same order
 * and the same double precision, so the rounded estimate is the same number Redis gives.
 */
public final class HyperLogLog {
    public static final int HEADER = 16;
    public static final int PRECISION = 14;
    public static final int REGISTERS = 1 << PRECISION;
    /** Bits of the hash left after the register index: a run is at most {@code TAIL_BITS + 1}. */
    static final int TAIL_BITS = 64 - PRECISION;
    static final int REGISTER_BITS = 6;
    static final int REGISTER_MAX = (1 << REGISTER_BITS) - 1;
    public static final int DENSE_SIZE = HEADER + (REGISTERS * REGISTER_BITS + 7) / 8;

    public static final int DENSE = 0;
    public static final int SPARSE = 1;

    static final int SPARSE_VALUE_MAX = 32;
    static final int SPARSE_VALUE_RUN_MAX = 4;
    static final int SPARSE_ZERO_RUN_MAX = 64;
    static final int SPARSE_LONG_ZERO_RUN_MAX = 16384;

    private static final int ENCODING_OFFSET = 4;
    private static final int CARDINALITY_OFFSET = 8;
    private static final int STALE_BIT = 0x80;
    private static final long SEED = 0xadc83b19L;
    private static final long MURMUR_MULTIPLIER = 0xc6a4a7935bd1e995L;
    /** 0.5 / ln 2, the limit of the bias constant alpha as the register count grows. */
    private static final double ALPHA_INFINITY = 0.721347520444481703680;

    /** The size of the histogram of register values: six bits hold at most 63. */
    public static final int HISTOGRAM_SIZE = REGISTER_MAX + 1;

    private HyperLogLog() {
    }

    // ---------------------------------------------------------------- the header

    /**
     * Whether a string is a HyperLogLog as PFADD and PFCOUNT accept it: long enough for the header,
     * the magic, a known encoding, and a dense one exactly as long as its registers. (Redis checks
     * no more than this; a sparse body that does not cover 16384 registers is found corrupt when it
     * is read.)
     */
    public static boolean isValid(byte[] bytes, int offset, int length) {
        if (length < HEADER || bytes[offset] != 'H' || bytes[offset + 1] != 'Y' || bytes[offset + 2] != 'L'
                || bytes[offset + 3] != 'L') {
            return false;
        }
        int encoding = bytes[offset + ENCODING_OFFSET] & 0xFF;
        return encoding == SPARSE || (encoding == DENSE && length == DENSE_SIZE);
    }

    public static int encoding(byte[] bytes, int offset) {
        return bytes[offset + ENCODING_OFFSET] & 0xFF;
    }

    static void writeHeader(byte[] bytes, int encoding) {
        bytes[0] = 'H';
        bytes[1] = 'Y';
        bytes[2] = 'L';
        bytes[3] = 'L';
        bytes[ENCODING_OFFSET] = (byte) encoding;
    }

    public static boolean hasCachedCardinality(byte[] bytes, int offset) {
        return (bytes[offset + CARDINALITY_OFFSET + 7] & STALE_BIT) == 0;
    }

    public static long cachedCardinality(byte[] bytes, int offset) {
        long cardinality = 0;
        for (int i = 7; i >= 0; i--) {
            cardinality = (cardinality << 8) | (bytes[offset + CARDINALITY_OFFSET + i] & 0xFF);
        }
        return cardinality;
    }

    public static void storeCardinality(byte[] bytes, int offset, long cardinality) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + CARDINALITY_OFFSET + i] = (byte) (cardinality >>> (8 * i));
        }
    }

    public static void invalidateCache(byte[] bytes, int offset) {
        bytes[offset + CARDINALITY_OFFSET + 7] |= (byte) STALE_BIT;
    }

    // ---------------------------------------------------------------- hashing

    /** Redis's MurmurHash64A of the element with the HLL seed. */
    public static long hash(byte[] bytes, int offset, int length) {
        long h = SEED ^ (length * MURMUR_MULTIPLIER);
        int end = offset + (length & ~7);
        for (int i = offset; i < end; i += 8) {
            long k = (bytes[i] & 0xFFL) | (bytes[i + 1] & 0xFFL) << 8 | (bytes[i + 2] & 0xFFL) << 16
                    | (bytes[i + 3] & 0xFFL) << 24 | (bytes[i + 4] & 0xFFL) << 32 | (bytes[i + 5] & 0xFFL) << 40
                    | (bytes[i + 6] & 0xFFL) << 48 | (bytes[i + 7] & 0xFFL) << 56;
            k *= MURMUR_MULTIPLIER;
            k ^= k >>> 47;
            k *= MURMUR_MULTIPLIER;
            h ^= k;
            h *= MURMUR_MULTIPLIER;
        }
        int rest = length & 7;
        if (rest > 0) {
            for (int i = rest - 1; i >= 0; i--) {
                h ^= (bytes[end + i] & 0xFFL) << (8 * i);
            }
            h *= MURMUR_MULTIPLIER;
        }
        h ^= h >>> 47;
        h *= MURMUR_MULTIPLIER;
        h ^= h >>> 47;
        return h;
    }

    /** The register an element's hash chooses. */
    public static int register(long hash) {
        return (int) (hash & (REGISTERS - 1));
    }

    /** The value an element's hash offers its register: the position of the first one bit after the index. */
    public static int runLength(long hash) {
        // The bit above the tail ends the count at TAIL_BITS + 1 when the tail is all zeros.
        return Long.numberOfTrailingZeros((hash >>> PRECISION) | (1L << TAIL_BITS)) + 1;
    }

    // ---------------------------------------------------------------- dense registers

    /**
     * Register {@code index} of the dense registers starting at {@code registers}. A register
     * whose six bits fit in its first byte reads no further, so the last one never reads past the
     * array.
     */
    public static int denseRegister(byte[] bytes, int registers, int index) {
        int bit = index * REGISTER_BITS;
        int at = registers + (bit >>> 3);
        int shift = bit & 7;
        int value = (bytes[at] & 0xFF) >>> shift;
        if (shift > 8 - REGISTER_BITS) {
            value |= (bytes[at + 1] & 0xFF) << (8 - shift);
        }
        return value & REGISTER_MAX;
    }

    public static void setDenseRegister(byte[] bytes, int registers, int index, int value) {
        int bit = index * REGISTER_BITS;
        int at = registers + (bit >>> 3);
        int shift = bit & 7;
        bytes[at] = (byte) ((bytes[at] & ~(REGISTER_MAX << shift)) | (value << shift));
        if (shift > 8 - REGISTER_BITS) {
            int high = 8 - shift;
            bytes[at + 1] = (byte) ((bytes[at + 1] & ~(REGISTER_MAX >>> high)) | (value >>> high));
        }
    }

    // ---------------------------------------------------------------- sparse opcodes

    static boolean isZero(int opcode) {
        return (opcode & 0xC0) == 0;
    }

    static boolean isLongZero(int opcode) {
        return (opcode & 0xC0) == 0x40;
    }

    static boolean isValue(int opcode) {
        return (opcode & 0x80) != 0;
    }

    static int zeroRun(int opcode) {
        return (opcode & 0x3F) + 1;
    }

    static int longZeroRun(int opcode, int next) {
        return (((opcode & 0x3F) << 8) | next) + 1;
    }

    static int valueOf(int opcode) {
        return ((opcode >>> 2) & 0x1F) + 1;
    }

    static int valueRun(int opcode) {
        return (opcode & 3) + 1;
    }

    static byte valueOpcode(int value, int run) {
        return (byte) (0x80 | (value - 1) << 2 | (run - 1));
    }

    static byte zeroOpcode(int run) {
        return (byte) (run - 1);
    }

    /** Writes a two-byte run of zeros at {@code at}. */
    static void writeLongZero(byte[] bytes, int at, int run) {
        bytes[at] = (byte) (0x40 | (run - 1) >>> 8);
        bytes[at + 1] = (byte) (run - 1);
    }

    /** The byte after {@code at}, or 0 past the end, which is what Redis reads there (its strings end in a zero byte). */
    static int nextByte(byte[] bytes, int at, int end) {
        return at + 1 < end ? bytes[at + 1] & 0xFF : 0;
    }

    // ---------------------------------------------------------------- reading all registers

    /**
     * Counts the register values of a stored HLL into {@code histogram} (cleared first).
     *
     * @return false when a sparse body does not cover exactly 16384 registers (corrupt)
     */
    public static boolean histogram(byte[] bytes, int offset, int length, int[] histogram) {
        java.util.Arrays.fill(histogram, 0);
        if (encoding(bytes, offset) == DENSE) {
            int registers = offset + HEADER;
            for (int i = 0; i < REGISTERS; i++) {
                histogram[denseRegister(bytes, registers, i)]++;
            }
            return true;
        }
        int end = offset + length;
        int index = 0;
        int p = offset + HEADER;
        while (p < end) {
            int opcode = bytes[p] & 0xFF;
            if (isZero(opcode)) {
                int run = zeroRun(opcode);
                index += run;
                histogram[0] += run;
                p++;
            } else if (isLongZero(opcode)) {
                int run = longZeroRun(opcode, nextByte(bytes, p, end));
                index += run;
                histogram[0] += run;
                p += 2;
            } else {
                int run = valueRun(opcode);
                index += run;
                histogram[valueOf(opcode)] += run;
                p++;
            }
        }
        return index == REGISTERS;
    }

    /**
     * Raises each of the 16384 one-byte registers of {@code max} to the matching register of a
     * stored HLL, as PFCOUNT of several keys and PFMERGE do.
     *
     * @return false when a sparse body is corrupt
     */
    public static boolean mergeInto(byte[] max, byte[] bytes, int offset, int length) {
        if (encoding(bytes, offset) == DENSE) {
            int registers = offset + HEADER;
            for (int i = 0; i < REGISTERS; i++) {
                int value = denseRegister(bytes, registers, i);
                if (value > max[i]) {
                    max[i] = (byte) value;
                }
            }
            return true;
        }
        int end = offset + length;
        int index = 0;
        int p = offset + HEADER;
        while (p < end) {
            int opcode = bytes[p] & 0xFF;
            if (isZero(opcode)) {
                index += zeroRun(opcode);
                p++;
            } else if (isLongZero(opcode)) {
                index += longZeroRun(opcode, nextByte(bytes, p, end));
                p += 2;
            } else {
                int run = valueRun(opcode);
                int value = valueOf(opcode);
                if (index + run > REGISTERS) {
                    return false;
                }
                for (int i = 0; i < run; i++, index++) {
                    if (value > max[index]) {
                        max[index] = (byte) value;
                    }
                }
                p++;
            }
        }
        return index == REGISTERS;
    }

    /** The histogram of 16384 one-byte registers. */
    public static void histogramOfRegisters(byte[] registers, int[] histogram) {
        java.util.Arrays.fill(histogram, 0);
        for (int i = 0; i < REGISTERS; i++) {
            histogram[registers[i]]++;
        }
    }

    // ---------------------------------------------------------------- estimation

    /**
     * The cardinality estimate from a histogram of register values (Ertl's estimator, see the
     * class comment), rounded half away from zero as Redis's llroundl rounds it.
     */
    public static long estimate(int[] histogram) {
        double m = REGISTERS;
        double z = m * tau((m - histogram[TAIL_BITS + 1]) / m);
        for (int j = TAIL_BITS; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INFINITY * m * m / z);
    }

    /**
     * sigma(x) = x + sum over k >= 1 of x^(2^k) * 2^(k-1): the correction for registers still at
     * zero, summed until the double stops changing.
     */
    static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    /**
     * tau(x) = (1 - x - sum over k >= 1 of (1 - x^(2^-k))^2 * 2^-k) / 3: the correction for
     * registers at the largest value, summed until the double stops changing.
     */
    static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double y = 1.0;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            // (1 - x) squared by multiplication: glibc's pow(t, 2) gives the same double.
            z -= (1 - x) * (1 - x) * y;
        } while (previous != z);
        return z / 3;
    }
}
