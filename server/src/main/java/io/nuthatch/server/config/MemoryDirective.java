package io.nuthatch.server.config;

import java.util.List;

/** A size in bytes, written with or without a unit: 384mb, 1gb, 64k, 1048576. */
public final class MemoryDirective extends ConfigDirective {
    private final long minimum;
    private final long maximum;
    private volatile long bytes;

    public MemoryDirective(String name, long defaultBytes, long minimum, long maximum) {
        super(name);
        this.bytes = defaultBytes;
        this.minimum = minimum;
        this.maximum = maximum;
    }

    public long value() {
        return bytes;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        long parsed = MemorySize.parse(single(arguments));
        if (parsed < 0) {
            throw new ConfigException("argument must be a memory value");
        }
        if (parsed < minimum || parsed > maximum) {
            throw new ConfigException("argument must be between " + minimum + " and " + maximum + " inclusive");
        }
        bytes = parsed;
    }

    @Override
    public String get() {
        return Long.toString(bytes);
    }
}
