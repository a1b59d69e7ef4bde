package io.nuthatch.server.command;

import java.nio.charset.StandardCharsets;

/**
 * An error reply, thrown by a handler to end its command. The dispatcher discards whatever the
 * handler had written of its reply and sends the error instead, so a handler may validate its
 * arguments as it goes. It must throw before it changes the keyspace: commands are all or nothing.
 *
 * <p>The exception has no stack trace, and the common errors are shared constants in
 * {@link Errors}, so that an error reply allocates nothing.
 */
public final class CommandError extends RuntimeException {
    private final byte[] reply;

    /** @param message the error line without '-' and CRLF, code first: "ERR syntax error" */
    public CommandError(String message) {
        super(message, null, false, false);
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                bytes[i] = ' ';
            }
        }
        this.reply = bytes;
    }

    /** The error line as sent, without '-' and CRLF. */
    public byte[] reply() {
        return reply;
    }
}
