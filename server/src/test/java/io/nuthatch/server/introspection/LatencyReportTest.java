package io.nuthatch.server.introspection;

import io.nuthatch.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LATENCY GRAPH and DOCTOR from samples set at known times: what the differential script cannot
 * pin down (its samples' ages and latencies vary from run to run), checked against redis-server's
 * own output for the same samples.
 */
class LatencyReportTest {
    private static final long NOW = 1_800_000_000L;

    @Test
    void graphDrawsTheSamplesAsRedisDraws() {
        LatencyMonitor monitor = new LatencyMonitor();
        monitor.record("command", 200, NOW - 3);
        monitor.record("command", 500, NOW - 1);
        monitor.record("command", 300, NOW);
        // redis-server 7.0, LATENCY GRAPH command after DEBUG SLEEP 0.2, 0.5, 0.3 a second or so apart.
        assertEquals("command - high 500 ms, low 200 ms (all time high 500 ms)\n"
                + "-".repeat(80) + "\n"
                + " # \n"
                + " | \n"
                + " |o\n"
                + "_||\n"
                + "   \n"
                + "310\n"
                + "sss\n", LatencyReport.graph(monitor, "command", NOW));
    }

    @Test
    void graphLabelsAgesInTheLargestWholeUnit() {
        LatencyMonitor monitor = new LatencyMonitor();
        monitor.record("command", 100, NOW - 2 * 86400);
        monitor.record("command", 100, NOW - 5 * 3600);
        monitor.record("command", 100, NOW - 7 * 60);
        String graph = LatencyReport.graph(monitor, "command", NOW);
        assertTrue(graph.endsWith("\n___\n   \n257\ndhm\n"), graph);
    }

    @Test
    void graphOfMoreThanEightyColumnsWrapsIntoAnotherChart() {
        LatencyMonitor monitor = new LatencyMonitor();
        for (int i = 0; i < 81; i++) {
            monitor.record("command", 100 + i, NOW - 81 + i);
        }
        String[] lines = LatencyReport.graph(monitor, "command", NOW).split("\n", -1);
        // Header, rule, 4 chart rows, a blank row, 3 label rows ("81s"); an empty line; then the
        // same for the last column, the highest sample, one second old.
        assertEquals(80, lines[2].length());
        assertEquals("", lines[10]);
        assertEquals("#", lines[11]);
        assertEquals("|", lines[14]);
        assertEquals("1", lines[16]);
        assertEquals("s", lines[17]);
    }

    @Test
    void graphOfAnEventWithoutSamplesIsNull() {
        assertNull(LatencyReport.graph(new LatencyMonitor(), "command", NOW));
    }

    @Test
    void doctorDropsTheHzAdviceAtHz100ButStillGivesItsHeading() throws Exception {
        LatencyMonitor monitor = new LatencyMonitor();
        monitor.record("expire-cycle", 30, NOW - 4);
        monitor.record("expire-cycle", 10, NOW - 2);
        ServerConfig config = new ServerConfig();
        config.find("latency-monitor-threshold").set("5");
        String report = LatencyReport.doctor(monitor, config, NOW);
        assertTrue(report.contains("\n1. expire-cycle: 2 latency spikes (average 20ms, mean deviation 10ms, period 2.00 sec)."
                + " Worst all time event 30ms.\n"), report);
        assertTrue(report.contains("'CONFIG SET hz 100'"), report);
        config.find("hz").set("100");
        report = LatencyReport.doctor(monitor, config, NOW);
        assertFalse(report.contains("'CONFIG SET hz 100'"), report);
        assertTrue(report.contains("\nI have a few advices for you:\n\n- Deleting, expiring or evicting"), report);
    }

    @Test
    void doctorAdvisesTheSlowLogFromTheThreshold() throws Exception {
        LatencyMonitor monitor = new LatencyMonitor();
        monitor.record("command", 300, NOW);
        ServerConfig config = new ServerConfig();
        config.find("latency-monitor-threshold").set("250");
        config.find("slowlog-log-slower-than").set("-1");
        assertTrue(LatencyReport.doctor(monitor, config, NOW)
                .contains("using the command 'CONFIG SET slowlog-log-slower-than 250000'."));
        assertEquals(List.of("command"), monitor.events());
    }
}
