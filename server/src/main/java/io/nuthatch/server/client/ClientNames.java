package io.nuthatch.server.client;

import io.nuthatch.server.command.CommandError;

/** The rule for connection names (CLIENT SETNAME, HELLO SETNAME). */
public final class ClientNames {
    private static final CommandError INVALID =
            new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");

    private ClientNames() {
    }

    /** A name may be empty, or printable ASCII without spaces ('!' to '~'). */
    public static void validate(String name) {
        if (!isValid(name)) {
            throw INVALID;
        }
    }

    /** The rule of names, which CLIENT SETINFO applies to library names and versions too. */
    public static boolean isValid(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
