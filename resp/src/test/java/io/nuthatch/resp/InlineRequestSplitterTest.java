package io.nuthatch.resp;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inline requests are split as redis-server splits them (sdssplitargs, which redis-cli also uses
 * for the lines it reads). Every expectation below was taken from redis-server 7.0.15 by sending
 * "RPUSH l <line>" inline and reading the list back with LRANGE, or seeing it fail with
 * "Protocol error: unbalanced quotes in request".
 */
class InlineRequestSplitterTest {
    private final List<String> failures = new ArrayList<>();

    @Test
    void linesSplitAsRedisSplitsThem() {
        splits("a b c", "a", "b", "c");
        splits("  a   b  ", "a", "b");
        splits("a\tb", "a", "b");
        splits("a\u000bb", "a\u000bb");
        splits("\u000ba", "a");
        splits("\fa \f", "a");
        splits("\"a b\" c", "a b", "c");
        splits("'a b' c", "a b", "c");
        splits("\"a\\nb\"", "a\nb");
        splits("\"\\r\\n\\t\\b\\a\\\\\\\"\\q\"", "\r\n\t\b\u0007\\\"q");
        splits("\"\\x41\\x7a\\x00\\xff\"", "Az\u0000\u00ff");
        splits("\"\\x4\"", "x4");
        splits("\"\\x4g\"", "x4g");
        splits("\"\\xZZ\"", "xZZ");
        splits("\"\\X41\"", "X41");
        splits("'a\\'b'", "a'b");
        splits("'a\\nb'", "a\\nb");
        splits("'a\\\\b'", "a\\\\b");
        splits("'a\\\"b'", "a\\\"b");
        splits("\"a\\'b\"", "a'b");
        unbalanced("ab\"cd ef\"gh");
        splits("ab\"cd ef\"", "abcd ef");
        splits("ab'cd ef'", "abcd ef");
        splits("\"\"", "");
        splits("''", "");
        splits("\"\" \"\"", "", "");
        unbalanced("a\"\"b");
        unbalanced("\"a\"b");
        unbalanced("'a'b");
        splits("\"a\"\tb", "a", "b");
        splits("\"a\"\u000bb", "a", "b");
        splits("\"a\"\fb", "a", "b");
        unbalanced("\"a");
        unbalanced("'a");
        unbalanced("\"a\\\"");
        unbalanced("'a\\'");
        unbalanced("a\"b");
        unbalanced("a'b");
        splits("\"a\\\\\"", "a\\");
        unbalanced("'a\\\\'");
        unbalanced("\"\\x41");
        unbalanced("\"\\\"");
        unbalanced("\"");
        splits("a\\b", "a\\b");
        unbalanced("a\\\"b");
        splits("\\x41", "\\x41");
        splits("a\rb", "a", "b");
        splits("\"a\\rb\"", "a\rb");
        splits("\"a\rb\"", "a\rb");
        splits("\"a\tb\"", "a\tb");
        splits("'a\u000bb'", "a\u000bb");
        splits("\"\\\\x41\"", "\\x41");
        splits("\"a\"  ", "a");
        splits("\"a\"\r", "a");
        assertEquals(List.of(), failures);
    }

    @Test
    void tokensLongerThanTheInitialBufferAreKept() {
        String longToken = "x".repeat(10_000);
        splits("a \"" + longToken + "\" " + longToken, "a", longToken, longToken);
        assertEquals(List.of(), failures);
    }

    /** Splits the line through the splitter itself, outside the decoder's line handling. */
    @Test
    void splitterStopsAtNul() {
        RequestArguments arguments = new RequestArguments();
        byte[] line = DecoderFeed.bytes("a b\u0000c d");
        boolean balanced = new InlineRequestSplitter().split(Unpooled.wrappedBuffer(line), 0, line.length, arguments);
        assertTrue(balanced);
        assertEquals("[a, b]", arguments.toString());
    }

    private void splits(String line, String... expected) {
        List<String> wanted = new ArrayList<>();
        for (String argument : expected) {
            wanted.add(DecoderFeed.escape(DecoderFeed.bytes(argument)));
        }
        List<String> actual = decode(line);
        if (!wanted.equals(actual)) {
            failures.add(DecoderFeed.escape(DecoderFeed.bytes(line)) + ": expected " + wanted + ", got " + actual);
        }
    }

    private void unbalanced(String line) {
        List<String> actual = decode(line);
        if (actual != null) {
            failures.add(DecoderFeed.escape(DecoderFeed.bytes(line)) + ": expected unbalanced quotes, got " + actual);
        }
    }

    /** The arguments of the line, or null when the decoder reports unbalanced quotes. */
    private static List<String> decode(String line) {
        DecoderFeed feed = new DecoderFeed();
        RequestDecoder.Outcome outcome = feed.feed(line + "\r\n");
        if (outcome == RequestDecoder.Outcome.PROTOCOL_ERROR) {
            assertEquals("Protocol error: unbalanced quotes in request", feed.decoder.errorReply());
            return null;
        }
        assertEquals(1, feed.requests.size(), line);
        List<String> shown = new ArrayList<>();
        for (byte[] argument : feed.requests.get(0)) {
            shown.add(DecoderFeed.escape(argument));
        }
        return shown;
    }
}
