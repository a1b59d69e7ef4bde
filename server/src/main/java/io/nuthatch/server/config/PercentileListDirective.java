package io.nuthatch.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * latency-tracking-info-percentiles: the percentiles INFO latencystats reports, numbers from 0 to
 * 100 ("50 99 99.9"); "" for none.
 */
public final class PercentileListDirective extends ConfigDirective {
    private static final List<Double> DEFAULTS = List.of(50.0, 99.0, 99.9);
    /** What Redis's string2d (strtod, whole string, no leading blank) accepts, hexadecimal floats aside. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INFINITY = Pattern.compile("[+-]?(inf|infinity)", Pattern.CASE_INSENSITIVE);

    private volatile List<Double> percentiles = DEFAULTS;

    public PercentileListDirective() {
        super("latency-tracking-info-percentiles", true);
    }

    public List<Double> value() {
        return percentiles;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        List<String> words = arguments.size() == 1 && arguments.get(0).isEmpty() ? List.of() : arguments;
        List<Double> parsed = new ArrayList<>();
        for (String word : words) {
            double percentile;
            if (DECIMAL.matcher(word).matches()) {
                percentile = Double.parseDouble(word);
            } else if (INFINITY.matcher(word).matches()) {
                percentile = word.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            } else {
                throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (percentile > 100.0 || percentile < 0.0) {
                throw new ConfigException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            parsed.add(percentile);
        }
        percentiles = List.copyOf(parsed);
    }

    @Override
    public String get() {
        StringBuilder text = new StringBuilder();
        for (double percentile : percentiles) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(formatPercentile(percentile));
        }
        return text.toString();
    }

    /** C's "%f" without the trailing zeros and point, as Redis prints percentiles (here and in INFO). */
    public static String formatPercentile(double value) {
        String fixed = String.format(Locale.ROOT, "%f", value);
        if (fixed.indexOf('.') >= 0) {
            int end = fixed.length();
            while (fixed.charAt(end - 1) == '0') {
                end--;
            }
            if (fixed.charAt(end - 1) == '.') {
                end--;
            }
            fixed = fixed.substring(0, end);
        }
        return fixed;
    }

    @Override
    public boolean isDefault() {
        return percentiles.equals(DEFAULTS);
    }

    /** Always written, and {@code ""} when empty, so that the defaults do not come back. */
    @Override
    protected void rewrite(ConfigRewrite rewrite) {
        rewrite.line(name(), name() + " " + (percentiles.isEmpty() ? "\"\"" : get()), true);
    }
}
