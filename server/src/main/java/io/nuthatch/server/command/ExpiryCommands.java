package io.nuthatch.server.command;

/**
 * Expiry of keys: EXPIRE and its variants, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
 */
public final class ExpiryCommands {
    private ExpiryCommands() {
    }

    static void register(CommandTable.Registry table) {
    }
}
