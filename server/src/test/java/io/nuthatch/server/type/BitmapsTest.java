package io.nuthatch.server.type;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bitmaps against a plain bit-by-bit model, on random strings of every alignment. */
class BitmapsTest {
    private final SplittableRandom random = new SplittableRandom(20240607);

    private static boolean modelBit(byte[] bytes, long position) {
        return position / 8 < bytes.length && ((bytes[(int) (position / 8)] >> (7 - position % 8)) & 1) != 0;
    }

    /** Random bytes, often runs of all zeros or all ones so that scans have something to skip. */
    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        int style = random.nextInt(4);
        for (int i = 0; i < length; i++) {
            bytes[i] = switch (style) {
                case 0 -> (byte) random.nextInt(256);
                case 1 -> random.nextInt(40) == 0 ? (byte) random.nextInt(256) : 0;
                case 2 -> random.nextInt(40) == 0 ? (byte) random.nextInt(256) : (byte) 0xFF;
                default -> random.nextBoolean() ? 0 : (byte) 0xFF;
            };
        }
        return bytes;
    }

    @Test
    void bitZeroIsTheMostSignificantBitOfTheFirstByte() {
        byte[] bytes = {(byte) 0x80, 0x01};
        assertTrue(Bitmaps.get(bytes, 2, 0));
        assertFalse(Bitmaps.get(bytes, 2, 1));
        assertTrue(Bitmaps.get(bytes, 2, 15));
        assertFalse(Bitmaps.get(bytes, 1, 15), "bits past the length read as zero");
        assertFalse(Bitmaps.get(bytes, 2, 1L << 40));
    }

    @Test
    void setReturnsTheOldBitAndChangesOnlyThatBit() {
        byte[] bytes = new byte[3];
        assertFalse(Bitmaps.set(bytes, 9, true));
        assertArrayEquals(new byte[] {0, 0x40, 0}, bytes);
        assertTrue(Bitmaps.set(bytes, 9, true));
        assertTrue(Bitmaps.set(bytes, 9, false));
        assertArrayEquals(new byte[3], bytes);
    }

    @Test
    void countMatchesTheModelOnAnyRange() {
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = randomBytes(1 + random.nextInt(40));
            long bits = bytes.length * 8L;
            long first = random.nextLong(bits);
            long last = first + random.nextLong(bits - first);
            long expected = 0;
            for (long p = first; p <= last; p++) {
                expected += modelBit(bytes, p) ? 1 : 0;
            }
            assertEquals(expected, Bitmaps.count(bytes, first, last), Arrays.toString(bytes) + " " + first + ".." + last);
        }
    }

    @Test
    void countOfAnEmptyRangeIsZero() {
        assertEquals(0, Bitmaps.count(new byte[0], 0, -1));
        assertEquals(0, Bitmaps.count(new byte[] {-1}, 5, 4));
    }

    @Test
    void popcountCountsWholeBytes() {
        byte[] bytes = randomBytes(100);
        long expected = 0;
        for (int i = 3; i < 97; i++) {
            expected += Integer.bitCount(bytes[i] & 0xFF);
        }
        assertEquals(expected, Bitmaps.popcount(bytes, 3, 97));
    }

    @Test
    void findMatchesTheModelForSetAndClearBits() {
        for (int round = 0; round < 4000; round++) {
            byte[] bytes = randomBytes(1 + random.nextInt(40));
            long bits = bytes.length * 8L;
            long first = random.nextLong(bits);
            long last = first + random.nextLong(bits - first);
            boolean one = random.nextBoolean();
            long expected = -1;
            for (long p = first; p <= last && expected < 0; p++) {
                if (modelBit(bytes, p) == one) {
                    expected = p;
                }
            }
            assertEquals(expected, Bitmaps.find(bytes, first, last, one),
                    Arrays.toString(bytes) + " " + first + ".." + last + " for " + one);
        }
    }

    @Test
    void combineMatchesBytewiseOperations() {
        for (int round = 0; round < 500; round++) {
            byte[] target = randomBytes(1 + random.nextInt(30));
            byte[] source = randomBytes(random.nextInt(40));
            int sourceLength = random.nextInt(source.length + 1);
            for (Bitmaps.Operation operation : Bitmaps.Operation.values()) {
                byte[] expected = target.clone();
                for (int i = 0; i < expected.length; i++) {
                    int s = i < sourceLength ? source[i] : 0;
                    expected[i] = (byte) switch (operation) {
                        case AND -> expected[i] & s;
                        case OR -> expected[i] | s;
                        case XOR -> expected[i] ^ s;
                        case NOT -> ~s;
                    };
                }
                byte[] actual = target.clone();
                Bitmaps.combine(operation, actual, source, sourceLength);
                assertArrayEquals(expected, actual, operation + " " + Arrays.toString(target) + " " + Arrays.toString(source));
            }
        }
    }
}
