package io.nuthatch.server.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of percentiles, 0 to 100 (latency-tracking-info-percentiles "50 99 99.9"). Given as
 * several arguments in a config file or as one space-separated CONFIG SET argument; may be empty.
 * CONFIG GET shows each number in its shortest form ("50 99.9").
 */
public final class PercentileListDirective extends ConfigDirective {
    /** What C's strtod reads as a finite decimal number, which is what Redis accepts. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private volatile double[] percentiles;

    public PercentileListDirective(String name, double... defaults) {
        super(name);
        this.percentiles = defaults.clone();
    }

    /** The percentiles, in the order given; do not modify. */
    public double[] value() {
        return percentiles;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        List<Double> parsed = new ArrayList<>();
        for (String argument : arguments) {
            for (String word : argument.trim().split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (!DECIMAL.matcher(word).matches()) {
                    throw new ConfigException("Invalid " + name() + " parameters");
                }
                double value = Double.parseDouble(word);
                if (value < 0 || value > 100) {
                    throw new ConfigException(name() + " parameters should sit between [0.0,100.0]");
                }
                parsed.add(value);
            }
        }
        double[] values = new double[parsed.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = parsed.get(i);
        }
        percentiles = values;
    }

    @Override
    public String get() {
        StringBuilder text = new StringBuilder();
        for (double percentile : percentiles) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(shortest(percentile));
        }
        return text.toString();
    }

    /** A percentile in its shortest decimal form: 50, 99.9. */
    public static String shortest(double percentile) {
        return BigDecimal.valueOf(percentile).stripTrailingZeros().toPlainString();
    }
}
