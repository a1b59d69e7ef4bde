package io.nuthatch.server.command.stream;

import io.nuthatch.server.command.CommandContext;

/**
 * Arguments read as Redis reads them where it treats them as C strings: up to the first NUL byte.
 * For error messages that quote an argument ({@code %s} in Redis) and for the one-character IDs
 * {@code $} and {@code >}.
 */
final class Texts {
    private Texts() {
    }

    /** The argument as text up to its first NUL byte, one character per byte. */
    static String cString(CommandContext c, int index) {
        String text = c.argumentText(index);
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    /** Whether the argument, read up to its first NUL byte, is the one character {@code character}. */
    static boolean isCString(CommandContext c, int index, char character) {
        int length = c.arguments().length(index);
        return length >= 1 && c.arguments().byteAt(index, 0) == character
                && (length == 1 || c.arguments().byteAt(index, 1) == 0);
    }
}
