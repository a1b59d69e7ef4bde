package io.nuthatch.server.config;

import java.util.List;

/** An integer directive with an inclusive range, written in decimal (or octal, for unixsocketperm). */
public final class IntegerDirective extends NumericDirective {
    private boolean octal;
    private long clampMinimum = Long.MIN_VALUE;
    private long clampMaximum = Long.MAX_VALUE;

    public IntegerDirective(String name, long defaultValue, long minimum, long maximum) {
        super(name, defaultValue, minimum, maximum);
    }

    /** Compares the value with its range as an unsigned number (Redis's unsigned and size_t directives). */
    public IntegerDirective unsigned() {
        markUnsigned();
        return this;
    }

    /** Reads and shows the value in octal (unixsocketperm 700). */
    public IntegerDirective octal() {
        octal = true;
        return this;
    }

    /**
     * Accepts the whole range but keeps the value within these bounds, as Redis treats hz: a hint it
     * caps to what it can do (1 to 500).
     */
    public IntegerDirective clampedTo(long lowest, long highest) {
        clampMinimum = lowest;
        clampMaximum = highest;
        return this;
    }

    public int intValue() {
        return (int) value();
    }

    @Override
    long parse(String text) throws ConfigException {
        if (!octal) {
            return parseInteger(text);
        }
        CLibraryNumbers.Parsed parsed = CLibraryNumbers.strtoll(text, 8);
        if (parsed.overflow() || !parsed.consumedAll(text)) {
            throw new ConfigException("argument couldn't be parsed as an octal number");
        }
        return parsed.value();
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        super.apply(arguments);
        store(Math.max(clampMinimum, Math.min(clampMaximum, value())));
    }

    @Override
    String bound(long limit) {
        return octal ? Long.toOctalString(limit) : super.bound(limit);
    }

    @Override
    public String get() {
        return octal ? Long.toOctalString(value()) : Long.toString(value());
    }
}
