package io.nuthatch.exporter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one reading of a {@link MetricsSource} into metric families, deriving each as
 * redis_exporter derives it from the same INFO: the fields of {@link InfoMetricTable} by name;
 * per command redis_commands_total, redis_commands_duration_seconds_total (seconds from usec),
 * redis_commands_rejected_calls_total and redis_commands_failed_calls_total; per error prefix
 * redis_errors_total; per command with latency percentiles the summary
 * redis_latency_percentiles_usec (quantile labels are the percentiles as INFO prints them, 50 and
 * 99.9, not 0.5; count and sum from commandstats); per database redis_db_keys,
 * redis_db_keys_expiring and redis_db_avg_ttl_seconds, with keys and expiring keys at 0 for each
 * database INFO does not list; redis_instance_info with its labels; redis_start_time_seconds; the
 * slow log and latency spike families; redis_config_maxmemory and redis_config_maxclients.
 *
 * <p>Statuses become numbers as redis_exporter reads them: "ok" and "true" are 1, "err", "fail"
 * and "false" are 0; a value that is no number is exported as 0, as redis_exporter does.
 */
public final class InfoCollector {
    private static final List<String> INSTANCE_LABELS = List.of("role", "redis_version", "redis_build_id", "redis_mode",
            "os", "maxmemory_policy", "tcp_port", "run_id", "process_id", "master_replid");

    private final Map<String, MetricFamily> families = new TreeMap<>();

    private InfoCollector() {
    }

    /** The families of one scrape, sorted by name as client libraries sort them. */
    public static List<MetricFamily> collect(MetricsSource source) {
        InfoCollector collector = new InfoCollector();
        collector.collectInfo(source.infoSections(), source.databases());
        collector.collectSlowlog(source.slowlog());
        collector.collectLatencySpikes(source.latencySpikes());
        for (MetricFamily own : NuthatchMetricTable.families(source.measurements())) {
            collector.families.put(own.name(), own);
        }
        return new ArrayList<>(collector.families.values());
    }

    private MetricFamily family(String name, MetricType type, String help) {
        return families.computeIfAbsent(name, n -> new MetricFamily(n, type, help));
    }

    private void collectInfo(Map<String, Map<String, String>> sections, int databases) {
        Map<String, CommandFigures> commands = new TreeMap<>();
        for (Map.Entry<String, Map<String, String>> section : sections.entrySet()) {
            for (Map.Entry<String, String> field : section.getValue().entrySet()) {
                String name = field.getKey();
                String value = field.getValue();
                switch (section.getKey()) {
                    case "commandstats" -> commandStats(name, value, commands);
                    case "errorstats" -> errorStats(name, value);
                    case "latencystats" -> latencyStats(name, value, commands);
                    case "keyspace" -> keyspace(name, value);
                    default -> plainField(name, value);
                }
            }
        }
        for (Map.Entry<String, CommandFigures> command : commands.entrySet()) {
            command.getValue().writeSummary(command.getKey(), this);
        }
        for (int db = 0; db < databases; db++) {
            String label = "db" + db;
            if (!sections.getOrDefault("keyspace", Map.of()).containsKey(label)) {
                family("redis_db_keys", MetricType.GAUGE, "Total number of keys by DB").add(0, "db", label);
                family("redis_db_keys_expiring", MetricType.GAUGE, "Total number of expiring keys by DB").add(0, "db", label);
            }
        }
        instanceInfo(sections);
    }

    private void plainField(String name, String value) {
        InfoMetricTable.Row row = InfoMetricTable.forField(name);
        if (row != null) {
            family(row.metric(), row.type(), "INFO field " + name).add(number(value));
        } else if (name.startsWith("cluster_")) {
            family("redis_" + name, MetricType.GAUGE, "INFO field " + name).add(number(value));
        }
        switch (name) {
            case "uptime_in_seconds" -> family("redis_start_time_seconds", MetricType.GAUGE,
                    "Start time of the server since the unix epoch in seconds")
                    .add(System.currentTimeMillis() / 1000 - number(value));
            case "hz" -> family("redis_hz", MetricType.GAUGE, "INFO field hz").add(number(value));
            case "configured_hz" -> family("redis_configured_hz", MetricType.GAUGE, "INFO field configured_hz")
                    .add(number(value));
            case "maxmemory" -> family("redis_config_maxmemory", MetricType.GAUGE, "CONFIG maxmemory").add(number(value));
            case "maxclients" -> family("redis_config_maxclients", MetricType.GAUGE, "CONFIG maxclients").add(number(value));
            default -> { }
        }
    }

    /** cmdstat_get:calls=21,usec=175,usec_per_call=8.33,rejected_calls=0,failed_calls=0 */
    private void commandStats(String name, String value, Map<String, CommandFigures> commands) {
        if (!name.startsWith("cmdstat_")) {
            return;
        }
        String command = name.substring("cmdstat_".length());
        Map<String, String> figures = pairs(value);
        CommandFigures entry = commands.computeIfAbsent(command, c -> new CommandFigures());
        entry.calls = number(figures.get("calls"));
        entry.usec = number(figures.get("usec"));
        family("redis_commands_total", MetricType.COUNTER, "Total number of calls per command")
                .add(entry.calls, "cmd", command);
        family("redis_commands_duration_seconds_total", MetricType.COUNTER, "Total amount of time in seconds spent per command")
                .add(entry.usec / 1e6, "cmd", command);
        if (figures.containsKey("rejected_calls") && figures.containsKey("failed_calls")) {
            family("redis_commands_rejected_calls_total", MetricType.COUNTER, "Rejected calls per command")
                    .add(number(figures.get("rejected_calls")), "cmd", command);
            family("redis_commands_failed_calls_total", MetricType.COUNTER, "Failed calls per command")
                    .add(number(figures.get("failed_calls")), "cmd", command);
        }
    }

    /** errorstat_ERR:count=4 */
    private void errorStats(String name, String value) {
        if (name.startsWith("errorstat_")) {
            family("redis_errors_total", MetricType.COUNTER, "Total number of errors per error prefix")
                    .add(number(pairs(value).get("count")), "err", name.substring("errorstat_".length()));
        }
    }

    /** latency_percentiles_usec_get:p50=1.003,p99=3.007,p99.9=4.015 */
    private void latencyStats(String name, String value, Map<String, CommandFigures> commands) {
        String prefix = "latency_percentiles_usec_";
        if (name.startsWith(prefix)) {
            CommandFigures entry = commands.computeIfAbsent(name.substring(prefix.length()), c -> new CommandFigures());
            entry.percentiles = new TreeMap<>();
            for (Map.Entry<String, String> percentile : pairs(value).entrySet()) {
                if (percentile.getKey().startsWith("p")) {
                    entry.percentiles.put(number(percentile.getKey().substring(1)), number(percentile.getValue()));
                }
            }
        }
    }

    /** db0:keys=1,expires=0,avg_ttl=0 (avg_ttl in milliseconds). */
    private void keyspace(String name, String value) {
        if (!name.startsWith("db")) {
            return;
        }
        Map<String, String> figures = pairs(value);
        if (!figures.containsKey("keys") || !figures.containsKey("expires")) {
            return;
        }
        family("redis_db_keys", MetricType.GAUGE, "Total number of keys by DB").add(number(figures.get("keys")), "db", name);
        family("redis_db_keys_expiring", MetricType.GAUGE, "Total number of expiring keys by DB")
                .add(number(figures.get("expires")), "db", name);
        if (figures.containsKey("avg_ttl")) {
            family("redis_db_avg_ttl_seconds", MetricType.GAUGE, "Avg TTL in seconds")
                    .add(number(figures.get("avg_ttl")) / 1000, "db", name);
        }
        String withExpiringItems = figures.getOrDefault("subexpiry", figures.get("keys_with_volatile_items"));
        if (withExpiringItems != null) {
            family("redis_db_keys_with_expiring_items", MetricType.GAUGE, "Keys with expiring items by DB")
                    .add(number(withExpiringItems), "db", name);
        }
    }

    private void instanceInfo(Map<String, Map<String, String>> sections) {
        Map<String, String> all = new TreeMap<>();
        for (Map<String, String> fields : sections.values()) {
            all.putAll(fields);
        }
        if (all.isEmpty()) {
            return;
        }
        String[] labels = new String[INSTANCE_LABELS.size() * 2];
        for (int i = 0; i < INSTANCE_LABELS.size(); i++) {
            labels[2 * i] = INSTANCE_LABELS.get(i);
            labels[2 * i + 1] = all.getOrDefault(INSTANCE_LABELS.get(i), "");
        }
        family("redis_instance_info", MetricType.GAUGE, "Information about the server").add(1, labels);
    }

    private void collectSlowlog(MetricsSource.SlowlogFigures slowlog) {
        family("redis_slowlog_length", MetricType.GAUGE, "Total slowlog").add(slowlog.length());
        family("redis_slowlog_last_id", MetricType.GAUGE, "Last id of slowlog").add(slowlog.lastId());
        family("redis_last_slow_execution_duration_seconds", MetricType.GAUGE,
                "The amount of time needed for last slow execution, in seconds").add(slowlog.lastDurationMicros() / 1e6);
    }

    private void collectLatencySpikes(List<MetricsSource.LatencySpike> spikes) {
        for (MetricsSource.LatencySpike spike : spikes) {
            family("redis_latency_spike_last", MetricType.GAUGE, "When the latency spike last occurred")
                    .add(spike.lastEpochSeconds(), "event_name", spike.event());
            family("redis_latency_spike_duration_seconds", MetricType.GAUGE, "Length of the last latency spike in seconds")
                    .add(spike.latestMillis() / 1e3, "event_name", spike.event());
        }
    }

    /** "a=1,b=2" as a map, in order. */
    private static Map<String, String> pairs(String value) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                pairs.put(part.substring(0, equals), part.substring(equals + 1));
            }
        }
        return pairs;
    }

    /** A value as redis_exporter reads it: statuses as 1 or 0, numbers as numbers, anything else 0. */
    static double number(String value) {
        if (value == null) {
            return 0;
        }
        switch (value) {
            case "ok", "true":
                return 1;
            case "err", "fail", "false":
                return 0;
            default:
                try {
                    return Double.parseDouble(value);
                } catch (NumberFormatException notANumber) {
                    return 0;
                }
        }
    }

    /** What commandstats and latencystats say of one command: the summary needs both. */
    private static final class CommandFigures {
        double calls = Double.NaN;
        double usec = Double.NaN;
        TreeMap<Double, Double> percentiles;

        void writeSummary(String command, InfoCollector collector) {
            if (percentiles == null || Double.isNaN(calls)) {
                return;
            }
            MetricFamily summary = collector.family("redis_latency_percentiles_usec", MetricType.SUMMARY,
                    "A summary of latency percentile distribution per command");
            for (Map.Entry<Double, Double> percentile : percentiles.entrySet()) {
                summary.add(percentile.getValue(), "cmd", command, "quantile", Exposition.number(percentile.getKey()));
            }
            summary.add("_sum", usec, "cmd", command);
            summary.add("_count", calls, "cmd", command);
        }
    }
}
