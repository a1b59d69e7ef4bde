package io.nuthatch.persistence.rdb;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RdbPrimitivesTest {

    @Test
    void crc64OfTheCheckStringIsTheJonesCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of(check, 0, check.length));
        long split = Crc64.update(Crc64.of(check, 0, 4), check, 4, 5);
        assertEquals(0xe9c6d914c4b8d9caL, split);
    }

    @Test
    void lzfRoundTripsRepetitiveAndRandomData() throws Exception {
        Random random = new Random(7);
        int[] table = Lzf.newTable();
        for (int round = 0; round < 300; round++) {
            int length = 21 + random.nextInt(round < 200 ? 300 : 40_000);
            byte[] input = new byte[length];
            int alphabet = 1 + random.nextInt(round % 3 == 0 ? 255 : 4);
            for (int i = 0; i < length; i++) {
                input[i] = (byte) ('a' + random.nextInt(alphabet));
            }
            byte[] output = new byte[length + length / 16 + 64];
            int compressed = Lzf.compress(input, 0, length, output, output.length, table);
            assertTrue(compressed > 0);
            byte[] back = new byte[length];
            Lzf.decompress(output, 0, compressed, back);
            assertArrayEquals(input, back);
        }
    }

    @Test
    void lzfCompressesAOneByteRunToABackReferenceFromOneBehind() throws Exception {
        byte[] input = new byte[100];
        Arrays.fill(input, (byte) 'a');
        byte[] output = new byte[96];
        int compressed = Lzf.compress(input, 0, input.length, output, 96, Lzf.newTable());
        assertTrue(compressed > 0 && compressed < 10, "compressed to " + compressed);
        byte[] back = new byte[100];
        Lzf.decompress(output, 0, compressed, back);
        assertArrayEquals(input, back);
    }

    @Test
    void lzfRefusesCorruptInput() {
        byte[] output = new byte[10];
        assertThrows(RdbFormatException.class, () -> Lzf.decompress(new byte[] {(byte) 0x20, 5}, 0, 2, output));
        assertThrows(RdbFormatException.class, () -> Lzf.decompress(new byte[] {3, 1, 2}, 0, 3, output));
        assertThrows(RdbFormatException.class, () -> Lzf.decompress(new byte[] {1, 1, 2}, 0, 3, output));
    }

    @Test
    void lengthsAndStringsRoundTripThroughArraysAndStreams() throws Exception {
        long[] lengths = {0, 1, 63, 64, 16383, 16384, 0xffffffffL, 0x100000000L, Long.MAX_VALUE};
        String[] strings = {"", "0", "-1", "127", "-128", "128", "32767", "-32769", "2147483647", "2147483648",
            "-2147483648", "007", "-0", "+1", "12345678901", "x".repeat(30), "abcdefghijklmnopqrstuvwxyz".repeat(40)};
        for (boolean compression : new boolean[] {false, true}) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            RdbOutput streamed = new RdbOutput(sink, compression);
            RdbOutput collected = new RdbOutput(compression);
            for (RdbOutput out : new RdbOutput[] {streamed, collected}) {
                for (long length : lengths) {
                    out.writeLength(length);
                }
                for (String s : strings) {
                    out.writeString(s.getBytes(StandardCharsets.US_ASCII));
                }
                out.writeBinaryDouble(-0.0);
                out.writeIntegerString(Long.MIN_VALUE);
            }
            streamed.flush();
            assertArrayEquals(sink.toByteArray(), collected.toByteArray());
            assertEquals(streamed.checksum(), collected.checksum());
            for (RdbInput in : new RdbInput[] {new RdbInput(collected.toByteArray()),
                new RdbInput(new ByteArrayInputStream(sink.toByteArray()))}) {
                for (long length : lengths) {
                    assertEquals(length, in.readLength());
                }
                for (String s : strings) {
                    assertEquals(s, new String(in.readString(), StandardCharsets.US_ASCII));
                }
                assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(in.readBinaryDouble()));
                assertEquals(Long.toString(Long.MIN_VALUE), new String(in.readString(), StandardCharsets.US_ASCII));
                assertTrue(in.atEnd());
                assertEquals(collected.checksum(), in.checksum());
            }
        }
    }

    @Test
    void integerTextTakesTheIntegerFormOnlyWhenCanonical() {
        RdbOutput out = new RdbOutput(false);
        out.writeString("-128".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {(byte) 0xc0, (byte) 0x80}, out.toByteArray());
        out.reset();
        out.writeString("007".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {3, '0', '0', '7'}, out.toByteArray());
    }

    @Test
    void aLengthPastTheEndIsRefusedBeforeAllocating() {
        RdbOutput out = new RdbOutput(false);
        out.writeLength(1L << 31);
        out.writeRaw(new byte[] {1, 2, 3});
        byte[] bytes = out.toByteArray();
        assertThrows(RdbFormatException.class, () -> new RdbInput(bytes).readString());
        assertThrows(RdbFormatException.class, () -> new RdbInput(new ByteArrayInputStream(bytes)).readString());
    }

    @Test
    void listpacksRoundTripEveryEncoding() throws Exception {
        RedisListpackWriter writer = new RedisListpackWriter();
        String[] elements = {"0", "127", "128", "-1", "4095", "-4096", "4096", "32767", "-32768", "32768",
            "8388607", "-8388608", "8388608", "2147483647", "-2147483649", "9223372036854775807", "",
            "a", "x".repeat(63), "y".repeat(64), "z".repeat(4095), "w".repeat(4096), "-0", "01", "3.5"};
        for (String e : elements) {
            writer.append(e.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] blob = writer.toByteArray();
        RedisListpackReader reader = new RedisListpackReader();
        reader.open(blob);
        assertEquals(elements.length, reader.count());
        for (String e : elements) {
            assertTrue(reader.next());
            assertEquals(e, new String(reader.copyString(), StandardCharsets.US_ASCII));
        }
        assertTrue(!reader.next());
    }

    @Test
    void aSmallListpackHasRedisBytes() {
        RedisListpackWriter writer = new RedisListpackWriter();
        writer.append("a".getBytes(StandardCharsets.US_ASCII));
        writer.appendInteger(1);
        // Header (12 bytes, 2 elements), "a" as 6-bit string, 1 as 7-bit uint, terminator.
        assertArrayEquals(new byte[] {12, 0, 0, 0, 2, 0, (byte) 0x81, 'a', 2, 1, 1, (byte) 0xff}, writer.toByteArray());
    }

    @Test
    void damagedListpacksAreRefused() {
        RedisListpackWriter writer = new RedisListpackWriter();
        writer.append("hello".getBytes(StandardCharsets.US_ASCII));
        writer.append("world".getBytes(StandardCharsets.US_ASCII));
        byte[] blob = writer.toByteArray();
        RedisListpackReader reader = new RedisListpackReader();
        Random random = new Random(3);
        for (int i = 0; i < 2000; i++) {
            byte[] damaged = blob.clone();
            int at = random.nextInt(damaged.length);
            damaged[at] = (byte) random.nextInt(256);
            if (Arrays.equals(damaged, blob)) {
                continue;
            }
            try {
                reader.open(damaged);
                // A change inside a string's bytes leaves a valid listpack; walking it must work.
                while (reader.next()) {
                    reader.copyString();
                }
            } catch (RdbFormatException expected) {
                // refused cleanly
            }
        }
        byte[] truncated = Arrays.copyOf(blob, blob.length - 1);
        assertThrows(RdbFormatException.class, () -> reader.open(truncated));
    }
}
