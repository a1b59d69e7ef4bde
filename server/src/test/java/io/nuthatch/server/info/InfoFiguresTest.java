package io.nuthatch.server.info;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** INFO's figures follow what the server does. */
class InfoFiguresTest {
    private NuthatchServer server;
    private RawConnection connection;

    @BeforeEach
    void start() throws IOException {
        server = ReferencePair.startNuthatch();
        connection = new RawConnection(server.port());
    }

    @AfterEach
    void stop() throws IOException {
        connection.close();
        server.close();
    }

    private InfoText info(String... sections) throws IOException {
        return InfoText.fetch(connection, sections);
    }

    @Test
    void keysShowInKeyspaceAndInUsedMemory() throws IOException {
        InfoText before = info("memory", "keyspace");
        assertTrue(before.section("Keyspace").isEmpty(), "no database listed while empty");
        long usedBefore = before.number("Memory", "used_memory");
        String value = "x".repeat(1000);
        for (int i = 0; i < 100; i++) {
            if (i < 10) {
                connection.call("SET", "key:" + i, value, "EX", "100");
            } else {
                connection.call("SET", "key:" + i, value);
            }
        }
        connection.call("SELECT", "5");
        connection.call("SET", "other", "v");
        InfoText after = info("memory", "keyspace");

        Map<String, String> db0 = InfoText.subfields(after.field("Keyspace", "db0"));
        assertEquals("100", db0.get("keys"));
        assertEquals("10", db0.get("expires"));
        long averageTtl = Long.parseLong(db0.get("avg_ttl"));
        assertTrue(averageTtl > 90_000 && averageTtl <= 100_000, "avg_ttl " + averageTtl);
        assertEquals("keys=1,expires=0,avg_ttl=0", after.field("Keyspace", "db5"));
        assertEquals(2, after.section("Keyspace").size());

        long used = after.number("Memory", "used_memory");
        assertTrue(used >= usedBefore + 100 * 1000, "used_memory grows with the data: " + usedBefore + " -> " + used);
        assertTrue(after.number("Memory", "used_memory_dataset") >= 100 * 1000);
        assertEquals(used, after.number("Memory", "used_memory_overhead") + after.number("Memory", "used_memory_dataset"));
        assertEquals(InfoFields.human(used), after.field("Memory", "used_memory_human"));
        assertTrue(after.number("Memory", "used_memory_peak") >= used);

        connection.call("FLUSHALL");
        InfoText flushed = info("memory", "keyspace");
        assertTrue(flushed.section("Keyspace").isEmpty());
        assertEquals(0, flushed.number("Memory", "used_memory_dataset"));
        assertTrue(flushed.number("Memory", "used_memory_peak") >= used, "the peak stays");
    }

    @Test
    void maxmemoryAndPolicyComeFromTheConfiguration() throws IOException {
        try (NuthatchServer limited = ReferencePair.startNuthatch("maxmemory", "10mb", "maxmemory-policy", "allkeys-lru");
             RawConnection client = new RawConnection(limited.port())) {
            InfoText memory = InfoText.fetch(client, "memory");
            assertEquals("10485760", memory.field("Memory", "maxmemory"));
            assertEquals("10.00M", memory.field("Memory", "maxmemory_human"));
            assertEquals("allkeys-lru", memory.field("Memory", "maxmemory_policy"));
        }
        assertEquals("0B", info("memory").field("Memory", "maxmemory_human"));
    }

    @Test
    void errorRepliesAreCountedByCode() throws IOException {
        connection.call("NOSUCHCOMMAND");
        connection.call("GET");
        connection.call("HELLO", "4");
        InfoText info = info("errorstats", "stats");
        assertEquals(Map.of("errorstat_ERR", "count=2", "errorstat_NOPROTO", "count=1"), info.section("Errorstats"));
        assertEquals(java.util.List.of("errorstat_ERR", "errorstat_NOPROTO"),
                java.util.List.copyOf(info.section("Errorstats").keySet()), "codes in byte order");
        assertEquals(3, info.number("Stats", "total_error_replies"));
    }

    @Test
    void failedAuthenticationIsCounted() throws IOException {
        try (NuthatchServer secured = ReferencePair.startNuthatch("requirepass", "secret");
             RawConnection client = new RawConnection(secured.port())) {
            client.call("HELLO", "2", "AUTH", "default", "wrong");
            client.call("HELLO", "2", "AUTH", "default", "secret");
            InfoText info = InfoText.fetch(client, "stats", "errorstats");
            assertEquals(1, info.number("Stats", "acl_access_denied_auth"));
            assertEquals("count=1", info.field("Errorstats", "errorstat_WRONGPASS"));
        }
    }

    @Test
    void commandCallsRejectionsAndFailuresAreCounted() throws IOException {
        connection.call("SET", "k", "v");
        connection.call("SET", "k", "v");
        connection.call("SET", "k", "v", "EX", "notanumber");
        connection.call("GET", "k");
        connection.call("GET");
        InfoText info = info("commandstats");
        Map<String, String> set = InfoText.subfields(info.field("Commandstats", "cmdstat_set"));
        assertEquals("3", set.get("calls"));
        assertEquals("0", set.get("rejected_calls"));
        assertEquals("1", set.get("failed_calls"));
        assertTrue(set.get("usec_per_call").matches("\\d+\\.\\d\\d"), set.toString());
        assertEquals(String.join(",", set.keySet()), "calls,usec,usec_per_call,rejected_calls,failed_calls");
        Map<String, String> get = InfoText.subfields(info.field("Commandstats", "cmdstat_get"));
        assertEquals("1", get.get("calls"));
        assertEquals("1", get.get("rejected_calls"));
        assertFalse(info.section("Commandstats").containsKey("cmdstat_ping"), "commands never called are not listed");
        assertFalse(info.section("Commandstats").containsKey("cmdstat_info"), "INFO is counted after it ran");
        assertTrue(info("commandstats").section("Commandstats").containsKey("cmdstat_info"));
    }

    @Test
    void latencyPercentilesAppearForCalledCommands() throws IOException {
        for (int i = 0; i < 50; i++) {
            connection.call("SET", "k" + i, "v");
        }
        InfoText info = info("latencystats");
        String set = info.field("Latencystats", "latency_percentiles_usec_set");
        assertTrue(set.matches("p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}"), set);
        Map<String, String> percentiles = InfoText.subfields(set);
        double p50 = Double.parseDouble(percentiles.get("p50"));
        double p99 = Double.parseDouble(percentiles.get("p99"));
        double p999 = Double.parseDouble(percentiles.get("p99.9"));
        assertTrue(p50 > 0 && p50 <= p99 && p99 <= p999, set);
        assertFalse(info.section("Latencystats").containsKey("latency_percentiles_usec_get"));
    }

    @Test
    void latencyTrackingSettingsApply() throws IOException {
        try (NuthatchServer untracked = ReferencePair.startNuthatch("latency-tracking", "no");
             RawConnection client = new RawConnection(untracked.port())) {
            client.call("SET", "k", "v");
            assertTrue(InfoText.fetch(client, "latencystats").section("Latencystats").isEmpty());
        }
        try (NuthatchServer custom = ReferencePair.startNuthatch("latency-tracking-info-percentiles", "50.0 99.990 100");
             RawConnection client = new RawConnection(custom.port())) {
            client.call("SET", "k", "v");
            String set = InfoText.fetch(client, "latencystats").field("Latencystats", "latency_percentiles_usec_set");
            assertEquals("p50,p99.99,p100", String.join(",", InfoText.subfields(set).keySet()));
        }
    }

    @Test
    void instantaneousRatesFollowTraffic() throws IOException {
        byte[] pings = "PING\r\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        InfoText busy = pollUntil(() -> {
            connection.send(pings);
            for (int i = 0; i < 200; i++) {
                connection.readReply();
            }
            return info("stats");
        }, info -> info.number("Stats", "instantaneous_ops_per_sec") > 100
                && Double.parseDouble(info.field("Stats", "instantaneous_input_kbps")) > 0
                && Double.parseDouble(info.field("Stats", "instantaneous_output_kbps")) > 0
                && info.number("Stats", "instantaneous_eventloop_cycles_per_sec") > 0);
        assertTrue(busy.field("Stats", "instantaneous_input_kbps").matches("\\d+\\.\\d\\d"));
        pollUntil(() -> {
            sleep(100);
            return info("stats");
        }, info -> info.number("Stats", "instantaneous_ops_per_sec") < 50);
    }

    @Test
    void connectionsAndNetworkAreCounted() throws IOException {
        InfoText before = info("stats", "clients");
        assertEquals(1, before.number("Clients", "connected_clients"));
        try (RawConnection second = new RawConnection(server.port());
             RawConnection third = new RawConnection(server.port())) {
            second.call("PING");
            third.call("PING");
            InfoText during = info("stats", "clients");
            assertEquals(3, during.number("Clients", "connected_clients"));
            assertEquals(before.number("Stats", "total_connections_received") + 2,
                    during.number("Stats", "total_connections_received"));
            long request = "*3\r\n$4\r\nINFO\r\n$5\r\nstats\r\n$7\r\nclients\r\n".length();
            assertTrue(during.number("Stats", "total_net_input_bytes")
                    >= before.number("Stats", "total_net_input_bytes") + request + 2 * "*1\r\n$4\r\nPING\r\n".length());
            assertTrue(during.number("Stats", "total_net_output_bytes")
                    >= before.number("Stats", "total_net_output_bytes") + before.text().length() + 2 * "+PONG\r\n".length());
            assertTrue(during.number("Stats", "total_reads_processed") >= before.number("Stats", "total_reads_processed") + 3);
            assertTrue(during.number("Stats", "total_writes_processed") >= before.number("Stats", "total_writes_processed") + 3);
            assertTrue(during.number("Stats", "total_commands_processed") >= before.number("Stats", "total_commands_processed") + 3);
        }
        pollUntil(() -> info("clients"), info -> info.number("Clients", "connected_clients") == 1);
    }

    @Test
    void largestQueryBufferIsReported() throws IOException {
        try (RawConnection writer = new RawConnection(server.port())) {
            ByteArrayOutputStream partial = new ByteArrayOutputStream();
            partial.writeBytes("*2\r\n$4\r\nECHO\r\n$200000\r\n".getBytes(StandardCharsets.US_ASCII));
            partial.writeBytes(new byte[100_000]);
            writer.send(partial.toByteArray());
            pollUntil(() -> info("clients"), info -> info.number("Clients", "client_recent_max_input_buffer") >= 100_000);
        }
    }

    @Test
    void keyspaceHitsMissesAndDirtyCountsMove() throws IOException {
        InfoText before = info("stats", "persistence");
        connection.call("SET", "k", "v");
        connection.call("GET", "k");
        connection.call("GET", "missing");
        connection.call("GET", "missing");
        InfoText after = info("stats", "persistence");
        assertEquals(before.number("Stats", "keyspace_hits") + 1, after.number("Stats", "keyspace_hits"));
        assertEquals(before.number("Stats", "keyspace_misses") + 2, after.number("Stats", "keyspace_misses"));
        assertEquals(before.number("Persistence", "rdb_changes_since_last_save") + 1,
                after.number("Persistence", "rdb_changes_since_last_save"));
        long lastSave = after.number("Persistence", "rdb_last_save_time");
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - lastSave) < 600, "rdb_last_save_time " + lastSave);
    }

    @Test
    void activeExpiryIsAccounted() throws IOException {
        for (int i = 0; i < 300; i++) {
            connection.call("SET", "short:" + i, "v", "PX", "1");
        }
        InfoText expired = pollUntil(() -> {
            sleep(50);
            return info("stats", "keyspace");
        }, info -> info.number("Stats", "expired_keys") == 300);
        assertTrue(expired.section("Keyspace").isEmpty());
        assertTrue(Double.parseDouble(expired.field("Stats", "expired_stale_perc")) > 0,
                "the cycle found stale keys among those it sampled");
    }

    @Test
    void serverSectionDescribesThisProcess() throws IOException {
        InfoText info = info("server");
        assertEquals(Long.toString(ProcessHandle.current().pid()), info.field("Server", "process_id"));
        assertEquals(Integer.toString(server.port()), info.field("Server", "tcp_port"));
        assertTrue(info.field("Server", "run_id").matches("[0-9a-f]{40}"));
        assertTrue(info.field("Server", "multiplexing_api").matches("epoll|nio"));
        assertEquals("10", info.field("Server", "hz"));
        assertFalse(info.field("Server", "nuthatch_version").isEmpty());
        assertTrue(Math.abs(info.number("Server", "server_time_usec") / 1000 - System.currentTimeMillis()) < 60_000);
        int lruClock = server.engine().lruClock();
        assertTrue(Math.abs(info.number("Server", "lru_clock") - lruClock) <= 2);
        try (NuthatchServer other = ReferencePair.startNuthatch("hz", "100");
             RawConnection client = new RawConnection(other.port())) {
            InfoText otherInfo = InfoText.fetch(client, "server");
            assertNotEquals(info.field("Server", "run_id"), otherInfo.field("Server", "run_id"));
            assertEquals("100", otherInfo.field("Server", "hz"));
            assertEquals("100", otherInfo.field("Server", "configured_hz"));
        }
    }

    @Test
    void cpuTimesAreReported() throws IOException {
        for (int i = 0; i < 2000; i++) {
            connection.call("SET", "k", "v");
        }
        InfoText info = info("cpu");
        double user = Double.parseDouble(info.field("CPU", "used_cpu_user"));
        double mainThread = Double.parseDouble(info.field("CPU", "used_cpu_user_main_thread"))
                + Double.parseDouble(info.field("CPU", "used_cpu_sys_main_thread"));
        assertTrue(user > 0, "the process has used CPU");
        assertTrue(mainThread > 0, "the threads that ran commands have used CPU");
        assertTrue(mainThread <= user + Double.parseDouble(info.field("CPU", "used_cpu_sys")) + 0.02,
                "main threads are part of the process");
    }

    private interface Probe {
        InfoText read() throws IOException;
    }

    private static InfoText pollUntil(Probe probe, Predicate<InfoText> condition) throws IOException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        InfoText last;
        do {
            last = probe.read();
            if (condition.test(last)) {
                return last;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("condition not met before the deadline; last INFO:\n" + last.text());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
