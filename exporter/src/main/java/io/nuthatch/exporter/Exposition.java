package io.nuthatch.exporter;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes metric families in Prometheus's text format 0.0.4 or in OpenMetrics 1.0, chosen by the
 * scrape's Accept header as Prometheus asks (it prefers OpenMetrics).
 *
 * <p>We write the exposition ourselves rather than through a client library because the names are
 * the contract: libraries append "_total" to counters (simpleclient does, and OpenMetrics requires
 * it of counter samples), which would rename redis_exporter's counters that lack it
 * (redis_total_error_replies, redis_unexpected_error_replies ...) and break the queries written
 * against them. In OpenMetrics, a counter whose name lacks "_total" is therefore declared
 * "unknown": the only type under which the sample keeps its name. In the text format every
 * counter is declared "counter", as redis_exporter declares it.
 */
public final class Exposition {
    public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** The two formats. */
    public enum Format {
        TEXT(TEXT_CONTENT_TYPE),
        OPENMETRICS(OPENMETRICS_CONTENT_TYPE);

        private final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        public String contentType() {
            return contentType;
        }

        /** OpenMetrics when the Accept header names it (as Prometheus's scrapes do), else text. */
        public static Format forAccept(String accept) {
            return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
        }
    }

    private Exposition() {
    }

    /** Writes the families; OpenMetrics' closing "# EOF" is left to the caller (more may follow). */
    public static void write(List<MetricFamily> families, Format format, Writer out) throws IOException {
        for (MetricFamily family : families) {
            if (family.samples().isEmpty()) {
                continue;
            }
            String declared = family.name();
            String type = family.type().exposed();
            if (format == Format.OPENMETRICS && family.type() == MetricType.COUNTER) {
                if (declared.endsWith("_total")) {
                    declared = declared.substring(0, declared.length() - "_total".length());
                } else {
                    type = "unknown";
                }
            }
            out.write("# HELP ");
            out.write(declared);
            out.write(' ');
            writeEscaped(out, family.help(), false);
            out.write("\n# TYPE ");
            out.write(declared);
            out.write(' ');
            out.write(type);
            out.write('\n');
            for (MetricFamily.Sample sample : family.samples()) {
                out.write(family.name());
                out.write(sample.suffix());
                writeLabels(out, sample.labels());
                out.write(' ');
                out.write(number(sample.value()));
                out.write('\n');
            }
        }
    }

    /** OpenMetrics' last line. */
    public static void writeEnd(Format format, Writer out) throws IOException {
        if (format == Format.OPENMETRICS) {
            out.write("# EOF\n");
        }
    }

    private static void writeLabels(Writer out, List<String> labels) throws IOException {
        if (labels.isEmpty()) {
            return;
        }
        out.write('{');
        for (int i = 0; i < labels.size(); i += 2) {
            if (i > 0) {
                out.write(',');
            }
            out.write(labels.get(i));
            out.write("=\"");
            writeEscaped(out, labels.get(i + 1), true);
            out.write('"');
        }
        out.write('}');
    }

    private static void writeEscaped(Writer out, String text, boolean quote) throws IOException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.write("\\\\");
                case '\n' -> out.write("\\n");
                case '"' -> out.write(quote ? "\\\"" : "\"");
                default -> out.write(c);
            }
        }
    }

    /** Integral values as integers (byte counts stay readable), others in the shortest exact form. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 0x1p53) {
            return Long.toString((long) value);
        }
        return Double.toString(value).replace('E', 'e');
    }
}
