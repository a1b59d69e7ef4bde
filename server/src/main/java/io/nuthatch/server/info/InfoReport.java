package io.nuthatch.server.info;


import io.nuthatch.server.Engine;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The INFO report of one server: Redis 7.0's sections and fields, in its order, with the figures of
 * this server. INFO prints it; the Prometheus exporter reads it field by field.
 *
 * <p>Every method that reads figures must run with the engine held (as INFO does); a thread that
 * is not running a command uses {@link #snapshot}, which takes it.
 *
 * <p>The field names and formats are Redis's, because tools read them by name: redis_exporter maps
 * them to metrics, clients parse redis_version. Fields that only later Redis versions print and
 * redis_exporter reads, and Nuthatch's own (nuthatch_version, jvm_heap_*), come at the end of their
 * section, after every field Redis 7.0 prints there.
 */
public final class InfoReport {
    /** How long a snapshot waits for the engine while long work holds it (an exporter scrape waits). */
    static final long SNAPSHOT_WAIT_MILLIS = 500;

    /** A section: its INFO name, its title, what writes it, and whether plain INFO shows it. */
    private record Section(String name, String title, Consumer<InfoFields> writer, boolean inDefault) {
    }

    private final Engine engine;
    private final String runId;
    private final ServerInfo server;
    private final MemoryInfo memory;
    private final StatsInfo stats;
    private final ClientFigures clients;
    private final List<Section> sections;
    private long cronLoops;
    /** The last snapshot of every section, answered when long work keeps the engine too long. */
    private volatile Map<String, Map<String, String>> lastFullSnapshot = Map.of();

    public InfoReport(Engine engine) {
        this.engine = engine;
        SecureRandom random = new SecureRandom();
        this.runId = randomHex(random);
        this.server = new ServerInfo(engine, runId);
        this.clients = new ClientFigures(engine.clients());
        this.memory = new MemoryInfo(engine, clients);
        this.stats = new StatsInfo(engine);
        PersistenceInfo persistence = new PersistenceInfo(engine);
        ReplicationInfo replication = new ReplicationInfo(randomHex(random));
        CommandInfo commands = new CommandInfo(engine);
        KeyspaceInfo keyspace = new KeyspaceInfo(engine);
        this.sections = List.of(
                new Section("server", "Server", server::server, true),
                new Section("clients", "Clients", out -> server.clients(out, clients), true),
                new Section("memory", "Memory", memory::write, true),
                new Section("persistence", "Persistence", persistence::write, true),
                new Section("stats", "Stats", stats::write, true),
                new Section("replication", "Replication", replication::replication, true),
                new Section("cpu", "CPU", server::cpu, true),
                new Section("modules", "Modules", out -> { }, true),
                new Section("commandstats", "Commandstats", commands::commandStats, false),
                new Section("errorstats", "Errorstats", commands::errorStats, true),
                new Section("latencystats", "Latencystats", commands::latencyStats, false),
                new Section("cluster", "Cluster", ReplicationInfo::cluster, true),
                new Section("keyspace", "Keyspace", keyspace::write, true));
    }

    /** The names of all sections, in the order INFO prints them. */
    public List<String> sectionNames() {
        List<String> names = new ArrayList<>();
        for (Section section : sections) {
            names.add(section.name());
        }
        return names;
    }

    /**
     * The text of INFO for its arguments: section names in any case, "default", "all" or
     * "everything"; none means "default". Sections come in Redis's order whatever the order asked,
     * each once; unknown names add nothing. Sections are separated by an empty line, lines end with
     * CRLF. The caller holds the engine lock.
     */
    public String text(List<String> arguments) {
        Set<String> wanted = select(arguments);
        StringBuilder out = new StringBuilder(4096);
        for (Section section : sections) {
            if (wanted.contains(section.name())) {
                if (out.length() > 0) {
                    out.append("\r\n");
                }
                InfoFields fields = new InfoFields();
                section.writer().accept(fields);
                fields.appendTo(out, section.title());
            }
        }
        return out.toString();
    }

    private Set<String> select(List<String> arguments) {
        Set<String> wanted = new LinkedHashSet<>();
        if (arguments.isEmpty()) {
            arguments = List.of("default");
        }
        for (String argument : arguments) {
            String name = argument.toLowerCase(Locale.ROOT);
            switch (name) {
                case "default" -> sections.stream().filter(Section::inDefault).forEach(s -> wanted.add(s.name()));
                case "all", "everything" -> sections.forEach(s -> wanted.add(s.name()));
                default -> wanted.add(name);
            }
        }
        return wanted;
    }

    /**
     * The fields of one section, name to value in INFO's order; empty for an unknown section. The
     * caller holds the engine lock.
     */
    public Map<String, String> section(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Section section : sections) {
            if (section.name().equals(lower)) {
                InfoFields fields = new InfoFields();
                section.writer().accept(fields);
                return fields.asMap();
            }
        }
        return Map.of();
    }

    /**
     * Sections by name (all of them when none is given), read with the engine held: for threads
     * that do not run commands, such as the exporter's. It never hangs behind long work: while a
     * script or a load holds the engine, the work reads the figures at its next yield point; if
     * that takes longer than {@link #SNAPSHOT_WAIT_MILLIS}, the last complete snapshot of all
     * sections is answered instead (empty before the first).
     */
    public Map<String, Map<String, String>> snapshot(String... names) {
        List<String> wanted = names.length == 0 ? sectionNames() : List.of(names);
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        boolean read = engine.gate().runExclusive(() -> {
            for (String name : wanted) {
                result.put(name.toLowerCase(Locale.ROOT), section(name));
            }
        }, SNAPSHOT_WAIT_MILLIS);
        if (!read) {
            Map<String, Map<String, String>> previous = lastFullSnapshot;
            Map<String, Map<String, String>> stale = new LinkedHashMap<>();
            for (String name : wanted) {
                stale.put(name.toLowerCase(Locale.ROOT), previous.getOrDefault(name.toLowerCase(Locale.ROOT), Map.of()));
            }
            return Collections.unmodifiableMap(stale);
        }
        Map<String, Map<String, String>> snapshot = Collections.unmodifiableMap(result);
        if (names.length == 0) {
            lastFullSnapshot = snapshot;
        }
        return snapshot;
    }

    /**
     * The periodic part, run by the server's cron under the engine lock: samples the instantaneous
     * rates every 100 ms (at hz 10, every run; Redis's run_with_period(100)), and every run takes a
     * step of the walk of the clients ({@link ClientFigures}) and follows the peak of used_memory.
     */
    public void cronTick() {
        engine.stats().commandThread(Thread.currentThread());
        int hz = server.clampedHz();
        long periodMillis = 1000 / hz;
        if (periodMillis >= InstantaneousMetrics.PERIOD_MILLIS
                || cronLoops % (InstantaneousMetrics.PERIOD_MILLIS / periodMillis) == 0) {
            stats.sample();
        }
        // Every run: a step of the walk of the clients (their buffers, which eviction reads, and
        // the recent peaks), then the peak of used_memory.
        clients.refresh(System.currentTimeMillis(), hz);
        memory.usedMemory();
        cronLoops++;
    }

    /** How long the cron's last step of the clients walk held the engine, in nanoseconds. */
    public long lastClientWalkNanos() {
        return clients.lastWalkNanos();
    }

    /** used_memory: the estimate maxmemory is meant to bound (see {@link MemoryInfo}). Under the lock. */
    public long usedMemory() {
        return memory.usedMemory();
    }

    /** The memory account as MEMORY STATS and MEMORY DOCTOR read it. Under the lock. */
    public MemoryFigures memoryFigures() {
        return memory.figures();
    }

    /** used_memory as eviction compares it with maxmemory, before every command (see {@link MemoryInfo}). */
    public long usedMemoryForEviction() {
        return memory.usedMemoryForEviction();
    }

    /** The port the server listens on, when it differs from the port directive (a free port). */
    public void listeningPort(int port) {
        server.listeningPort(port);
    }

    /** The run id: 40 random hex digits, new at every start. */
    public String runId() {
        return runId;
    }

    private static String randomHex(SecureRandom random) {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
