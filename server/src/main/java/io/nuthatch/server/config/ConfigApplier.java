package io.nuthatch.server.config;

/** Puts a value set by CONFIG SET into effect; see {@link ConfigDirective#onApply}. */
@FunctionalInterface
public interface ConfigApplier {
    /** @throws ConfigException with the reason CONFIG SET reports, when the value cannot take effect */
    void apply() throws ConfigException;
}
