package io.nuthatch.server.config;

import java.util.List;

/** oom-score-adj-values: three numbers from -2000 to 2000 (for a primary, a replica, a background child). */
public final class OomScoreAdjValuesDirective extends ConfigDirective {
    private static final List<Integer> DEFAULTS = List.of(0, 200, 800);

    private volatile List<Integer> values = DEFAULTS;

    public OomScoreAdjValuesDirective() {
        super("oom-score-adj-values", true);
    }

    public List<Integer> value() {
        return values;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        if (arguments.size() != 3) {
            throw new ConfigException("wrong number of arguments");
        }
        Integer[] parsed = new Integer[3];
        for (int i = 0; i < 3; i++) {
            CLibraryNumbers.Parsed number = CLibraryNumbers.strtoll(arguments.get(i), 10);
            if (!number.consumedAll(arguments.get(i)) || number.value() < -2000 || number.value() > 2000) {
                throw new ConfigException("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            parsed[i] = (int) number.value();
        }
        values = List.of(parsed);
    }

    @Override
    public String get() {
        return values.get(0) + " " + values.get(1) + " " + values.get(2);
    }

    @Override
    public boolean isDefault() {
        return values.equals(DEFAULTS);
    }
}
