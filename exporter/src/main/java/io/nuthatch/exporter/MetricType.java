package io.nuthatch.exporter;

/** The metric types of the exposition formats that the exporter writes. */
public enum MetricType {
    GAUGE("gauge"),
    COUNTER("counter"),
    SUMMARY("summary"),
    HISTOGRAM("histogram");

    private final String exposed;

    MetricType(String exposed) {
        this.exposed = exposed;
    }

    /** The word of the TYPE line. */
    public String exposed() {
        return exposed;
    }
}
