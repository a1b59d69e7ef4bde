package io.nuthatch.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request stream decodes to the same requests however TCP happens to cut it: at every split
 * point, at every pair of split points, byte by byte, in heap and direct buffers.
 */
class RequestDecoderSplitTest {

    /** Multibulk and inline requests, pipelined, with the oddities clients and Redis allow. */
    private static final String MIXED = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n"
            + "PING\r\n"
            + "*0\r\n"
            + "*-1\r\n"
            + "\r\n"
            + "ECHO \"a b\" 'c d'\n"
            + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
            + "  SET   x   \"\\x00\\r\\n\"  \r\n"
            + "*2\r\n$3\r\nGET\r\n$4\r\n\r\n\r\n\r\n"
            + "\n"
            + "*1\r\n$4\r\nPING\r\n"
            + "GET \"k\"\r\n";

    private static final List<String> MIXED_REQUESTS = List.of(
            "[SET] [k] [hello]",
            "[PING]",
            "[ECHO] [a b] [c d]",
            "[ECHO] []",
            "[SET] [x] [\\x00\\x0d\\x0a]",
            "[GET] [\\x0d\\x0a\\x0d\\x0a]",
            "[PING]",
            "[GET] [k]");

    @Test
    void unsplitStreamGivesItsRequests() {
        DecoderFeed feed = new DecoderFeed();
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, feed.feed(MIXED));
        assertEquals(MIXED_REQUESTS, feed.shown());
        assertFalse(feed.decoder.inRequest());
        assertEquals(0, feed.input.readableBytes());
    }

    @Test
    void everySplitPointGivesTheSameRequests() {
        byte[] stream = DecoderFeed.bytes(MIXED);
        for (int split = 0; split <= stream.length; split++) {
            List<String> shown = decodeInPieces(stream, Unpooled::buffer, split);
            assertEquals(MIXED_REQUESTS, shown, "split at " + split);
        }
    }

    @Test
    void everyPairOfSplitPointsGivesTheSameRequests() {
        byte[] stream = DecoderFeed.bytes(MIXED);
        for (int first = 1; first < stream.length; first++) {
            for (int second = first; second < stream.length; second++) {
                assertEquals(MIXED_REQUESTS, decodeInPieces(stream, Unpooled::buffer, first, second),
                        "split at " + first + " and " + second);
            }
        }
    }

    @Test
    void byteByByteInDirectBuffersGivesTheSameRequests() {
        byte[] stream = DecoderFeed.bytes(MIXED);
        int[] everyByte = new int[stream.length];
        for (int i = 0; i < stream.length; i++) {
            everyByte[i] = i;
        }
        assertEquals(MIXED_REQUESTS, decodeInPieces(stream, Unpooled::directBuffer, everyByte));
        assertEquals(MIXED_REQUESTS, decodeInPieces(stream, PooledByteBufAllocator.DEFAULT::directBuffer, everyByte));
    }

    /** A stream holding a large argument, cut at every point near a boundary and at a stride elsewhere. */
    @Test
    void splitsAroundALargeArgumentGiveTheSameRequests() {
        byte[] big = pattern(40_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(DecoderFeed.bytes(MIXED));
        out.writeBytes(DecoderFeed.bytes("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$40000\r\n"));
        int bigStart = out.size();
        out.writeBytes(big);
        out.writeBytes(DecoderFeed.bytes("\r\nPING\r\n"));
        byte[] stream = out.toByteArray();
        List<String> expected = new ArrayList<>(MIXED_REQUESTS);
        expected.addAll(DecoderFeed.show(List.of(List.of(DecoderFeed.bytes("SET"), DecoderFeed.bytes("big"), big))));
        expected.add("[PING]");
        for (int split = 0; split <= stream.length; split++) {
            boolean nearBoundary = split < bigStart + 64 || split > bigStart + big.length - 64;
            if (nearBoundary || split % 97 == 0) {
                assertEquals(expected, decodeInPieces(stream, Unpooled::buffer, split), "split at " + split);
            }
        }
        assertEquals(expected, decodeInPieces(stream, Unpooled::buffer, 1000, 2000, bigStart + 20_000, bigStart + 39_999));
    }

    /**
     * An argument from RequestArguments.LARGE_ARGUMENT bytes on is read into an array of its own,
     * exactly its size, which take() hands over without a copy; a smaller one is copied.
     */
    @ParameterizedTest(name = "{0} bytes in chunks of {1}")
    @CsvSource({
            "32767, 1", "32767, 65536",
            "32768, 1", "32768, 7", "32768, 32770",
            "100000, 1", "100000, 1000", "100000, 65536", "100000, 200000",
            "9000000, 65536", "9000000, 1048576", "9000000, 10000000"})
    void largeArgumentIsTakenWithoutACopy(int size, int chunk) {
        byte[] value = pattern(size);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(DecoderFeed.bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + size + "\r\n"));
        out.writeBytes(value);
        out.writeBytes(DecoderFeed.bytes("\r\n*1\r\n$4\r\nPING\r\n"));
        byte[] stream = out.toByteArray();

        DecoderFeed feed = new DecoderFeed();
        List<byte[]> taken = new ArrayList<>();
        feed.goOn = arguments -> {
            if (arguments.count() == 3) {
                byte[] own = arguments.array(2);
                int offset = arguments.offset(2);
                byte[] took = arguments.take(2);
                if (size >= RequestArguments.LARGE_ARGUMENT) {
                    assertSame(own, took, "a large argument is handed over, not copied");
                    assertEquals(0, offset);
                } else {
                    assertNotSame(own, took, "a small argument lives in the shared arena and is copied");
                }
                taken.add(took);
            }
            return true;
        };
        for (int i = 0; i < stream.length; i += chunk) {
            feed.feed(stream, i, Math.min(chunk, stream.length - i));
        }
        assertEquals(2, feed.requests.size());
        assertEquals(1, taken.size());
        assertEquals(size, taken.get(0).length, "the array is exactly the argument's size");
        assertArrayEquals(value, taken.get(0));
        assertEquals("[PING]", feed.shown().get(1));
        assertEquals(0, feed.decoder.bytesHeld(), "nothing is held once the request is done");
    }

    /** A huge announced length costs memory only as its bytes arrive. */
    @Test
    void announcedLengthIsNotAllocatedUpFront() {
        DecoderFeed feed = new DecoderFeed();
        feed.feed("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + ProtocolLimits.DEFAULT_MAX_BULK_LENGTH + "\r\n");
        feed.feed(pattern(100));
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, feed.lastOutcome);
        assertTrue(feed.decoder.inRequest());
        long held = feed.decoder.bytesHeld();
        assertTrue(held < 16L * 1024 * 1024, "held " + held + " bytes for a 512 MB announcement");
    }

    @Test
    void hugeArgumentCountIsNotAllocatedUpFront() {
        DecoderFeed feed = new DecoderFeed();
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, feed.feed("*" + Integer.MAX_VALUE + "\r\n$4\r\nPING\r\n"));
        assertTrue(feed.decoder.inRequest());
        assertTrue(feed.decoder.bytesHeld() < 1024, "held " + feed.decoder.bytesHeld());
    }

    /** A listener that stops leaves the rest in the buffer; the next decode resumes there. */
    @Test
    void stoppingLeavesTheRestForTheNextDecode() {
        DecoderFeed feed = new DecoderFeed();
        feed.goOn = arguments -> false;
        assertEquals(RequestDecoder.Outcome.STOPPED, feed.feed("PING\r\n*1\r\n$4\r\nPING\r\nECHO x\r\n"));
        assertEquals(List.of("[PING]"), feed.shown());
        assertEquals(RequestDecoder.Outcome.STOPPED, feed.decode());
        assertEquals(RequestDecoder.Outcome.STOPPED, feed.decode());
        assertEquals(List.of("[PING]", "[PING]", "[ECHO] [x]"), feed.shown());
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, feed.decode());
        assertEquals(3, feed.requests.size());
    }

    /** Arguments are valid only during the call: the arena is reused by the next request. */
    @Test
    void argumentsAreDeliveredInOrderWithTheirOwnBytes() {
        DecoderFeed feed = new DecoderFeed();
        StringBuilder seen = new StringBuilder();
        feed.goOn = arguments -> {
            seen.append(arguments.toLatin1String(1)).append(';');
            return true;
        };
        feed.feed("ECHO one\r\n*2\r\n$4\r\nECHO\r\n$3\r\ntwo\r\nECHO three\r\n");
        assertEquals("one;two;three;", seen.toString());
    }

    private static List<String> decodeInPieces(byte[] stream, Supplier<ByteBuf> buffers, int... splits) {
        ByteBuf input = buffers.get();
        try {
            DecoderFeed feed = new DecoderFeed(input);
            int from = 0;
            for (int split : splits) {
                feed.feed(stream, from, split - from);
                from = split;
            }
            feed.feed(stream, from, stream.length - from);
            return feed.shown();
        } finally {
            input.release();
        }
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            // Includes CR, LF, '$' and '*' so that a decoder looking inside an argument would be caught.
            bytes[i] = (byte) (i * 31 + (i >>> 8));
        }
        return bytes;
    }

    @Test
    void patternHoldsProtocolBytes() {
        byte[] bytes = pattern(1000);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("\r") && text.contains("\n") && text.contains("$") && text.contains("*"));
        assertFalse(Arrays.equals(bytes, pattern(999)));
    }
}
