package io.nuthatch.server.config;

import java.util.List;

/** A yes/no directive. */
public final class BooleanDirective extends ConfigDirective {
    private final boolean defaultValue;
    private volatile boolean value;
    private String refusedYes;

    public BooleanDirective(String name, boolean defaultValue) {
        super(name);
        this.defaultValue = defaultValue;
        this.value = defaultValue;
    }

    /**
     * Refuses "yes" with the given reason, as Redis refuses activedefrag without its allocator, and
     * as Nuthatch refuses what it cannot do and must not pretend to (cluster-enabled).
     */
    public BooleanDirective refusingYes(String reason) {
        refusedYes = reason;
        return this;
    }

    public boolean value() {
        return value;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        String text = ConfigSyntax.cString(single(arguments));
        boolean parsed;
        if (text.equalsIgnoreCase("yes")) {
            parsed = true;
        } else if (text.equalsIgnoreCase("no")) {
            parsed = false;
        } else {
            throw new ConfigException("argument must be 'yes' or 'no'");
        }
        if (parsed && refusedYes != null) {
            throw new ConfigException(refusedYes);
        }
        value = parsed;
    }

    @Override
    public String get() {
        return value ? "yes" : "no";
    }

    @Override
    public boolean isDefault() {
        return value == defaultValue;
    }
}
