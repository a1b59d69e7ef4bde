package io.nuthatch.server;

/**
 * The server cannot start with this configuration; the message is the last line redis-server logs
 * for the same cause (the reason itself is already in the log).
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }
}
