package io.nuthatch.server.command.server;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;

/**
 * Checks credentials for AUTH and HELLO AUTH against the users of the ACL (the default user's
 * password is requirepass; with none it is nopass and accepts any password, as in Redis).
 */
final class Authentication {
    static final CommandError WRONG_PASSWORD =
            new CommandError("WRONGPASS invalid username-password pair or user is disabled.");

    private Authentication() {
    }

    /** Authenticates the client or throws WRONGPASS. */
    static void authenticate(CommandContext c, String user, String password) {
        if (!c.engine().acl().accepts(user, password)) {
            c.engine().stats().aclDeniedAuth++;
            c.engine().acl().authenticationFailed(c.client(), user);
            throw WRONG_PASSWORD;
        }
        c.client().authenticated(user);
    }
}
