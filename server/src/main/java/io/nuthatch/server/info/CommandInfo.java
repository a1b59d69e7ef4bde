package io.nuthatch.server.info;

import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.config.PercentileListDirective;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * INFO commandstats, errorstats and latencystats: the per-command counters and latency
 * histograms, and the error replies by error code.
 *
 * <p>Commands are listed in command table order, each container's subcommands right after it
 * ("cmdstat_client|list"), as Redis walks its command table; only commands with activity appear.
 * Error codes are listed in byte order, as Redis's radix tree yields them.
 */
final class CommandInfo {
    private final Engine engine;

    CommandInfo(Engine engine) {
        this.engine = engine;
    }

    void commandStats(InfoFields out) {
        for (CommandSpec command : engine.commands().commands()) {
            commandStats(out, command);
            for (CommandSpec subcommand : command.subcommands().values()) {
                commandStats(out, subcommand);
            }
        }
    }

    private static void commandStats(InfoFields out, CommandSpec command) {
        CommandStats stats = command.stats();
        if (!stats.hasActivity()) {
            return;
        }
        double perCall = stats.calls() == 0 ? 0 : (double) stats.microseconds() / stats.calls();
        out.add("cmdstat_" + command.name(), "calls=" + stats.calls() + ",usec=" + stats.microseconds()
                + ",usec_per_call=" + InfoFields.fixed(perCall, 2) + ",rejected_calls=" + stats.rejectedCalls()
                + ",failed_calls=" + stats.failedCalls());
    }

    void errorStats(InfoFields out) {
        Map<String, long[]> sorted = new TreeMap<>(engine.stats().errorCounts());
        for (Map.Entry<String, long[]> error : sorted.entrySet()) {
            out.add("errorstat_" + error.getKey(), "count=" + error.getValue()[0]);
        }
    }

    /** Nothing while latency-tracking is off, as in Redis. */
    void latencyStats(InfoFields out) {
        if (!engine.config().latencyTracking.value()) {
            return;
        }
        List<Double> percentiles = engine.config().latencyTrackingInfoPercentiles.value();
        // The labels ("p99.9=") are the same for every command: formatted once per report.
        String[] labels = new String[percentiles.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i == 0 ? "p" : ",p") + PercentileListDirective.formatPercentile(percentiles.get(i)) + "=";
        }
        for (CommandSpec command : engine.commands().commands()) {
            latencyStats(out, command, percentiles, labels);
            for (CommandSpec subcommand : command.subcommands().values()) {
                latencyStats(out, subcommand, percentiles, labels);
            }
        }
    }

    private static void latencyStats(InfoFields out, CommandSpec command, List<Double> percentiles, String[] labels) {
        LatencyHistogram histogram = command.stats().latencies();
        if (histogram == null) {
            return;
        }
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < labels.length; i++) {
            value.append(labels[i]).append(InfoFields.fixed(histogram.microsAtPercentile(percentiles.get(i)), 3));
        }
        out.add("latency_percentiles_usec_" + command.name(), value.toString());
    }
}
