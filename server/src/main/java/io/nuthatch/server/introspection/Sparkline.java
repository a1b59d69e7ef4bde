package io.nuthatch.server.introspection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ASCII chart LATENCY GRAPH draws, as Redis's sparkline.c draws it, so the same samples give
 * the same picture byte for byte.
 *
 * <p>Each sample is one column. Its height is scaled between the lowest and the highest value into
 * rows x 3 steps; a column is drawn bottom-up with '|' for full rows and one of "_o#" (a third,
 * two thirds, a full row) at its top. Below the chart an empty line, then each sample's label
 * written downwards, one character per line, until the longest label ends. A series longer than
 * the width wraps into further charts, separated by an empty line, each scaled to the whole series.
 */
final class Sparkline {
    private static final char[] FILL = {'_', 'o', '#'};

    private final List<Double> values = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private double min;
    private double max;

    void add(double value, String label) {
        if (values.isEmpty()) {
            min = value;
            max = value;
        } else if (value < min) {
            min = value;
        } else if (value > max) {
            max = value;
        }
        values.add(value);
        labels.add(label);
    }

    /** Appends the chart, {@code columns} wide and {@code rows} high, to {@code out}. */
    void render(StringBuilder out, int columns, int rows) {
        for (int from = 0; from < values.size(); from += columns) {
            if (from != 0) {
                out.append('\n');
            }
            renderRange(out, rows, from, Math.min(columns, values.size() - from));
        }
    }

    private void renderRange(StringBuilder out, int rows, int from, int width) {
        double range = max - min == 0 ? 1 : max - min;
        int steps = FILL.length * rows;
        char[] line = new char[width];
        for (int row = 0; ; row++) {
            Arrays.fill(line, ' ');
            boolean drawn = false;
            if (row < rows) {
                drawn = width > 0;
                for (int j = 0; j < width; j++) {
                    int step = step(values.get(from + j) - min, steps, range);
                    int fill = step - (rows - row - 1) * FILL.length;
                    if (fill >= 0 && fill < FILL.length) {
                        line[j] = FILL[fill];
                    } else if (fill >= FILL.length) {
                        line[j] = '|';
                    }
                }
            } else if (row == rows) {
                // The blank line between the chart and its labels (every sample has a label).
                drawn = width > 0;
            } else {
                int at = row - rows - 1;
                for (int j = 0; j < width; j++) {
                    String label = labels.get(from + j);
                    if (label.length() > at) {
                        drawn = true;
                        line[j] = label.charAt(at);
                    }
                }
            }
            if (!drawn) {
                return;
            }
            out.append(line).append('\n');
        }
    }

    /** Redis's {@code (int)(relval*steps)/relmax}: the product truncated before the division. */
    private static int step(double relative, int steps, double range) {
        int step = (int) ((double) (int) (relative * steps) / range);
        return Math.max(0, Math.min(steps - 1, step));
    }
}
