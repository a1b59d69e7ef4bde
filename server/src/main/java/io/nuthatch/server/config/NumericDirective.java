package io.nuthatch.server.config;

import io.nuthatch.server.type.NumericStrings;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A number with an inclusive range, parsed and shown as Redis's numeric configs are.
 *
 * <p>Redis stores these in C types of several widths and signedness, and it shows through the
 * error texts: an unsigned directive (maxclients, the size_t ones, maxmemory) compares the value
 * as unsigned, so -1 is "between 1 and 4294967295" rather than "couldn't be parsed". The value is
 * kept in a long holding the same 64 bits.
 */
public abstract class NumericDirective extends ConfigDirective {
    private final long defaultValue;
    private final long minimum;
    private final long maximum;
    private boolean unsigned;
    private volatile long value;

    NumericDirective(String name, long defaultValue, long minimum, long maximum) {
        super(name);
        this.defaultValue = defaultValue;
        this.value = defaultValue;
        this.minimum = minimum;
        this.maximum = maximum;
    }

    /** Compares the value with its range as unsigned numbers, as Redis does for its unsigned types. */
    final void markUnsigned() {
        unsigned = true;
    }

    public final long value() {
        return value;
    }

    final long minimum() {
        return minimum;
    }

    public final long defaultValue() {
        return defaultValue;
    }

    /** Stores a value already checked (a clamp after set, as hz). */
    final void store(long newValue) {
        value = newValue;
    }

    /** Parses the text into the stored form; throws with Redis's reason when it is not a number of this kind. */
    abstract long parse(String text) throws ConfigException;

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        long parsed = parse(single(arguments));
        checkRange(parsed);
        value = parsed;
    }

    void checkRange(long parsed) throws ConfigException {
        boolean outside = unsigned
                ? Long.compareUnsigned(parsed, minimum) < 0 || Long.compareUnsigned(parsed, maximum) > 0
                : parsed < minimum || parsed > maximum;
        if (outside) {
            throw new ConfigException("argument must be between " + bound(minimum) + " and " + bound(maximum)
                    + " inclusive");
        }
    }

    /** A bound as the range error prints it. */
    String bound(long limit) {
        return unsigned ? Long.toUnsignedString(limit) : Long.toString(limit);
    }

    @Override
    public boolean isDefault() {
        return value == defaultValue;
    }

    /** string2ll: a canonical decimal integer, nothing else. */
    static long parseInteger(String text) throws ConfigException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return NumericStrings.parseLong(bytes, 0, bytes.length);
        } catch (NumberFormatException notANumber) {
            throw new ConfigException("argument couldn't be parsed into an integer");
        }
    }
}
