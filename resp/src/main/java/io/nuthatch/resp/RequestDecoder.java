package io.nuthatch.resp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Decodes the requests of one connection, multibulk ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) or
 * inline ({@code GET k\r\n}), from the bytes as they arrive.
 *
 * <p>The decoder is a state machine that remembers where it stopped, so a request split across TCP
 * reads is never parsed twice: header lines wait until their CRLF has arrived, small arguments
 * until their bytes and CRLF have, and a large argument is copied chunk by chunk into an array of
 * its own, so the connection's buffer never holds more than one read of it.
 *
 * <p>Limits and their error texts follow Redis 7.0's networking.c. After a protocol error the
 * decoder accepts nothing more: the connection is to be closed once the error has been sent.
 */
public final class RequestDecoder {

    /** Receives each complete request. */
    public interface RequestListener {
        /**
         * Runs one request. The arguments are valid only during the call.
         *
         * @return true to go on decoding the buffered bytes, false to stop after this request (a
         *     client that blocked, or one whose connection closes); the next {@link #decode} resumes
         */
        boolean onRequest(RequestArguments arguments);
    }

    /** What a call to {@link #decode} ended with. */
    public enum Outcome {
        /** Every complete request was delivered; the rest of the buffer is an incomplete request. */
        NEEDS_MORE_INPUT,
        /** The listener asked to stop; undecoded bytes stay in the buffer. */
        STOPPED,
        /** The input broke the protocol; see {@link #errorReply()}. */
        PROTOCOL_ERROR
    }

    private enum State { REQUEST_START, MULTIBULK_COUNT, BULK_LENGTH, SMALL_BULK, LARGE_BULK, DISCARD_BULK, INLINE, FAILED }

    /**
     * The first array of a large argument: no more than this before its bytes arrive, so that
     * announcing 512 MB and sending nothing costs the server a few KB, as it costs redis-server
     * (whose reservation the kernel backs only as pages are written).
     */
    private static final int LARGE_FIRST_ALLOCATION = RequestArguments.LARGE_ARGUMENT;

    private final ProtocolLimits limits;
    private final RequestArguments arguments = new RequestArguments();
    private final InlineRequestSplitter inlineSplitter = new InlineRequestSplitter();

    private State state = State.REQUEST_START;
    private int argumentsLeft;
    private int bulkLength;
    private byte[] largeBulk;
    private int largeBulkFilled;
    /** The request being read was given up ({@link #discardRequest}): its arguments are skipped, not kept. */
    private boolean discarding;
    /** Bytes of the argument being skipped still to come, its CRLF included. */
    private long discardLeft;
    private boolean authenticationRequired;
    private String errorReply;
    /** A header line being parsed: a type byte and up to 20 characters of number. */
    private final byte[] header = new byte[21];
    private boolean lengthValid;

    public RequestDecoder(ProtocolLimits limits) {
        this.limits = limits;
    }

    /**
     * Whether the connection still has to authenticate; until it has, requests are held to the
     * small limits Redis applies to unauthenticated clients.
     */
    public void authenticationRequired(boolean required) {
        this.authenticationRequired = required;
    }

    /**
     * The error to send before closing ("ERR Protocol error: ..."), or null when the connection is
     * to be closed without a reply (the query buffer limit).
     */
    public String errorReply() {
        return errorReply;
    }

    /** Bytes held for the request being decoded, beyond those still in the input buffer. */
    public long bytesHeld() {
        return arguments.bytesHeld() + (largeBulk == null ? 0 : largeBulk.length);
    }

    /** Whether a request has been started and not completed. */
    public boolean inRequest() {
        return state != State.REQUEST_START;
    }

    /**
     * Delivers every complete request in {@code in} to the listener, consuming their bytes.
     */
    public Outcome decode(ByteBuf in, RequestListener listener) {
        while (true) {
            switch (state) {
                case REQUEST_START -> {
                    if (!in.isReadable()) {
                        return Outcome.NEEDS_MORE_INPUT;
                    }
                    state = in.getByte(in.readerIndex()) == '*' ? State.MULTIBULK_COUNT : State.INLINE;
                }
                case MULTIBULK_COUNT -> {
                    int lineEnd = findLineEnd(in, "Protocol error: too big mbulk count string");
                    if (lineEnd < 0) {
                        return lineEnd == NEED_MORE ? Outcome.NEEDS_MORE_INPUT : Outcome.PROTOCOL_ERROR;
                    }
                    long count = parseLength(in, in.readerIndex() + 1, lineEnd, false);
                    if (!lengthValid || count > ProtocolLimits.MULTIBULK_MAX_COUNT) {
                        return fail("Protocol error: invalid multibulk length");
                    }
                    if (count > ProtocolLimits.UNAUTHENTICATED_MAX_COUNT && authenticationRequired) {
                        return fail("Protocol error: unauthenticated multibulk length");
                    }
                    in.readerIndex(lineEnd + 2);
                    if (count <= 0) {
                        state = State.REQUEST_START;
                    } else {
                        argumentsLeft = (int) count;
                        state = State.BULK_LENGTH;
                        // Trust the announced count only so far: the arrays grow as arguments arrive.
                        arguments.ensureCapacity(Math.min(argumentsLeft, 1024));
                    }
                }
                case BULK_LENGTH -> {
                    int lineEnd = findLineEnd(in, "Protocol error: too big bulk count string");
                    if (lineEnd < 0) {
                        return lineEnd == NEED_MORE ? Outcome.NEEDS_MORE_INPUT : Outcome.PROTOCOL_ERROR;
                    }
                    long length = parseLength(in, in.readerIndex(), lineEnd, true);
                    if (header[0] != '$') {
                        return fail("Protocol error: expected '$', got '" + (char) (header[0] & 0xff) + "'");
                    }
                    if (!lengthValid || length < 0 || length > limits.maxBulkLength()) {
                        return fail("Protocol error: invalid bulk length");
                    }
                    if (length > ProtocolLimits.UNAUTHENTICATED_MAX_BULK && authenticationRequired) {
                        return fail("Protocol error: unauthenticated bulk length");
                    }
                    in.readerIndex(lineEnd + 2);
                    bulkLength = (int) length;
                    if (discarding) {
                        discardLeft = length + 2;
                        state = State.DISCARD_BULK;
                    } else if (bulkLength >= RequestArguments.LARGE_ARGUMENT) {
                        largeBulkFilled = 0;
                        state = State.LARGE_BULK;
                        // What already arrived decides the first size: a value sent whole is copied once.
                        largeBulk = new byte[Math.min(bulkLength, Math.max(LARGE_FIRST_ALLOCATION, in.readableBytes()))];
                    } else {
                        state = State.SMALL_BULK;
                    }
                }
                case SMALL_BULK -> {
                    if (in.readableBytes() < bulkLength + 2) {
                        return Outcome.NEEDS_MORE_INPUT;
                    }
                    arguments.addSmall(in, in.readerIndex(), bulkLength);
                    // Like Redis, the two bytes after the argument are skipped, not checked.
                    in.skipBytes(bulkLength + 2);
                    if (argumentDone(listener)) {
                        return Outcome.STOPPED;
                    }
                }
                case LARGE_BULK -> {
                    if (!fillLargeBulk(in)) {
                        return Outcome.NEEDS_MORE_INPUT;
                    }
                    arguments.addOwned(largeBulk);
                    largeBulk = null;
                    if (argumentDone(listener)) {
                        return Outcome.STOPPED;
                    }
                }
                case DISCARD_BULK -> {
                    int skipped = (int) Math.min(discardLeft, in.readableBytes());
                    in.skipBytes(skipped);
                    discardLeft -= skipped;
                    if (discardLeft > 0) {
                        return Outcome.NEEDS_MORE_INPUT;
                    }
                    if (--argumentsLeft > 0) {
                        state = State.BULK_LENGTH;
                    } else {
                        discarding = false;
                        state = State.REQUEST_START;
                    }
                }
                case INLINE -> {
                    Outcome outcome = decodeInline(in, listener);
                    if (outcome != null) {
                        return outcome;
                    }
                }
                case FAILED -> {
                    return Outcome.PROTOCOL_ERROR;
                }
            }
        }
    }

    /** Counts one argument as read; delivers the request when it was the last. True if told to stop. */
    private boolean argumentDone(RequestListener listener) {
        if (--argumentsLeft > 0) {
            state = State.BULK_LENGTH;
            return false;
        }
        return !deliver(listener);
    }

    private boolean deliver(RequestListener listener) {
        state = State.REQUEST_START;
        try {
            return listener.onRequest(arguments);
        } finally {
            arguments.clear();
        }
    }

    /** Copies what has arrived of a large argument; true once it and its CRLF are complete. */
    private boolean fillLargeBulk(ByteBuf in) {
        while (largeBulkFilled < bulkLength) {
            int available = in.readableBytes();
            if (available == 0) {
                return false;
            }
            if (largeBulkFilled == largeBulk.length) {
                // Grow only as bytes arrive, doubling (each byte is copied about twice in all), so
                // announcing a huge length costs the sender the bytes; the last step is exact.
                long wanted = Math.max((long) largeBulk.length * 2, (long) largeBulkFilled + available);
                byte[] grown = new byte[(int) Math.min(bulkLength, wanted)];
                System.arraycopy(largeBulk, 0, grown, 0, largeBulkFilled);
                largeBulk = grown;
            }
            int chunk = Math.min(available, largeBulk.length - largeBulkFilled);
            in.readBytes(largeBulk, largeBulkFilled, chunk);
            largeBulkFilled += chunk;
        }
        if (in.readableBytes() < 2) {
            return false;
        }
        in.skipBytes(2);
        return true;
    }

    private Outcome decodeInline(ByteBuf in, RequestListener listener) {
        int start = in.readerIndex();
        int newline = indexBeforeNul(in, start, (byte) '\n');
        if (newline < 0) {
            if (in.readableBytes() > ProtocolLimits.INLINE_MAX_SIZE) {
                return fail("Protocol error: too big inline request");
            }
            return Outcome.NEEDS_MORE_INPUT;
        }
        int lineEnd = newline;
        if (lineEnd > start && in.getByte(lineEnd - 1) == '\r') {
            lineEnd--;
        }
        if (!inlineSplitter.split(in, start, lineEnd, arguments)) {
            arguments.clear();
            return fail("Protocol error: unbalanced quotes in request");
        }
        in.readerIndex(newline + 1);
        if (arguments.count() == 0) {
            state = State.REQUEST_START;
            return null;
        }
        return deliver(listener) ? null : Outcome.STOPPED;
    }

    private static final int NEED_MORE = -1;
    private static final int FAILED_LINE = -2;

    /**
     * Finds the CR that ends the header line at the reader index. Like Redis, the line is complete
     * once one byte follows the CR; that byte is taken to be the LF.
     */
    private int findLineEnd(ByteBuf in, String tooLongError) {
        int start = in.readerIndex();
        int carriageReturn = indexBeforeNul(in, start, (byte) '\r');
        if (carriageReturn < 0) {
            if (in.readableBytes() > ProtocolLimits.INLINE_MAX_SIZE) {
                fail(tooLongError);
                return FAILED_LINE;
            }
            return NEED_MORE;
        }
        if (carriageReturn + 1 >= in.writerIndex()) {
            return NEED_MORE;
        }
        return carriageReturn;
    }

    /** Stops at the CR that ends a header line, or at a NUL byte. */
    private static final ByteProcessor CR_OR_NUL = value -> value != '\r' && value != 0;
    /** Stops at the LF that ends an inline request, or at a NUL byte. */
    private static final ByteProcessor LF_OR_NUL = value -> value != '\n' && value != 0;

    /**
     * The index of the first {@code wanted} byte from {@code start}, or -1 when there is none or a
     * NUL byte comes first. Redis looks for line ends with strchr, which stops at a NUL, so a line
     * holding one never ends: the connection waits for more input until the size limit fails it.
     * One pass, with one bounds check for the whole range.
     */
    private static int indexBeforeNul(ByteBuf in, int start, byte wanted) {
        int found = in.forEachByte(start, in.writerIndex() - start, wanted == '\r' ? CR_OR_NUL : LF_OR_NUL);
        return found >= 0 && in.getByte(found) == wanted ? found : -1;
    }

    /**
     * Parses the decimal length of a header line the way Redis's string2ll does: optional '-', no
     * '+', no leading zeros, no blanks, within the signed 64-bit range. Sets {@link #lengthValid}.
     * The line is copied into {@link #header} first: one buffer call instead of one per byte.
     *
     * @param typed whether the line starts with a type byte ('$'), left in header[0] for the caller
     */
    private long parseLength(ByteBuf in, int from, int to, boolean typed) {
        lengthValid = false;
        int lineLength = to - from;
        int digitsFrom = typed ? 1 : 0;
        if (lineLength > header.length || lineLength == 0) {
            // Too long to be a valid length, or empty: only the type byte matters, for the error.
            header[0] = in.getByte(from);
            return 0;
        }
        in.getBytes(from, header, 0, lineLength);
        int length = lineLength - digitsFrom;
        if (length <= 0) {
            return 0;
        }
        int p = digitsFrom;
        int end = lineLength;
        boolean negative = header[p] == '-';
        if (negative) {
            p++;
        }
        if (p == end) {
            return 0;
        }
        if (header[p] == '0') {
            lengthValid = !negative && length == 1;
            return 0;
        }
        // Accumulated as a negative number so that Long.MIN_VALUE fits.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long value = 0;
        for (; p < end; p++) {
            int digit = header[p] - '0';
            if (digit < 0 || digit > 9 || value < (limit + digit) / 10) {
                return 0;
            }
            value = value * 10 - digit;
        }
        lengthValid = true;
        return negative ? value : -value;
    }

    private Outcome fail(String reply) {
        state = State.FAILED;
        discarding = false;
        errorReply = reply;
        largeBulk = null;
        arguments.clear();
        return Outcome.PROTOCOL_ERROR;
    }

    /**
     * Marks the connection as over its query buffer limit: nothing more is decoded, and there is no
     * reply (Redis closes such a connection silently and logs it).
     */
    public void failQueryBufferLimit() {
        fail(null);
    }

    /**
     * Gives up the request being read, for want of memory to hold it, and goes on with the next
     * one: what it held is let go at once (the heap needs it back to send the error), the rest of
     * its arguments is read and dropped as it arrives, and it is never delivered. Only a request
     * of the multibulk form can be skipped so, since its lengths say where it ends.
     *
     * @return false when the request cannot be skipped (an inline one): then {@link #abandon} it
     */
    public boolean discardRequest() {
        long left = switch (state) {
            case LARGE_BULK -> (long) bulkLength - largeBulkFilled + 2;
            case SMALL_BULK -> (long) bulkLength + 2;
            case BULK_LENGTH -> -1;
            default -> -2;
        };
        if (left == -2) {
            return false;
        }
        largeBulk = null;
        arguments.clear();
        discarding = true;
        if (left >= 0) {
            discardLeft = left;
            state = State.DISCARD_BULK;
        }
        return true;
    }

    /**
     * Gives up the request being read, for want of memory to hold it: what it held is let go at
     * once (the heap needs it back to send the error), and nothing more is decoded.
     */
    public void abandon() {
        fail(null);
    }
}
