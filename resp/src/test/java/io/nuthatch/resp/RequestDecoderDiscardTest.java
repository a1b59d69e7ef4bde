package io.nuthatch.resp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request given up part way (the server found no memory for an argument) is skipped to its end
 * as its bytes arrive, never delivered, and the requests after it are decoded as usual.
 */
class RequestDecoderDiscardTest {
    private static final String LARGE_VALUE = "x".repeat(RequestArguments.LARGE_ARGUMENT * 3);

    private static String set(String key, String value) {
        return "*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length() + "\r\n" + value + "\r\n";
    }

    private static List<String> delivered(DecoderFeed feed) {
        return feed.requests.stream()
                .map(arguments -> new String(arguments.get(0), StandardCharsets.ISO_8859_1)
                        + (arguments.size() > 1 ? " " + new String(arguments.get(1), StandardCharsets.ISO_8859_1) : ""))
                .toList();
    }

    @Test
    void largeArgumentGivenUpMidwayIsSkippedAndTheNextRequestsDecoded() {
        String request = set("big", LARGE_VALUE);
        DecoderFeed feed = new DecoderFeed();
        int cut = request.length() / 2;
        feed.feed(request.substring(0, cut));
        assertTrue(feed.decoder.discardRequest());
        assertEquals(0, feed.decoder.bytesHeld(), "what the request held is let go");
        for (int i = cut; i < request.length(); i += 1000) {
            feed.feed(request.substring(i, Math.min(request.length(), i + 1000)));
        }
        feed.feed("*1\r\n$4\r\nPING\r\n" + set("after", "v"));
        assertEquals(List.of("PING", "SET after"), delivered(feed));
    }

    @Test
    void smallArgumentAndTheArgumentsAfterItAreSkipped() {
        DecoderFeed feed = new DecoderFeed();
        feed.feed("*4\r\n$4\r\nMSET\r\n$1\r\na\r\n$3\r\nva");
        assertTrue(feed.decoder.discardRequest());
        feed.feed("l\r\n$" + LARGE_VALUE.length() + "\r\n" + LARGE_VALUE + "\r\n");
        assertEquals(List.of(), delivered(feed));
        feed.feed("*2\r\n$3\r\nGET\r\n$1\r\na\r\n");
        assertEquals(List.of("GET a"), delivered(feed));
    }

    @Test
    void givenUpBetweenArgumentsTheRestIsSkipped() {
        DecoderFeed feed = new DecoderFeed();
        feed.feed("*3\r\n$3\r\nSET\r\n");
        assertTrue(feed.decoder.discardRequest());
        feed.feed("$1\r\nk\r\n$1\r\nv\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(List.of("PING"), delivered(feed));
    }

    @Test
    void aSkippedRequestStillKeepsToTheProtocol() {
        DecoderFeed feed = new DecoderFeed();
        feed.feed("*3\r\n$3\r\nSET\r\n");
        assertTrue(feed.decoder.discardRequest());
        assertEquals(RequestDecoder.Outcome.PROTOCOL_ERROR, feed.feed("+k\r\n"));
        assertEquals("Protocol error: expected '$', got '+'", feed.decoder.errorReply());
    }

    @Test
    void anInlineRequestCannotBeSkipped() {
        DecoderFeed feed = new DecoderFeed();
        feed.feed("SET k v");
        assertFalse(feed.decoder.discardRequest());
    }
}
