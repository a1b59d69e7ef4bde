package io.nuthatch.server.type;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** BitFields against a bit-by-bit model and against exact arithmetic with BigInteger. */
class BitFieldsTest {
    private final SplittableRandom random = new SplittableRandom(77);

    private static long modelUnsigned(byte[] bytes, int length, long position, int bits) {
        long value = 0;
        for (long p = position; p < position + bits; p++) {
            boolean bit = p / 8 < length && ((bytes[(int) (p / 8)] >> (7 - p % 8)) & 1) != 0;
            value = (value << 1) | (bit ? 1 : 0);
        }
        return value;
    }

    private static void modelPut(byte[] bytes, long position, int bits, long value) {
        for (int i = 0; i < bits; i++) {
            long p = position + i;
            int bit = (int) (value >>> (bits - 1 - i)) & 1;
            int index = (int) (p / 8);
            int mask = 0x80 >>> (p % 8);
            bytes[index] = (byte) (bit == 1 ? bytes[index] | mask : bytes[index] & ~mask);
        }
    }

    @Test
    void getMatchesTheModelAtEveryWidthAndAlignment() {
        for (int round = 0; round < 5000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(12)];
            random.nextBytes(bytes);
            int length = random.nextInt(bytes.length + 1);
            int bits = 1 + random.nextInt(64);
            long position = random.nextLong(bytes.length * 8L + 16);
            long unsigned = modelUnsigned(bytes, length, position, bits);
            long signed = bits == 64 ? unsigned : (unsigned << (64 - bits)) >> (64 - bits);
            String where = Arrays.toString(bytes) + " length " + length + " at " + position + " width " + bits;
            assertEquals(unsigned, BitFields.getUnsigned(bytes, length, position, bits), where);
            assertEquals(signed, BitFields.getSigned(bytes, length, position, bits), where);
        }
    }

    @Test
    void putMatchesTheModelAndLeavesOtherBitsAlone() {
        for (int round = 0; round < 5000; round++) {
            byte[] bytes = new byte[9 + random.nextInt(8)];
            random.nextBytes(bytes);
            int bits = 1 + random.nextInt(64);
            long position = random.nextLong(bytes.length * 8L - bits + 1);
            long value = random.nextLong();
            byte[] expected = bytes.clone();
            modelPut(expected, position, bits, value);
            BitFields.put(bytes, position, bits, value);
            assertArrayEquals(expected, bytes, "at " + position + " width " + bits + " value " + value);
        }
    }

    @Test
    void readsBackWhatWasWritten() {
        byte[] bytes = new byte[10];
        BitFields.put(bytes, 3, 64, Long.MIN_VALUE + 5);
        assertEquals(Long.MIN_VALUE + 5, BitFields.getSigned(bytes, 10, 3, 64));
        BitFields.put(bytes, 70, 7, -3);
        assertEquals(-3, BitFields.getSigned(bytes, 10, 70, 7));
        assertEquals(125, BitFields.getUnsigned(bytes, 10, 70, 7));
    }

    private long randomIn(long min, long max) {
        return switch (random.nextInt(4)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + (long) (random.nextDouble() * ((double) max - (double) min));
        };
    }

    private long randomIncrement() {
        return switch (random.nextInt(5)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> random.nextLong();
            default -> random.nextInt(600) - 300;
        };
    }

    @Test
    void signedIncrementsOverflowExactlyWhenTheSumLeavesTheRange() {
        for (int round = 0; round < 20000; round++) {
            int bits = 1 + random.nextInt(64);
            long min = BitFields.signedMin(bits);
            long max = BitFields.signedMax(bits);
            long value = Math.max(min, Math.min(max, randomIn(min, max)));
            long increment = randomIncrement();
            BigInteger sum = BigInteger.valueOf(value).add(BigInteger.valueOf(increment));
            int expected = sum.compareTo(BigInteger.valueOf(max)) > 0 ? 1
                    : sum.compareTo(BigInteger.valueOf(min)) < 0 ? -1 : 0;
            int overflow = BitFields.signedOverflow(value, increment, bits);
            String where = value + " + " + increment + " in i" + bits;
            assertEquals(expected, overflow, where);
            BigInteger modulus = BigInteger.ONE.shiftLeft(bits);
            BigInteger wrapped = sum.subtract(BigInteger.valueOf(min)).mod(modulus).add(BigInteger.valueOf(min));
            assertEquals(wrapped.longValueExact(),
                    BitFields.signedResult(value, increment, bits, overflow, BitFields.Overflow.WRAP), where);
            long saturated = expected > 0 ? max : expected < 0 ? min : sum.longValueExact();
            assertEquals(saturated, BitFields.signedResult(value, increment, bits, overflow, BitFields.Overflow.SAT), where);
        }
    }

    @Test
    void unsignedIncrementsOverflowExactlyWhenTheSumLeavesTheRange() {
        for (int round = 0; round < 20000; round++) {
            int bits = 1 + random.nextInt(63);
            long max = BitFields.unsignedMax(bits);
            long value = Math.max(0, Math.min(max, randomIn(0, max)));
            long increment = randomIncrement();
            BigInteger sum = BigInteger.valueOf(value).add(BigInteger.valueOf(increment));
            int expected = sum.compareTo(BigInteger.valueOf(max)) > 0 ? 1 : sum.signum() < 0 ? -1 : 0;
            int overflow = BitFields.unsignedOverflow(value, increment, bits);
            String where = value + " + " + increment + " in u" + bits;
            assertEquals(expected, overflow, where);
            assertEquals(sum.mod(BigInteger.ONE.shiftLeft(bits)).longValueExact(),
                    BitFields.unsignedResult(value, increment, bits, overflow, BitFields.Overflow.WRAP), where);
            long saturated = expected > 0 ? max : expected < 0 ? 0 : sum.longValueExact();
            assertEquals(saturated, BitFields.unsignedResult(value, increment, bits, overflow, BitFields.Overflow.SAT), where);
        }
    }

    @Test
    void setChecksItsValueAsAnIncrementOfZero() {
        assertEquals(0, BitFields.signedOverflow(-128, 0, 8));
        assertEquals(1, BitFields.signedOverflow(128, 0, 8));
        assertEquals(-1, BitFields.signedOverflow(-129, 0, 8));
        assertEquals(1, BitFields.unsignedOverflow(-1, 0, 8), "a negative SET value is a huge unsigned one");
        assertEquals(255, BitFields.unsignedResult(-1, 0, 8, 1, BitFields.Overflow.WRAP));
        assertEquals(255, BitFields.unsignedResult(-1, 0, 8, 1, BitFields.Overflow.SAT));
        assertEquals(0, BitFields.unsignedOverflow(Long.MAX_VALUE, 0, 63));
    }

    @Test
    void setFarBelowTheRangeOverflowsUpwardAsInRedis() {
        // redis-server 7.0.15: OVERFLOW SAT SET i63 0 -9223372036854775808 stores 4611686018427387903.
        assertEquals(1, BitFields.signedOverflow(Long.MIN_VALUE, 0, 63));
        assertEquals(1, BitFields.signedOverflow(Long.MIN_VALUE, 0, 62));
        assertEquals(-1, BitFields.signedOverflow(Long.MIN_VALUE / 2, 0, 62));
        assertEquals(0, BitFields.signedOverflow(Long.MIN_VALUE, 0, 64));
    }
}
