package io.nuthatch.server.command.server;

import io.nuthatch.exporter.MetricsSource.LatencySpike;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.info.LatencyHistogram;
import io.nuthatch.server.introspection.LatencyMonitor;
import io.nuthatch.server.introspection.LatencyReport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * LATENCY LATEST/HISTORY/RESET/GRAPH/DOCTOR/HISTOGRAM/HELP over the engine's {@link LatencyMonitor}
 * and the per-command latency histograms, with Redis 7.0's replies.
 */
public final class LatencyCommands {
    private static final String[] HELP = {
        "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
        "    If no commands are specified then all histograms are replied.",
        "HELP",
        "    Prints this help.",
    };

    private LatencyCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.subcommand("latency", "latest", "Returns the latest sample and the highest latency of each event.", "O(1)",
                LatencyCommands::latest);
        table.subcommand("latency", "history", "Returns the samples of an event, one per second, oldest first.", "O(1)",
                LatencyCommands::history);
        table.subcommand("latency", "reset", "Forgets the samples of the events named, or of all.", "O(1)",
                LatencyCommands::reset);
        table.subcommand("latency", "graph", "Draws the samples of an event as an ASCII chart.", "O(1)",
                LatencyCommands::graph);
        table.subcommand("latency", "doctor", "Reports the latency events seen, in words, with advice.", "O(1)",
                LatencyCommands::doctor);
        table.subcommand("latency", "histogram", "Returns the cumulative latency distribution of the commands named,"
                + " or of all that ran.", "O(N) where N is the number of commands with latency information",
                LatencyCommands::histogram);
        table.subcommand("latency", "help", "Describes the LATENCY subcommands.", "O(1)", LatencyCommands::help);
    }

    static void latest(CommandContext c) {
        LatencyMonitor monitor = c.engine().introspection().latencyMonitor();
        List<LatencySpike> latest = monitor.latest();
        ReplyWriter reply = c.reply();
        reply.arrayHeader(latest.size());
        for (LatencySpike spike : latest) {
            reply.arrayHeader(4);
            reply.bulk(spike.event().getBytes(StandardCharsets.US_ASCII));
            reply.integer(spike.lastEpochSeconds());
            reply.integer(spike.latestMillis());
            reply.integer(monitor.max(spike.event()));
        }
    }

    static void history(CommandContext c) {
        List<LatencyMonitor.Sample> samples = c.engine().introspection().latencyMonitor().history(c.argumentText(2));
        ReplyWriter reply = c.reply();
        reply.arrayHeader(samples.size());
        for (LatencyMonitor.Sample sample : samples) {
            reply.arrayHeader(2);
            reply.integer(sample.unixSeconds());
            reply.integer(sample.millis());
        }
    }

    static void graph(CommandContext c) {
        String event = c.argumentText(2);
        String graph = LatencyReport.graph(c.engine().introspection().latencyMonitor(), event,
                System.currentTimeMillis() / 1000);
        if (graph == null) {
            throw new CommandError("ERR No samples available for event '" + event + "'");
        }
        c.reply().verbatim("txt", graph.getBytes(StandardCharsets.UTF_8));
    }

    static void doctor(CommandContext c) {
        String report = LatencyReport.doctor(c.engine().introspection().latencyMonitor(), c.config(),
                System.currentTimeMillis() / 1000);
        c.reply().verbatim("txt", report.getBytes(StandardCharsets.UTF_8));
    }

    static void reset(CommandContext c) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < c.argumentCount(); i++) {
            names.add(c.argumentText(i));
        }
        c.reply().integer(c.engine().introspection().latencyMonitor().reset(names));
    }

    /**
     * A map of command full name to {calls, histogram_usec}: the commands named (a container
     * naming its subcommands that ran too; unknown names skipped), or every command that ran.
     */
    static void histogram(CommandContext c) {
        List<CommandSpec> commands = new ArrayList<>();
        if (c.argumentCount() == 2) {
            for (CommandSpec command : c.engine().commands().commands()) {
                addWithSubcommands(command, commands);
            }
        } else {
            for (int i = 2; i < c.argumentCount(); i++) {
                CommandSpec command = c.engine().commands().find(c.argumentText(i));
                if (command != null) {
                    addWithSubcommands(command, commands);
                }
            }
        }
        ReplyWriter reply = c.reply();
        reply.mapHeader(commands.size());
        for (CommandSpec command : commands) {
            LatencyHistogram histogram = command.stats().latencies();
            reply.bulk(command.name().getBytes(StandardCharsets.US_ASCII));
            reply.mapHeader(2);
            reply.bulk("calls");
            reply.integer(histogram.totalCount());
            reply.bulk("histogram_usec");
            List<long[]> levels = new ArrayList<>();
            histogram.forEachPowerOfTwoLevel((micros, count) -> levels.add(new long[] {micros, count}));
            reply.mapHeader(levels.size());
            for (long[] level : levels) {
                reply.integer(level[0]);
                reply.integer(level[1]);
            }
        }
    }

    private static void addWithSubcommands(CommandSpec command, List<CommandSpec> into) {
        if (command.stats().latencies() != null) {
            into.add(command);
        }
        for (CommandSpec subcommand : command.subcommands().values()) {
            if (subcommand.stats().latencies() != null) {
                into.add(subcommand);
            }
        }
    }

    static void help(CommandContext c) {
        c.reply().arrayHeader(HELP.length);
        for (String line : HELP) {
            c.reply().simpleString(line);
        }
    }
}
