package io.nuthatch.server.config;

import java.util.List;

/** A directive whose value is free text (a path, a password, a name). */
public final class StringDirective extends ConfigDirective {
    private volatile String value;

    public StringDirective(String name, String defaultValue) {
        super(name);
        this.value = defaultValue;
    }

    public String value() {
        return value;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        value = single(arguments);
    }

    @Override
    public String get() {
        return value;
    }
}
