package io.nuthatch.exporter;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The families redis_exporter derives with labels, from INFO as Redis 7.0 prints it. */
class InfoCollectorTest {

    private static String text(MetricsSource source, Exposition.Format format) throws IOException {
        StringWriter out = new StringWriter();
        Exposition.write(InfoCollector.collect(source), format, out);
        return out.toString();
    }

    private static void assertLine(String text, String line) {
        assertTrue(text.contains("\n" + line + "\n") || text.startsWith(line + "\n"), "missing «" + line + "» in:\n" + text);
    }

    @Test
    void commandstatsBecomeCallsAndSecondsPerCommand() throws IOException {
        FakeSource source = new FakeSource().field("commandstats", "cmdstat_config|get",
                "calls=4,usec=2500000,usec_per_call=625000.00,rejected_calls=1,failed_calls=2");
        String text = text(source, Exposition.Format.TEXT);
        assertLine(text, "# TYPE redis_commands_total counter");
        assertLine(text, "redis_commands_total{cmd=\"config|get\"} 4");
        assertLine(text, "redis_commands_duration_seconds_total{cmd=\"config|get\"} 2.5");
        assertLine(text, "redis_commands_rejected_calls_total{cmd=\"config|get\"} 1");
        assertLine(text, "redis_commands_failed_calls_total{cmd=\"config|get\"} 2");
    }

    @Test
    void latencystatsBecomeASummaryWithCountAndSumFromCommandstats() throws IOException {
        FakeSource source = new FakeSource()
                .field("commandstats", "cmdstat_get", "calls=10,usec=30,usec_per_call=3.00,rejected_calls=0,failed_calls=0")
                .field("latencystats", "latency_percentiles_usec_get", "p50=1.003,p99=3.007,p99.9=4.015");
        String text = text(source, Exposition.Format.TEXT);
        assertLine(text, "# TYPE redis_latency_percentiles_usec summary");
        assertLine(text, "redis_latency_percentiles_usec{cmd=\"get\",quantile=\"50\"} 1.003");
        assertLine(text, "redis_latency_percentiles_usec{cmd=\"get\",quantile=\"99.9\"} 4.015");
        assertLine(text, "redis_latency_percentiles_usec_sum{cmd=\"get\"} 30");
        assertLine(text, "redis_latency_percentiles_usec_count{cmd=\"get\"} 10");
    }

    @Test
    void keyspaceListsEveryDatabaseAndTtlsInSeconds() throws IOException {
        FakeSource source = new FakeSource().field("keyspace", "db3", "keys=12,expires=2,avg_ttl=1500");
        source.databases = 16;
        String text = text(source, Exposition.Format.TEXT);
        assertLine(text, "redis_db_keys{db=\"db3\"} 12");
        assertLine(text, "redis_db_keys_expiring{db=\"db3\"} 2");
        assertLine(text, "redis_db_avg_ttl_seconds{db=\"db3\"} 1.5");
        assertLine(text, "redis_db_keys{db=\"db0\"} 0");
        assertLine(text, "redis_db_keys{db=\"db15\"} 0");
        assertFalse(text.contains("db=\"db16\""), text);
    }

    @Test
    void errorstatsStatusesAndInstanceInfo() throws IOException {
        FakeSource source = new FakeSource()
                .field("server", "redis_version", "7.0.15").field("server", "tcp_port", "6379")
                .field("persistence", "rdb_last_bgsave_status", "err")
                .field("persistence", "aof_last_write_status", "ok")
                .field("replication", "role", "master")
                .field("errorstats", "errorstat_WRONGTYPE", "count=3");
        String text = text(source, Exposition.Format.TEXT);
        assertLine(text, "redis_errors_total{err=\"WRONGTYPE\"} 3");
        assertLine(text, "redis_rdb_last_bgsave_status 0");
        assertLine(text, "redis_aof_last_write_status 1");
        assertTrue(text.contains("redis_instance_info{role=\"master\",redis_version=\"7.0.15\","), text);
        assertTrue(text.contains("tcp_port=\"6379\""), text);
    }

    @Test
    void slowlogAndLatencySpikes() throws IOException {
        FakeSource source = new FakeSource();
        source.slowlog = new MetricsSource.SlowlogFigures(12, 41, 250_000);
        source.spikes = List.of(new MetricsSource.LatencySpike("command", 1_700_000_000, 120));
        String text = text(source, Exposition.Format.TEXT);
        assertLine(text, "redis_slowlog_length 12");
        assertLine(text, "redis_slowlog_last_id 41");
        assertLine(text, "redis_last_slow_execution_duration_seconds 0.25");
        assertLine(text, "redis_latency_spike_last{event_name=\"command\"} 1700000000");
        assertLine(text, "redis_latency_spike_duration_seconds{event_name=\"command\"} 0.12");
    }

    @Test
    void openMetricsDeclaresCountersByTheirBaseNameAndOthersAsUnknown() throws IOException {
        FakeSource source = new FakeSource().field("stats", "keyspace_hits", "5")
                .field("stats", "unexpected_error_replies", "1");
        String text = text(source, Exposition.Format.OPENMETRICS);
        assertLine(text, "# TYPE redis_keyspace_hits counter");
        assertLine(text, "redis_keyspace_hits_total 5");
        assertLine(text, "# TYPE redis_unexpected_error_replies unknown");
        assertLine(text, "redis_unexpected_error_replies 1");
    }

    @Test
    void theServersOwnFamiliesAreWrittenToo() throws IOException {
        FakeSource source = new FakeSource();
        source.measurements.scriptMoves = 3;
        String text = text(source, Exposition.Format.TEXT);
        assertLine(text, "# TYPE nuthatch_script_thread_moves_total counter");
        assertLine(text, "nuthatch_script_thread_moves_total 3");
        assertLine(text, "nuthatch_scrape_info_snapshot_seconds 5.0e-4");
        for (NuthatchMetricTable row : NuthatchMetricTable.values()) {
            assertLine(text, "# TYPE " + row.metric() + " " + row.type().exposed());
        }
    }

    @Test
    void histogramsAreWrittenCumulativeWithTheirSumAndCount() throws IOException {
        FakeSource source = new FakeSource();
        source.measurements.fsync = new HistogramReading(new double[] {0.001, 1}, new long[] {4, 2, 1}, 3.5);
        String text = text(source, Exposition.Format.TEXT);
        assertLine(text, "# TYPE nuthatch_aof_fsync_seconds histogram");
        assertLine(text, "nuthatch_aof_fsync_seconds_bucket{le=\"0.001\"} 4");
        assertLine(text, "nuthatch_aof_fsync_seconds_bucket{le=\"1.0\"} 6");
        assertLine(text, "nuthatch_aof_fsync_seconds_bucket{le=\"+Inf\"} 7");
        assertLine(text, "nuthatch_aof_fsync_seconds_sum 3.5");
        assertLine(text, "nuthatch_aof_fsync_seconds_count 7");
        String openMetrics = text(source, Exposition.Format.OPENMETRICS);
        assertLine(openMetrics, "# TYPE nuthatch_aof_fsync_seconds histogram");
        assertLine(openMetrics, "nuthatch_aof_fsync_seconds_bucket{le=\"+Inf\"} 7");
    }

    @Test
    void bucketBoundsAreSpelledAsClientLibrariesSpellThem() {
        assertEquals("0.0001", NuthatchMetricTable.bound(0.0001));
        assertEquals("1.0", NuthatchMetricTable.bound(1));
        assertEquals("2.5", NuthatchMetricTable.bound(2.5));
        assertEquals("16384.0", NuthatchMetricTable.bound(16384));
    }

    @Test
    void labelValuesAreEscaped() throws IOException {
        FakeSource source = new FakeSource().field("server", "os", "Linux \"x\"\\n");
        assertTrue(text(source, Exposition.Format.TEXT).contains("os=\"Linux \\\"x\\\"\\\\n\""));
    }
}
