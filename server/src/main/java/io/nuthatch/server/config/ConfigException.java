package io.nuthatch.server.config;

/**
 * A directive value that cannot be accepted. The message is the reason as Redis words it ("argument
 * must be 'yes' or 'no'"), without the directive's name, which the caller adds in its own format
 * (a config file line, a CONFIG SET error).
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
