package io.nuthatch.server.info;

import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report as the exporter reads it, on an engine with no network around it. */
class InfoReportTest {
    private final CommandTable table = CommandTable.of(registry -> {
        registry.command("ping", "", "", c -> { });
        registry.subcommand("client", "list", "", "", c -> { });
        registry.subcommand("client", "id", "", "", c -> { });
    });
    private final Engine engine = new Engine(new ServerConfig(), table, new ServerLog());

    @Test
    void subcommandsAreListedAfterTheirContainerWithABar() {
        table.find("client").stats().rejected();
        table.find("client|list").stats().called(12, false);
        table.find("client|list").stats().recordLatency(5_000);
        Map<String, String> commands = engine.info().section("commandstats");
        assertEquals(List.of("cmdstat_client", "cmdstat_client|list"), List.copyOf(commands.keySet()));
        assertEquals("calls=1,usec=12,usec_per_call=12.00,rejected_calls=0,failed_calls=0",
                commands.get("cmdstat_client|list"));
        assertEquals("calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0", commands.get("cmdstat_client"));
        // 5 µs falls in the bucket [4992, 5024) ns, whose top Redis reports: the same figure here.
        assertEquals(Map.of("latency_percentiles_usec_client|list", "p50=5.023,p99=5.023,p99.9=5.023"),
                engine.info().section("latencystats"));
    }

    @Test
    void sectionsAreReadByNameInAnyCase() {
        assertEquals("master", engine.info().section("Replication").get("role"));
        assertEquals("0", engine.info().section("replication").get("connected_slaves"));
        assertTrue(engine.info().section("nosuchsection").isEmpty());
        assertEquals(List.of("server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
                "commandstats", "errorstats", "latencystats", "cluster", "keyspace"), engine.info().sectionNames());
    }

    @Test
    void snapshotTakesTheLockAndReturnsEverySection() throws Exception {
        AtomicReference<Map<String, Map<String, String>>> result = new AtomicReference<>();
        Thread reader = new Thread(() -> result.set(engine.info().snapshot()));
        reader.start();
        reader.join();
        assertEquals(engine.info().sectionNames(), List.copyOf(result.get().keySet()));
        assertFalse(engine.lock().isLocked(), "the lock is released");
        assertEquals("0", result.get().get("stats").get("total_commands_processed"));
    }

    @Test
    void usedMemoryIsTheFigureInfoPrints() {
        engine.lock().lock();
        try {
            assertEquals(Long.toString(engine.info().usedMemory()), engine.info().section("memory").get("used_memory"));
            assertEquals(InfoText.parse(engine.info().text(List.of("default"))).sections().keySet(),
                    InfoText.parse(engine.info().text(List.of())).sections().keySet());
        } finally {
            engine.lock().unlock();
        }
    }
}
