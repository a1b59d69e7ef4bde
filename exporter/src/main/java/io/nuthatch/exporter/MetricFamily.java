package io.nuthatch.exporter;

import java.util.ArrayList;
import java.util.List;

/**
 * One metric family of a scrape: its name, type, help and samples. A sample's name is the
 * family's plus a suffix ("" for gauges and counters, "_sum", "_count" or "_bucket" for summaries
 * and histograms); labels are name/value pairs in the order they are written.
 */
public final class MetricFamily {

    /** One line of the exposition. */
    public record Sample(String suffix, List<String> labels, double value) {
    }

    private final String name;
    private final MetricType type;
    private final String help;
    private final List<Sample> samples = new ArrayList<>();

    public MetricFamily(String name, MetricType type, String help) {
        this.name = name;
        this.type = type;
        this.help = help;
    }

    public String name() {
        return name;
    }

    public MetricType type() {
        return type;
    }

    public String help() {
        return help;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Adds a sample; {@code labels} alternate names and values. */
    public MetricFamily add(double value, String... labels) {
        samples.add(new Sample("", List.of(labels), value));
        return this;
    }

    /** Adds a sample of a derived series (_sum, _count, _bucket). */
    public MetricFamily add(String suffix, double value, String... labels) {
        samples.add(new Sample(suffix, List.of(labels), value));
        return this;
    }
}
