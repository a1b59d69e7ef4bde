package io.nuthatch.server.type.geo;

/**
 * Geohashes as Redis computes them: a longitude and a latitude, each scaled to an integer of
 * {@code step} bits over its range, interleaved into one number (latitude bits in the even
 * positions, longitude bits in the odd ones). A geo set stores the 52-bit hash of step 26 of each
 * point as its sorted-set score, so that points close on the map are mostly close in score, and a
 * square of the grid at a coarser step is one range of scores.
 *
 * <p>The latitude range is Web Mercator's, ±85.05112878, not ±90: points nearer the poles cannot be
 * indexed (GEOADD refuses them). GEOHASH alone re-encodes over ±90, the standard geohash range.
 *
 * <p>Every step of the arithmetic is Redis's (geohash.c), since replies show its results to the
 * last digit: the offsets are doubles truncated to integers, a square's corners are
 * {@code min + (i / 2^step) * scale}, a point is decoded to the middle of its square.
 */
public final class GeoHash {
    public static final int STEP_MAX = 26;
    public static final double LONGITUDE_MIN = -180;
    public static final double LONGITUDE_MAX = 180;
    public static final double LATITUDE_MIN = -85.05112878;
    public static final double LATITUDE_MAX = 85.05112878;

    private static final long EVEN_BITS = 0x5555555555555555L;
    private static final long ODD_BITS = 0xaaaaaaaaaaaaaaaaL;

    private GeoHash() {
    }

    /** Whether GEOADD accepts the coordinates. */
    public static boolean isValid(double longitude, double latitude) {
        return !(longitude < LONGITUDE_MIN || longitude > LONGITUDE_MAX || latitude < LATITUDE_MIN
                || latitude > LATITUDE_MAX);
    }

    /** The hash of a point at {@code step} bits per coordinate, over Web Mercator's ranges. */
    public static long encode(double longitude, double latitude, int step) {
        return encode(longitude, latitude, step, LONGITUDE_MIN, LONGITUDE_MAX, LATITUDE_MIN, LATITUDE_MAX);
    }

    /** The hash of a point over the given ranges (the standard geohash uses ±90 for latitude). */
    public static long encode(double longitude, double latitude, int step, double longitudeMin, double longitudeMax,
            double latitudeMin, double latitudeMax) {
        double latitudeOffset = (latitude - latitudeMin) / (latitudeMax - latitudeMin);
        double longitudeOffset = (longitude - longitudeMin) / (longitudeMax - longitudeMin);
        latitudeOffset *= 1L << step;
        longitudeOffset *= 1L << step;
        // C converts the offsets to uint32_t: truncation toward zero.
        return interleave((long) latitudeOffset & 0xffffffffL, (long) longitudeOffset & 0xffffffffL);
    }

    /** The score of a point in a geo set: its hash at step 26, 52 bits. */
    public static long score(double longitude, double latitude) {
        return align52(encode(longitude, latitude, STEP_MAX), STEP_MAX);
    }

    /** A hash of {@code step} bits per coordinate moved to the top of 52 bits, to compare with scores. */
    public static long align52(long bits, int step) {
        return bits << (52 - 2 * step);
    }

    /** The bits of x in the even positions, those of y in the odd ones. */
    static long interleave(long x, long y) {
        return spread(x) | (spread(y) << 1);
    }

    /** The 32 low bits of a value moved to the even positions of a long. */
    private static long spread(long v) {
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        return (v | (v << 1)) & EVEN_BITS;
    }

    /** The bits in the even positions of a long, packed into the low 32. */
    private static long gather(long v) {
        v &= EVEN_BITS;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        return (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
    }

    /**
     * The square of a hash, over Web Mercator's ranges: {longitude min, longitude max, latitude min,
     * latitude max} written into {@code area}.
     */
    public static void decode(long bits, int step, double[] area) {
        long latitudeIndex = gather(bits);
        long longitudeIndex = gather(bits >>> 1);
        double latitudeScale = LATITUDE_MAX - LATITUDE_MIN;
        double longitudeScale = LONGITUDE_MAX - LONGITUDE_MIN;
        double cells = 1L << step;
        area[0] = LONGITUDE_MIN + (longitudeIndex * 1.0 / cells) * longitudeScale;
        area[1] = LONGITUDE_MIN + ((longitudeIndex + 1) * 1.0 / cells) * longitudeScale;
        area[2] = LATITUDE_MIN + (latitudeIndex * 1.0 / cells) * latitudeScale;
        area[3] = LATITUDE_MIN + ((latitudeIndex + 1) * 1.0 / cells) * latitudeScale;
    }

    /**
     * The point a geo set's score stands for: the middle of its square at step 26, {longitude,
     * latitude} written into {@code point}.
     */
    public static void decodeScore(double score, double[] point) {
        long bits = unsigned64(score);
        long latitudeIndex = gather(bits);
        long longitudeIndex = gather(bits >>> 1);
        double cells = 1L << STEP_MAX;
        double longitudeScale = LONGITUDE_MAX - LONGITUDE_MIN;
        double latitudeScale = LATITUDE_MAX - LATITUDE_MIN;
        double longitudeMin = LONGITUDE_MIN + (longitudeIndex * 1.0 / cells) * longitudeScale;
        double longitudeMax = LONGITUDE_MIN + ((longitudeIndex + 1) * 1.0 / cells) * longitudeScale;
        double latitudeMin = LATITUDE_MIN + (latitudeIndex * 1.0 / cells) * latitudeScale;
        double latitudeMax = LATITUDE_MIN + ((latitudeIndex + 1) * 1.0 / cells) * latitudeScale;
        point[0] = Math.max(LONGITUDE_MIN, Math.min(LONGITUDE_MAX, (longitudeMin + longitudeMax) / 2));
        point[1] = Math.max(LATITUDE_MIN, Math.min(LATITUDE_MAX, (latitudeMin + latitudeMax) / 2));
    }

    /**
     * A double converted to uint64_t as redis-server's x86-64 build converts it: below 2^63 by a
     * signed conversion (negatives wrap, as their bits), above by converting the value minus 2^63
     * and setting the top bit; beyond 2^64 the conversion's "indefinite" result cancels to 0. A
     * score that is not a geohash (any sorted set can be read as a geo set) decodes as it does
     * there.
     */
    static long unsigned64(double value) {
        if (value < 0x1p63) {
            return signed64(value);
        }
        return signed64(value - 0x1p63) ^ Long.MIN_VALUE;
    }

    /** A double converted to long long on x86-64: out of range or NaN gives the "indefinite" 2^63. */
    public static long signed64(double value) {
        if (Double.isNaN(value) || value >= 0x1p63 || value < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) value;
    }

    /** The square east ({@code direction} 1) or west (-1) of a hash of {@code step} bits. */
    static long moveLongitude(long bits, int step, int direction) {
        long x = bits & ODD_BITS;
        long y = bits & EVEN_BITS;
        long zz = EVEN_BITS >>> (64 - step * 2);
        if (direction > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= ODD_BITS >>> (64 - step * 2);
        return x | y;
    }

    /** The square north ({@code direction} 1) or south (-1) of a hash of {@code step} bits. */
    static long moveLatitude(long bits, int step, int direction) {
        long x = bits & ODD_BITS;
        long y = bits & EVEN_BITS;
        long zz = ODD_BITS >>> (64 - step * 2);
        if (direction > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= EVEN_BITS >>> (64 - step * 2);
        return x | y;
    }

    /**
     * The standard 11-character geohash of a point (GEOHASH): re-encoded over ±90 of latitude, 52
     * bits in ten characters of the base-32 alphabet, and an 11th that is always '0'.
     */
    public static byte[] standardText(double longitude, double latitude) {
        long bits = encode(longitude, latitude, STEP_MAX, -180, 180, -90, 90);
        byte[] text = new byte[11];
        String alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
        for (int i = 0; i < 10; i++) {
            text[i] = (byte) alphabet.charAt((int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f));
        }
        text[10] = '0';
        return text;
    }
}
