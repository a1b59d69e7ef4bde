package io.nuthatch.server.command.server;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks credentials for AUTH and HELLO AUTH. There is one user so far, "default", whose password
 * is requirepass; with no requirepass it accepts any password, as Redis's nopass default user does.
 */
final class Authentication {
    static final CommandError WRONG_PASSWORD =
            new CommandError("WRONGPASS invalid username-password pair or user is disabled.");

    private Authentication() {
    }

    /** Authenticates the client or throws WRONGPASS. */
    static void authenticate(CommandContext c, String user, String password) {
        String required = c.engine().config().requirepass.value();
        boolean accepted = user.equals("default") && (required.isEmpty() || constantTimeEquals(required, password));
        if (!accepted) {
            c.engine().stats().aclDeniedAuth++;
            throw WRONG_PASSWORD;
        }
        c.client().authenticated(user);
    }

    /** Compares secrets in time that does not depend on where they differ. */
    private static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.ISO_8859_1), given.getBytes(StandardCharsets.ISO_8859_1));
    }
}
