package io.nuthatch.server.config;

import java.util.List;

/** An integer directive with an inclusive range. */
public final class IntegerDirective extends ConfigDirective {
    private final long minimum;
    private final long maximum;
    private volatile long value;

    public IntegerDirective(String name, long defaultValue, long minimum, long maximum) {
        super(name);
        this.value = defaultValue;
        this.minimum = minimum;
        this.maximum = maximum;
    }

    public long value() {
        return value;
    }

    public int intValue() {
        return (int) value;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        long parsed;
        try {
            parsed = Long.parseLong(single(arguments));
        } catch (NumberFormatException e) {
            throw new ConfigException("argument couldn't be parsed into an integer");
        }
        if (parsed < minimum || parsed > maximum) {
            throw new ConfigException("argument must be between " + minimum + " and " + maximum + " inclusive");
        }
        value = parsed;
    }

    @Override
    public String get() {
        return Long.toString(value);
    }
}
