package io.nuthatch.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Encodes replies into a connection's output buffer, in RESP2 or RESP3 as the connection chose
 * with HELLO. Where RESP2 has no such type the reply degrades as Redis degrades it: maps become flat
 * arrays, sets and pushes arrays, doubles and big numbers bulk strings, booleans integers, and both
 * kinds of null become {@code $-1} or {@code *-1}.
 *
 * <p>The writer owns no buffer: the connection points it at the buffer of the current read batch
 * with {@link #target(ByteBuf)}. Writing a reply allocates nothing.
 */
public final class ReplyWriter {

    /** Told of every error reply, for the error statistics. */
    public interface ErrorListener {
        /** @param message the error line without the leading '-' and the CRLF, e.g. "ERR syntax error" */
        void onError(byte[] message);
    }

    public static final int RESP2 = 2;
    public static final int RESP3 = 3;

    private static final short CRLF = ('\r' << 8) | '\n';
    private static final byte[] OK = line("+OK");
    private static final byte[] NULL_BULK = line("$-1");
    private static final byte[] NULL_ARRAY = line("*-1");
    private static final byte[] NULL = line("_");
    private static final byte[] TRUE = line("#t");
    private static final byte[] FALSE = line("#f");
    private static final byte[] EMPTY_ARRAY = line("*0");
    private static final byte[] EMPTY_BULK = "$0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    /** A number line without a type byte (the digits of a bulk number). */
    private static final int NO_TYPE = -1;

    /** Scratch for one line: a type byte, up to 20 characters of number, CRLF. */
    private final byte[] line = new byte[23];
    private ByteBuf out;
    private int protocol = RESP2;
    private ErrorListener errorListener;

    /** Directs the following replies into {@code buffer}. */
    public void target(ByteBuf buffer) {
        this.out = buffer;
    }

    public ByteBuf buffer() {
        return out;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        if (version != RESP2 && version != RESP3) {
            throw new IllegalArgumentException("RESP version " + version);
        }
        this.protocol = version;
    }

    public boolean isResp3() {
        return protocol == RESP3;
    }

    public void errorListener(ErrorListener listener) {
        this.errorListener = listener;
    }

    /** Writes bytes that already are a complete reply, such as a pre-encoded constant. */
    public void raw(byte[] encodedReply) {
        out.writeBytes(encodedReply);
    }

    public void ok() {
        out.writeBytes(OK);
    }

    /** A simple string ({@code +PONG}); it must not contain CR or LF. */
    public void simpleString(String text) {
        out.writeByte('+');
        out.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        out.writeShort(CRLF);
    }

    public void simpleString(byte[] text) {
        out.writeByte('+');
        out.writeBytes(text);
        out.writeShort(CRLF);
    }

    /**
     * An error reply. The message starts with its code ("ERR ...", "WRONGTYPE ..."); characters are
     * taken as bytes (ISO-8859-1), and CR or LF in it become spaces so the reply stays one line.
     */
    public void error(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                bytes[i] = ' ';
            }
        }
        error(bytes);
    }

    /** An error reply from a message already encoded, without '-' and CRLF. */
    public void error(byte[] message) {
        out.writeByte('-');
        out.writeBytes(message);
        out.writeShort(CRLF);
        if (errorListener != null) {
            errorListener.onError(message);
        }
    }

    public void integer(long value) {
        writeLine(':', value);
    }

    public void bulk(byte[] value) {
        bulk(value, 0, value.length);
    }

    public void bulk(byte[] value, int offset, int length) {
        if (length == 0) {
            out.writeBytes(EMPTY_BULK);
            return;
        }
        out.ensureWritable(length + 16);
        writeLine('$', length);
        out.writeBytes(value, offset, length);
        out.writeShort(CRLF);
    }

    /**
     * A bulk string of the text, one byte per character (ISO-8859-1): the server's Strings hold
     * bytes that way (arguments read as text, names, configuration values), so they go back out
     * unchanged.
     */
    public void bulk(String text) {
        bulk(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A bulk string holding a number in decimal, as Redis's addReplyBulkLongLong. */
    public void bulk(long value) {
        writeLine('$', decimalLength(value));
        writeLine(NO_TYPE, value);
    }

    /** The null of a missing string: {@code $-1} in RESP2, {@code _} in RESP3. */
    public void nullBulk() {
        out.writeBytes(protocol == RESP3 ? NULL : NULL_BULK);
    }

    /** The null of a missing aggregate: {@code *-1} in RESP2, {@code _} in RESP3. */
    public void nullArray() {
        out.writeBytes(protocol == RESP3 ? NULL : NULL_ARRAY);
    }

    public void arrayHeader(long length) {
        if (length == 0) {
            out.writeBytes(EMPTY_ARRAY);
            return;
        }
        aggregateHeader('*', length);
    }

    /** A map of {@code pairs} key/value pairs; in RESP2 an array of twice as many elements. */
    public void mapHeader(long pairs) {
        if (protocol == RESP3) {
            aggregateHeader('%', pairs);
        } else {
            arrayHeader(pairs * 2);
        }
    }

    public void setHeader(long length) {
        if (protocol == RESP3) {
            aggregateHeader('~', length);
        } else {
            arrayHeader(length);
        }
    }

    /** An out-of-band push message (pub/sub, invalidation); in RESP2 an array. */
    public void pushHeader(long length) {
        if (protocol == RESP3) {
            aggregateHeader('>', length);
        } else {
            arrayHeader(length);
        }
    }

    public void bool(boolean value) {
        if (protocol == RESP3) {
            out.writeBytes(value ? TRUE : FALSE);
        } else {
            integer(value ? 1 : 0);
        }
    }

    /**
     * A double, formatted as Redis 7.0 formats it ({@code %.17g}); RESP2 sends it as a bulk string.
     * A whole number below 10^17 is written digit by digit without allocating (what %.17g prints
     * for it is its integer digits): sorted-set scores are mostly such, timestamps and counters.
     */
    public void doubleValue(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e17 && (value != 0 || 1 / value > 0)) {
            long integer = (long) value;
            if (protocol == RESP3) {
                writeLine(',', integer);
            } else {
                writeLine('$', decimalLength(integer));
                writeLine(NO_TYPE, integer);
            }
            return;
        }
        String text = DoubleFormat.formatG17(value);
        if (protocol == RESP3) {
            out.writeByte(',');
            out.writeCharSequence(text, StandardCharsets.US_ASCII);
            out.writeShort(CRLF);
        } else {
            bulk(text.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * A double whose text the caller formatted (GEOPOS's coordinates are printed as Redis prints
     * a long double, not with %.17g): a RESP3 double, a bulk string in RESP2.
     */
    public void doubleText(byte[] text, int offset, int length) {
        if (protocol == RESP3) {
            out.writeByte(',');
            out.writeBytes(text, offset, length);
            out.writeShort(CRLF);
        } else {
            bulk(text, offset, length);
        }
    }

    /** A number beyond 64 bits, given in decimal; RESP2 sends it as a bulk string. */
    public void bigNumber(String decimal) {
        if (protocol == RESP3) {
            out.writeByte('(');
            out.writeCharSequence(decimal, StandardCharsets.US_ASCII);
            out.writeShort(CRLF);
        } else {
            bulk(decimal.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * Text to show as it is, with a three-letter format ("txt", "mkd"); RESP2 sends the text alone
     * as a bulk string.
     */
    public void verbatim(String format, byte[] text) {
        if (protocol != RESP3) {
            bulk(text);
            return;
        }
        writeLine('=', text.length + 4L);
        out.writeCharSequence(format, StandardCharsets.US_ASCII);
        out.writeByte(':');
        out.writeBytes(text);
        out.writeShort(CRLF);
    }

    /**
     * Marks the start of an aggregate whose length is known only once its elements are written
     * (Redis's deferred length). Pass the mark to {@link #endDeferredArray} or
     * {@link #endDeferredMap} after writing the elements.
     */
    public int beginDeferred() {
        return out.writerIndex();
    }

    public void endDeferredArray(int mark, long length) {
        insertHeader(mark, '*', length);
    }

    /** Ends a deferred map of {@code pairs} pairs (an array of twice as many elements in RESP2). */
    public void endDeferredMap(int mark, long pairs) {
        if (protocol == RESP3) {
            insertHeader(mark, '%', pairs);
        } else {
            insertHeader(mark, '*', pairs * 2);
        }
    }

    public void endDeferredSet(int mark, long length) {
        insertHeader(mark, protocol == RESP3 ? '~' : '*', length);
    }

    private void insertHeader(int mark, char type, long length) {
        int headerLength = 1 + decimalLength(length) + 2;
        int bodyLength = out.writerIndex() - mark;
        out.ensureWritable(headerLength);
        out.setBytes(mark + headerLength, out, mark, bodyLength);
        int end = out.writerIndex() + headerLength;
        out.writerIndex(mark);
        aggregateHeader(type, length);
        out.writerIndex(end);
    }

    private void aggregateHeader(char type, long length) {
        writeLine(type, length);
    }

    /**
     * Writes a type byte, a number in decimal and CRLF ({@code :42\r\n}, {@code $5\r\n}) with
     * one call into the buffer: composed in a scratch array first, because every ByteBuf call pays
     * for its bounds and reference-count checks, and a reply is mostly such lines.
     */
    private void writeLine(int type, long value) {
        byte[] scratch = line;
        int position = scratch.length;
        scratch[--position] = '\n';
        scratch[--position] = '\r';
        if (value == Long.MIN_VALUE) {
            position -= MIN_LONG.length;
            System.arraycopy(MIN_LONG, 0, scratch, position, MIN_LONG.length);
        } else {
            long remaining = Math.abs(value);
            do {
                scratch[--position] = (byte) ('0' + remaining % 10);
                remaining /= 10;
            } while (remaining > 0);
            if (value < 0) {
                scratch[--position] = '-';
            }
        }
        if (type != NO_TYPE) {
            scratch[--position] = (byte) type;
        }
        out.writeBytes(scratch, position, scratch.length - position);
    }

    /** Number of characters of a long in decimal, the sign included. */
    public static int decimalLength(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int length = value < 0 ? 2 : 1;
        long remaining = Math.abs(value);
        while (remaining >= 10) {
            remaining /= 10;
            length++;
        }
        return length;
    }

    private static byte[] line(String text) {
        return (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
