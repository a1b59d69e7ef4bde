package io.nuthatch.server.network;

/** The TLS settings cannot be used; the message is the line redis-server logs for the same cause. */
public final class TlsConfigurationException extends Exception {
    public TlsConfigurationException(String message) {
        super(message);
    }
}
