package io.nuthatch.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Feeds bytes to a RequestDecoder the way a connection does (appended to one input buffer, decoded
 * after each arrival) and records the requests it delivers, each as its arguments' bytes.
 */
final class DecoderFeed {
    final ProtocolLimits limits = new ProtocolLimits();
    final RequestDecoder decoder = new RequestDecoder(limits);
    final List<List<byte[]>> requests = new ArrayList<>();
    final ByteBuf input;
    RequestDecoder.Outcome lastOutcome;
    /** Decides, per request, whether decoding goes on (the listener's return value). */
    Predicate<RequestArguments> goOn = arguments -> true;

    DecoderFeed() {
        this(Unpooled.buffer());
    }

    DecoderFeed(ByteBuf input) {
        this.input = input;
    }

    RequestDecoder.Outcome feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    RequestDecoder.Outcome feed(String text) {
        return feed(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RequestDecoder.Outcome feed(byte[] bytes, int offset, int length) {
        input.writeBytes(bytes, offset, length);
        return decode();
    }

    RequestDecoder.Outcome decode() {
        lastOutcome = decoder.decode(input, this::record);
        input.discardSomeReadBytes();
        return lastOutcome;
    }

    /** Feeds the bytes one at a time; returns how many had been fed when the decoder failed, or -1. */
    int feedByteByByte(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (feed(bytes, i, 1) == RequestDecoder.Outcome.PROTOCOL_ERROR) {
                return i + 1;
            }
        }
        return -1;
    }

    private boolean record(RequestArguments arguments) {
        List<byte[]> copy = new ArrayList<>(arguments.count());
        for (int i = 0; i < arguments.count(); i++) {
            copy.add(arguments.copy(i));
        }
        requests.add(copy);
        return goOn.test(arguments);
    }

    /** The requests shown readably, one string per request, for assertions. */
    List<String> shown() {
        return show(requests);
    }

    static List<String> show(List<List<byte[]>> requests) {
        List<String> shown = new ArrayList<>(requests.size());
        for (List<byte[]> request : requests) {
            StringBuilder text = new StringBuilder();
            for (byte[] argument : request) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append('[');
                if (argument.length > 64) {
                    text.append(argument.length).append(" bytes, hash ").append(java.util.Arrays.hashCode(argument));
                } else {
                    text.append(escape(argument));
                }
                text.append(']');
            }
            shown.add(text.toString());
        }
        return shown;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String escape(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 32 && c < 127 && c != '\\') {
                text.append((char) c);
            } else {
                text.append("\\x").append(HEX[c >>> 4]).append(HEX[c & 15]);
            }
        }
        return text.toString();
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }
}
