package io.nuthatch.server.config;

import java.util.List;

/** A yes/no directive. */
public final class BooleanDirective extends ConfigDirective {
    private volatile boolean value;

    public BooleanDirective(String name, boolean defaultValue) {
        super(name);
        this.value = defaultValue;
    }

    public boolean value() {
        return value;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        String text = single(arguments);
        if (text.equalsIgnoreCase("yes")) {
            value = true;
        } else if (text.equalsIgnoreCase("no")) {
            value = false;
        } else {
            throw new ConfigException("argument must be 'yes' or 'no'");
        }
    }

    @Override
    public String get() {
        return value ? "yes" : "no";
    }
}
