package io.nuthatch.server.command;

/** The rule for connection names (CLIENT SETNAME, HELLO SETNAME). */
final class ClientNames {
    private static final CommandError INVALID =
            new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");

    private ClientNames() {
    }

    /** A name may be empty, or printable ASCII without spaces ('!' to '~'). */
    static void validate(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                throw INVALID;
            }
        }
    }
}
