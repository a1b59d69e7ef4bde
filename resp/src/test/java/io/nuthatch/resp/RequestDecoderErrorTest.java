package io.nuthatch.resp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every protocol error, its text and the byte at which it fires. The texts and the bytes that
 * trigger them were taken from redis-server 7.0.15 by sending it the same input (it replies
 * "-ERR " and the text, then closes the connection; the decoder gives the text without "ERR ").
 */
class RequestDecoderErrorTest {
    private static final String INVALID_MULTIBULK = "Protocol error: invalid multibulk length";
    private static final String INVALID_BULK = "Protocol error: invalid bulk length";
    private static final String UNBALANCED = "Protocol error: unbalanced quotes in request";
    private static final int INLINE_MAX = 64 * 1024;

    /**
     * @param input   bytes that break the protocol
     * @param firesAt how many bytes of the input have arrived when the error fires; with one byte
     *                fewer the decoder still waits for input
     */
    record ErrorCase(String name, String input, int firesAt, String error, boolean authenticationRequired) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ErrorCase> errorCases() {
        String mbulkDigits = "*" + "1".repeat(INLINE_MAX);
        String bulkDigits = "*1\r\n$" + "1".repeat(INLINE_MAX);
        return Stream.of(
                new ErrorCase("count not a number", "*abc\r\n", 6, INVALID_MULTIBULK, false),
                new ErrorCase("count with a plus sign", "*+1\r\n", 5, INVALID_MULTIBULK, false),
                new ErrorCase("count with a leading zero", "*01\r\n", 5, INVALID_MULTIBULK, false),
                new ErrorCase("count empty", "*\r\n", 3, INVALID_MULTIBULK, false),
                new ErrorCase("count with a blank", "* 1\r\n", 5, INVALID_MULTIBULK, false),
                new ErrorCase("count above INT_MAX", "*2147483648\r\n", 13, INVALID_MULTIBULK, false),
                new ErrorCase("count beyond 64 bits", "*9223372036854775808\r\n", 22, INVALID_MULTIBULK, false),
                new ErrorCase("count line without CR over 64 KiB", mbulkDigits, INLINE_MAX + 1,
                        "Protocol error: too big mbulk count string", false),
                new ErrorCase("bulk length not a number", "*1\r\n$abc\r\n", 10, INVALID_BULK, false),
                new ErrorCase("bulk length negative", "*1\r\n$-1\r\n", 9, INVALID_BULK, false),
                new ErrorCase("bulk length empty", "*1\r\n$\r\n", 7, INVALID_BULK, false),
                new ErrorCase("bulk length above proto-max-bulk-len", "*1\r\n$536870913\r\n", 16, INVALID_BULK, false),
                new ErrorCase("bulk length line without CR over 64 KiB", bulkDigits, 4 + INLINE_MAX + 1,
                        "Protocol error: too big bulk count string", false),
                new ErrorCase("bulk header without '$'", "*1\r\nx4\r\nPING\r\n", 8, "Protocol error: expected '$', got 'x'", false),
                new ErrorCase("integer instead of a bulk", "*2\r\n$4\r\nECHO\r\n:3\r\n", 18,
                        "Protocol error: expected '$', got ':'", false),
                new ErrorCase("high byte instead of '$'", "*1\r\n\u00ff4\r\n", 8, "Protocol error: expected '$', got '\u00ff'", false),
                new ErrorCase("unbalanced double quote", "SET \"a b\r\n", 10, UNBALANCED, false),
                new ErrorCase("unbalanced single quote", "SET 'a\n", 7, UNBALANCED, false),
                new ErrorCase("closing quote followed by a letter", "SET \"a\"b c\r\n", 12, UNBALANCED, false),
                new ErrorCase("inline request over 64 KiB without newline", "A".repeat(INLINE_MAX + 1), INLINE_MAX + 1,
                        "Protocol error: too big inline request", false),
                new ErrorCase("inline line holding a NUL never ends", "ECHO a\u0000b\r\n" + "x".repeat(INLINE_MAX),
                        INLINE_MAX + 1, "Protocol error: too big inline request", false),
                new ErrorCase("count line holding a NUL never ends", "*1\u0000\r\n" + "x".repeat(INLINE_MAX),
                        INLINE_MAX + 1, "Protocol error: too big mbulk count string", false),
                new ErrorCase("more than 10 arguments before AUTH", "*11\r\n", 5,
                        "Protocol error: unauthenticated multibulk length", true),
                new ErrorCase("argument over 16 KiB before AUTH", "*1\r\n$16385\r\n", 12,
                        "Protocol error: unauthenticated bulk length", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void errorFiresWhenItsLastByteArrives(ErrorCase c) {
        byte[] input = DecoderFeed.bytes(c.input());
        DecoderFeed feed = new DecoderFeed();
        feed.decoder.authenticationRequired(c.authenticationRequired());
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, feed.feed(input, 0, c.firesAt() - 1),
                "one byte before the error, the decoder waits");
        assertNull(feed.decoder.errorReply());
        assertEquals(RequestDecoder.Outcome.PROTOCOL_ERROR, feed.feed(input, c.firesAt() - 1, 1));
        assertEquals(c.error(), feed.decoder.errorReply());
        assertEquals(List.of(), feed.shown());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void errorFiresAtTheSameByteWhenFedByteByByteOrAtOnce(ErrorCase c) {
        byte[] input = DecoderFeed.bytes(c.input());
        if (input.length < 200) {
            DecoderFeed slow = new DecoderFeed();
            slow.decoder.authenticationRequired(c.authenticationRequired());
            assertEquals(c.firesAt(), slow.feedByteByByte(input));
            assertEquals(c.error(), slow.decoder.errorReply());
        }
        DecoderFeed whole = new DecoderFeed();
        whole.decoder.authenticationRequired(c.authenticationRequired());
        assertEquals(RequestDecoder.Outcome.PROTOCOL_ERROR, whole.feed(input));
        assertEquals(c.error(), whole.decoder.errorReply());
    }

    /** Just under each limit, nothing fails: the error cases above are at the exact boundary. */
    @Test
    void limitsAreInclusive() {
        DecoderFeed inline = new DecoderFeed();
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, inline.feed("A".repeat(INLINE_MAX)));
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, inline.feed("\r\n"));
        assertEquals(1, inline.requests.size());

        DecoderFeed authentication = new DecoderFeed();
        authentication.decoder.authenticationRequired(true);
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, authentication.feed("*10\r\n$16384\r\n"));

        DecoderFeed count = new DecoderFeed();
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, count.feed("*2147483647\r\n"));

        DecoderFeed bulk = new DecoderFeed();
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, bulk.feed("*1\r\n$536870912\r\n"));
    }

    @Test
    void authenticatedClientsHaveTheUsualLimits() {
        DecoderFeed feed = new DecoderFeed();
        feed.decoder.authenticationRequired(true);
        feed.decoder.authenticationRequired(false);
        String eleven = "*11\r\n" + "$1\r\na\r\n".repeat(10) + "$16385\r\n" + "b".repeat(16385) + "\r\n";
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, feed.feed(eleven));
        assertEquals(1, feed.requests.size());
        assertEquals(11, feed.requests.get(0).size());
    }

    @Test
    void protoMaxBulkLenIsReadWhenTheHeaderArrives() {
        DecoderFeed feed = new DecoderFeed();
        feed.limits.maxBulkLength(100);
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, feed.feed("*1\r\n$100\r\n" + "a".repeat(100) + "\r\n"));
        assertEquals(RequestDecoder.Outcome.PROTOCOL_ERROR, feed.feed("*1\r\n$101\r\n"));
        assertEquals(INVALID_BULK, feed.decoder.errorReply());
        assertEquals(1, feed.requests.size());
    }

    @Test
    void requestsBeforeAnErrorAreDeliveredAndNoneAfterIt() {
        DecoderFeed feed = new DecoderFeed();
        assertEquals(RequestDecoder.Outcome.PROTOCOL_ERROR,
                feed.feed("PING\r\n*1\r\n$4\r\nECHO\r\n*abc\r\nPING\r\n"));
        assertEquals(List.of("[PING]", "[ECHO]"), feed.shown());
        assertEquals(INVALID_MULTIBULK, feed.decoder.errorReply());
        assertEquals(RequestDecoder.Outcome.PROTOCOL_ERROR, feed.feed("PING\r\n"));
        assertEquals(2, feed.requests.size(), "a failed decoder accepts nothing more");

        DecoderFeed inline = new DecoderFeed();
        assertEquals(RequestDecoder.Outcome.PROTOCOL_ERROR, inline.feed("PING\r\n\"abc\r\nPING\r\n"));
        assertEquals(List.of("[PING]"), inline.shown());
    }

    @Test
    void emptyAndNegativeMultibulkCountsAreIgnored() {
        DecoderFeed feed = new DecoderFeed();
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, feed.feed("*0\r\n*-1\r\n*-5\r\nPING\r\n*0\r\n"));
        assertEquals(List.of("[PING]"), feed.shown());
        assertTrue(!feed.decoder.inRequest());
    }

    @Test
    void emptyInlineLinesAreIgnored() {
        DecoderFeed feed = new DecoderFeed();
        feed.feed("\r\n\n   \r\n\t\n\u000b\r\nPING\r\n\r\n");
        assertEquals(List.of("[PING]"), feed.shown());
        assertTrue(!feed.decoder.inRequest());
    }

    @Test
    void inlineLinesMayEndWithLineFeedAlone() {
        DecoderFeed feed = new DecoderFeed();
        feed.feed("PING\nECHO hi\nECHO \"a\\r\"\r\n");
        assertEquals(List.of("[PING]", "[ECHO] [hi]", "[ECHO] [a\\x0d]"), feed.shown());
    }

    /** Redis skips the two bytes after a bulk without looking at them, and takes any byte after a header's CR as its LF. */
    @Test
    void bytesAfterABulkAndAfterAHeaderCrAreNotChecked() {
        DecoderFeed feed = new DecoderFeed();
        feed.feed("*1\r\n$4\r\nPINGxx*1\rX$4\r\nPING\r\n");
        assertEquals(List.of("[PING]", "[PING]"), feed.shown());
    }

    /** Redis finds line ends with strchr, which stops at NUL: such a line waits for more input. */
    @Test
    void lineHoldingANulWaitsForMoreInput() {
        DecoderFeed inline = new DecoderFeed();
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, inline.feed("ECHO a\u0000b\r\nPING\r\n"));
        assertEquals(List.of(), inline.shown());

        DecoderFeed count = new DecoderFeed();
        assertEquals(RequestDecoder.Outcome.NEEDS_MORE_INPUT, count.feed("*1\u0000\r\n$4\r\nPING\r\n"));
        assertEquals(List.of(), count.shown());

        DecoderFeed afterCr = new DecoderFeed();
        afterCr.feed("*1\r\u0000$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$3\r\na\u0000b\r\n");
        assertEquals(List.of("[PING]", "[ECHO] [a\\x00b]"), afterCr.shown(), "a NUL after the CR or in a bulk is fine");
    }

    @Test
    void queryBufferLimitFailsWithoutAReply() {
        DecoderFeed feed = new DecoderFeed();
        feed.feed("*1\r\n$4\r\nPI");
        feed.decoder.failQueryBufferLimit();
        assertNull(feed.decoder.errorReply());
        assertEquals(RequestDecoder.Outcome.PROTOCOL_ERROR, feed.feed("NG\r\n"));
        assertEquals(List.of(), feed.shown());
    }
}
