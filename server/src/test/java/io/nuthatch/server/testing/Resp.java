package io.nuthatch.server.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encoding requests and showing replies, for tests. */
public final class Resp {
    private Resp() {
    }

    /** A request as a multibulk of the given arguments. */
    public static byte[] request(List<byte[]> arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + arguments.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] argument : arguments) {
            out.writeBytes(("$" + argument.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(argument);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    public static byte[] request(String... arguments) {
        return request(java.util.Arrays.stream(arguments).map(a -> a.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** Bytes shown readably: printable ASCII as is, CR LF as \r\n, others as \xHH. */
    public static String escape(byte[] bytes) {
        if (bytes == null) {
            return "<connection closed>";
        }
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '\r') {
                text.append("\\r");
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c == '\\') {
                text.append("\\\\");
            } else if (c >= 32 && c < 127) {
                text.append((char) c);
            } else {
                text.append(String.format("\\x%02x", c));
            }
        }
        return text.toString();
    }
}
