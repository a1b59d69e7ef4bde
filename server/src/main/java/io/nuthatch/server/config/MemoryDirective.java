package io.nuthatch.server.config;

/**
 * A size in bytes, written with or without a unit: 384mb, 1gb, 64k, 1048576. A directive made
 * {@link #percent()} also takes a percentage ("5%"), kept as a negative number as Redis keeps it.
 */
public final class MemoryDirective extends NumericDirective {
    private boolean percent;

    public MemoryDirective(String name, long defaultBytes, long minimum, long maximum) {
        super(name, defaultBytes, minimum, maximum);
    }

    /** Compares the value with its range as an unsigned number (Redis's unsigned and size_t directives). */
    public MemoryDirective unsigned() {
        markUnsigned();
        return this;
    }

    /** Also accepts "n%" (maxmemory-clients: a share of maxmemory). */
    public MemoryDirective percent() {
        percent = true;
        return this;
    }

    /** Whether the value is a percentage; {@link #percentage()} then gives it. */
    public boolean isPercentage() {
        return percent && value() < 0;
    }

    public long percentage() {
        return -value();
    }

    @Override
    long parse(String text) throws ConfigException {
        try {
            return MemorySize.parse(ConfigSyntax.cString(text));
        } catch (NumberFormatException notASize) {
            if (percent && text.length() > 1 && text.endsWith("%")) {
                try {
                    long share = parseInteger(text.substring(0, text.length() - 1));
                    if (share >= 0) {
                        return -share;
                    }
                } catch (ConfigException notAPercentage) {
                    // reported below, as Redis words it
                }
            }
            throw new ConfigException(percent ? "argument must be a memory or percent value"
                    : "argument must be a memory value");
        }
    }

    @Override
    void checkRange(long parsed) throws ConfigException {
        if (percent && parsed < 0) {
            if (parsed < minimum()) {
                throw new ConfigException("percentage argument must be less or equal to " + -minimum());
            }
            return;
        }
        super.checkRange(parsed);
    }

    @Override
    public String get() {
        return isPercentage() ? percentage() + "%" : Long.toUnsignedString(value());
    }

    @Override
    protected String rewriteValue() {
        return isPercentage() ? percentage() + "%" : MemorySize.format(value());
    }
}
