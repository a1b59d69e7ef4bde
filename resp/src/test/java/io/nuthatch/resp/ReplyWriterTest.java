package io.nuthatch.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reply type in RESP2 and RESP3, written into heap and direct buffers, pooled and not, small
 * enough that writing has to grow them. The RESP2 forms are how Redis 7.0 degrades RESP3 types.
 */
class ReplyWriterTest {
    private static final List<ByteBufAllocator> ALLOCATORS = List.of(
            new UnpooledByteBufAllocator(false), PooledByteBufAllocator.DEFAULT);

    @Test
    void simpleReplies() {
        both(ReplyWriter::ok, "+OK\\r\\n", "+OK\\r\\n");
        both(w -> w.simpleString("PONG"), "+PONG\\r\\n", "+PONG\\r\\n");
        both(w -> w.simpleString(bytes("QUEUED")), "+QUEUED\\r\\n", "+QUEUED\\r\\n");
        both(w -> w.raw(bytes("+RAW\r\n")), "+RAW\\r\\n", "+RAW\\r\\n");
    }

    @Test
    void errorKeepsToOneLineAndIsReported() {
        List<String> reported = new ArrayList<>();
        String written = write(ReplyWriter.RESP2, heap(), w -> {
            w.errorListener(message -> reported.add(new String(message, StandardCharsets.ISO_8859_1)));
            w.error("ERR bad\r\nthing\u00e9");
            w.error(bytes("WRONGTYPE x"));
        });
        assertEquals("-ERR bad  thing\\xe9\\r\\n-WRONGTYPE x\\r\\n", written);
        assertEquals(List.of("ERR bad  thing\u00e9", "WRONGTYPE x"), reported);
    }

    @Test
    void integersAtTheEdges() {
        long[] values = {0, 9, 10, -1, -9, -10, 99, 100, 1234567890123L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long value : values) {
            both(w -> w.integer(value), ":" + value + "\\r\\n", ":" + value + "\\r\\n");
            String text = Long.toString(value);
            both(w -> w.bulk(value), "$" + text.length() + "\\r\\n" + text + "\\r\\n",
                    "$" + text.length() + "\\r\\n" + text + "\\r\\n");
            assertEquals(text.length(), ReplyWriter.decimalLength(value), text);
        }
    }

    @Test
    void bulkStrings() {
        both(w -> w.bulk(bytes("abc")), "$3\\r\\nabc\\r\\n", "$3\\r\\nabc\\r\\n");
        both(w -> w.bulk(new byte[0]), "$0\\r\\n\\r\\n", "$0\\r\\n\\r\\n");
        both(w -> w.bulk(bytes("xxabcxx"), 2, 3), "$3\\r\\nabc\\r\\n", "$3\\r\\nabc\\r\\n");
        both(w -> w.bulk(bytes("xx"), 1, 0), "$0\\r\\n\\r\\n", "$0\\r\\n\\r\\n");
        // Characters are bytes (ISO-8859-1): text read from arguments goes back out unchanged.
        both(w -> w.bulk("\u00e9"), "$1\\r\\n\\xe9\\r\\n", "$1\\r\\n\\xe9\\r\\n");
        both(w -> w.bulk(bytes("a\r\n\u0000b")), "$5\\r\\na\\r\\n\\x00b\\r\\n", "$5\\r\\na\\r\\n\\x00b\\r\\n");
        byte[] large = new byte[100_000];
        String body = write(ReplyWriter.RESP3, direct(), w -> w.bulk(large));
        assertEquals("$100000\\r\\n", body.substring(0, 11));
        assertEquals(11 + 100_000 * 4 + 4, body.length(), "100000 escaped NULs and a CRLF");
    }

    @Test
    void nulls() {
        both(ReplyWriter::nullBulk, "$-1\\r\\n", "_\\r\\n");
        both(ReplyWriter::nullArray, "*-1\\r\\n", "_\\r\\n");
    }

    @Test
    void aggregateHeaders() {
        both(w -> w.arrayHeader(0), "*0\\r\\n", "*0\\r\\n");
        both(w -> w.arrayHeader(3), "*3\\r\\n", "*3\\r\\n");
        both(w -> w.arrayHeader(1234567), "*1234567\\r\\n", "*1234567\\r\\n");
        both(w -> w.mapHeader(2), "*4\\r\\n", "%2\\r\\n");
        both(w -> w.mapHeader(0), "*0\\r\\n", "%0\\r\\n");
        both(w -> w.setHeader(2), "*2\\r\\n", "~2\\r\\n");
        both(w -> w.setHeader(0), "*0\\r\\n", "~0\\r\\n");
        both(w -> w.pushHeader(3), "*3\\r\\n", ">3\\r\\n");
    }

    @Test
    void booleans() {
        both(w -> w.bool(true), ":1\\r\\n", "#t\\r\\n");
        both(w -> w.bool(false), ":0\\r\\n", "#f\\r\\n");
    }

    @Test
    void doubles() {
        both(w -> w.doubleValue(1.5), "$3\\r\\n1.5\\r\\n", ",1.5\\r\\n");
        both(w -> w.doubleValue(0.1), "$19\\r\\n0.10000000000000001\\r\\n", ",0.10000000000000001\\r\\n");
        both(w -> w.doubleValue(-0.0), "$2\\r\\n-0\\r\\n", ",-0\\r\\n");
        both(w -> w.doubleValue(Double.POSITIVE_INFINITY), "$3\\r\\ninf\\r\\n", ",inf\\r\\n");
        both(w -> w.doubleValue(Double.NEGATIVE_INFINITY), "$4\\r\\n-inf\\r\\n", ",-inf\\r\\n");
        both(w -> w.doubleValue(1e100), "$6\\r\\n1e+100\\r\\n", ",1e+100\\r\\n");
        both(w -> w.doubleValue(42), "$2\\r\\n42\\r\\n", ",42\\r\\n");
        both(w -> w.doubleValue(0.0), "$1\\r\\n0\\r\\n", ",0\\r\\n");
        both(w -> w.doubleValue(-1_700_000_000_123.0), "$14\\r\\n-1700000000123\\r\\n", ",-1700000000123\\r\\n");
        both(w -> w.doubleValue(99_999_999_999_999_984.0), "$17\\r\\n99999999999999984\\r\\n",
                ",99999999999999984\\r\\n");
        both(w -> w.doubleValue(1e17), "$5\\r\\n1e+17\\r\\n", ",1e+17\\r\\n");
        byte[] text = "13.36138933897018433".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        both(w -> w.doubleText(text, 0, text.length), "$20\\r\\n13.36138933897018433\\r\\n",
                ",13.36138933897018433\\r\\n");
    }

    @Test
    void bigNumberAndVerbatim() {
        both(w -> w.bigNumber("3492890328409238509324850943850943825024385"),
                "$43\\r\\n3492890328409238509324850943850943825024385\\r\\n",
                "(3492890328409238509324850943850943825024385\\r\\n");
        both(w -> w.verbatim("txt", bytes("Some string")), "$11\\r\\nSome string\\r\\n", "=15\\r\\ntxt:Some string\\r\\n");
        both(w -> w.verbatim("mkd", new byte[0]), "$0\\r\\n\\r\\n", "=4\\r\\nmkd:\\r\\n");
    }

    @Test
    void deferredAggregatesGetTheirHeaderInFrontOfTheirElements() {
        both(w -> {
            w.ok();
            int mark = w.beginDeferred();
            w.bulk(bytes("a"));
            w.integer(2);
            w.endDeferredArray(mark, 2);
            w.ok();
        }, "+OK\\r\\n*2\\r\\n$1\\r\\na\\r\\n:2\\r\\n+OK\\r\\n", "+OK\\r\\n*2\\r\\n$1\\r\\na\\r\\n:2\\r\\n+OK\\r\\n");
        both(w -> {
            int mark = w.beginDeferred();
            w.bulk(bytes("k"));
            w.bulk(bytes("v"));
            w.endDeferredMap(mark, 1);
        }, "*2\\r\\n$1\\r\\nk\\r\\n$1\\r\\nv\\r\\n", "%1\\r\\n$1\\r\\nk\\r\\n$1\\r\\nv\\r\\n");
        both(w -> {
            int mark = w.beginDeferred();
            w.bulk(bytes("m"));
            w.endDeferredSet(mark, 1);
        }, "*1\\r\\n$1\\r\\nm\\r\\n", "~1\\r\\n$1\\r\\nm\\r\\n");
        both(w -> w.endDeferredArray(w.beginDeferred(), 0), "*0\\r\\n", "*0\\r\\n");
        both(w -> w.endDeferredMap(w.beginDeferred(), 0), "*0\\r\\n", "%0\\r\\n");
    }

    @Test
    void nestedDeferredAggregates() {
        both(w -> {
            int outer = w.beginDeferred();
            w.bulk(bytes("x"));
            int inner = w.beginDeferred();
            w.integer(1);
            w.integer(2);
            w.endDeferredArray(inner, 2);
            w.endDeferredMap(outer, 1);
        }, "*2\\r\\n$1\\r\\nx\\r\\n*2\\r\\n:1\\r\\n:2\\r\\n", "%1\\r\\n$1\\r\\nx\\r\\n*2\\r\\n:1\\r\\n:2\\r\\n");
    }

    /** The elements move to make room for the header: a long body and a long header, in every buffer kind. */
    @Test
    void deferredAggregateWithManyElements() {
        int count = 12_345;
        StringBuilder expected = new StringBuilder("+OK\\r\\n*" + count + "\\r\\n");
        for (int i = 0; i < count; i++) {
            expected.append(':').append(i).append("\\r\\n");
        }
        String wanted = expected.toString();
        both(w -> {
            w.ok();
            int mark = w.beginDeferred();
            for (int i = 0; i < count; i++) {
                w.integer(i);
            }
            w.endDeferredArray(mark, count);
        }, wanted, wanted);
    }

    @Test
    void onlyVersionsTwoAndThreeExist() {
        ReplyWriter writer = new ReplyWriter();
        assertEquals(ReplyWriter.RESP2, writer.protocol());
        assertThrows(IllegalArgumentException.class, () -> writer.protocol(4));
        assertThrows(IllegalArgumentException.class, () -> writer.protocol(1));
        writer.protocol(ReplyWriter.RESP3);
        assertTrue(writer.isResp3());
    }

    /** Writes the reply in both protocols into every kind of buffer and checks each. */
    private static void both(Consumer<ReplyWriter> body, String resp2, String resp3) {
        for (ByteBufAllocator allocator : ALLOCATORS) {
            for (boolean direct : new boolean[] {false, true}) {
                String where = allocator.getClass().getSimpleName() + (direct ? " direct" : " heap");
                ByteBufFactory factory = () -> direct ? allocator.directBuffer(8) : allocator.heapBuffer(8);
                assertEquals(resp2, write(ReplyWriter.RESP2, factory, body), "RESP2, " + where);
                assertEquals(resp3, write(ReplyWriter.RESP3, factory, body), "RESP3, " + where);
            }
        }
    }

    interface ByteBufFactory {
        ByteBuf create();
    }

    private static ByteBufFactory heap() {
        return () -> new UnpooledByteBufAllocator(false).heapBuffer(8);
    }

    private static ByteBufFactory direct() {
        return () -> PooledByteBufAllocator.DEFAULT.directBuffer(8);
    }

    private static String write(int protocol, ByteBufFactory factory, Consumer<ReplyWriter> body) {
        ByteBuf buffer = factory.create();
        try {
            ReplyWriter writer = new ReplyWriter();
            writer.protocol(protocol);
            writer.target(buffer);
            body.accept(writer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.getBytes(buffer.readerIndex(), bytes);
            return escape(bytes);
        } finally {
            buffer.release();
        }
    }

    /** Like DecoderFeed.escape, but CR and LF as \r and \n, so expectations read like the protocol. */
    private static String escape(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '\r') {
                text.append("\\r");
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c >= 32 && c < 127 && c != '\\') {
                text.append((char) c);
            } else {
                text.append(DecoderFeed.escape(new byte[] {b}));
            }
        }
        return text.toString();
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }
}
