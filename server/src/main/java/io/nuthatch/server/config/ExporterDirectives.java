package io.nuthatch.server.config;

/**
 * Nuthatch's own directives for its built-in Prometheus exporter (Redis has none: redis_exporter
 * runs beside it, on port 9121 by default, which these keep). They are hidden, as Redis hides its
 * testing directives: CONFIG GET answers them by their exact name only, so CONFIG GET * lists
 * what redis-server lists and tools that compare configurations see no stranger.
 */
public final class ExporterDirectives {
    /** HTTP port of /metrics, /health and /ready; 0 turns the exporter off. */
    public final IntegerDirective exporterPort;
    /** The address the exporter listens on; "*" is every interface, as redis_exporter listens. */
    public final StringDirective exporterBind;

    ExporterDirectives(DirectiveRegistry registry) {
        exporterPort = registry.add(new IntegerDirective("exporter-port", 9121, 0, 65535)).hidden().immutable();
        exporterBind = registry.add(new StringDirective("exporter-bind", "*")).hidden().immutable();
    }
}
