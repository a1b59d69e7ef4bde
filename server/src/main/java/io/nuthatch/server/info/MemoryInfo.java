package io.nuthatch.server.info;

import io.nuthatch.server.Engine;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.keyspace.Keyspace;
import io.nuthatch.server.scripting.LuaScripts;
import io.nuthatch.server.type.MemoryLayout;

/**
 * INFO memory: what the server's data takes, estimated the way Redis counts it, and what the JVM
 * process really takes.
 *
 * <p><b>used_memory.</b> Redis counts every byte it allocated. A JVM cannot see its objects' sizes,
 * so used_memory is an estimate made of:
 * <ul>
 * <li>the dataset: the keyspace's own estimate of keys, values and entry overhead, kept
 *     incrementally as values change ({@link Keyspace#datasetMemory()});</li>
 * <li>the key tables' bucket arrays and the expiry index, 4 bytes a slot (Redis's dict
 *     overhead, {@link Keyspace#indexMemory()});</li>
 * <li>the clients: a fixed cost per connection plus its query and unsent reply bytes;</li>
 * <li>the startup figure: the heap an idle server's own structures take (command table and
 *     catalog, configuration, empty databases, the engine, Netty's event loops), as Redis's
 *     used_memory_startup is what it allocated before its first client. Measured by
 *     bench/startup-heap.sh on JDK 17 with compressed oops: a second server started in a JVM where
 *     one already ran retains 0.29 MB, and the command catalog all servers share 0.49 MB. Not
 *     counted, as Redis does not count its own code: what loading the classes leaves in the heap
 *     for good (class mirrors, interned constants, the JDK's and Netty's caches, 5-6 MB), a fixed
 *     cost of the program that the launcher's heap sizing leaves room for. A constant: nothing the
 *     server does later changes it.</li>
 * </ul>
 * used_memory_overhead is all but the dataset, as in Redis, and used_memory_dataset the dataset.
 *
 * <p><b>Allocator figures.</b> The JVM heap plays jemalloc's part: allocator_allocated is the heap
 * in use, allocator_active the heap committed, allocator_resident that plus the committed non-heap
 * memory (metaspace, code cache). Committed memory need not be resident yet, so the last two are
 * capped at the RSS, which keeps Redis's ordering allocated <= active <= resident <= rss. The
 * ratios between them, and against the RSS, are computed as Redis computes its own. mem_fragmentation_ratio (RSS / used_memory) is high for a small dataset,
 * as the JVM's footprint dwarfs it; it falls toward 1-2 as the dataset grows.
 */
final class MemoryInfo {
    /** The heap of an idle server's own structures, measured as the class comment says (0.78 MB). */
    static final long STARTUP_BYTES = 780_000;
    /** Heap of one idle connection (see {@link ClientSession#CONNECTION_HEAP_BYTES}). */
    static final long CLIENT_BYTES = ClientSession.CONNECTION_HEAP_BYTES;

    private final Engine engine;
    /** The clients' part, as the cron's last walk of the clients found it (Redis's clientsCron keeps it so too). */
    private final ClientFigures clients;
    private long peak;

    MemoryInfo(Engine engine, ClientFigures clients) {
        this.engine = engine;
        this.clients = clients;
    }

    /** The parts used_memory is made of; see the class comment. */
    record Figures(long dataset, long tables, long drainingTables, long clients) {
        long overhead() {
            return STARTUP_BYTES + tables + clients;
        }

        long used() {
            return overhead() + dataset;
        }
    }

    Figures measure() {
        Keyspace keyspace = engine.keyspace();
        long draining = 0;
        for (int i = 0; i < keyspace.count(); i++) {
            draining += slotBytes(keyspace.database(i).drainingTableSlots());
        }
        return new Figures(keyspace.datasetMemory(), keyspace.indexMemory(), draining, clients.memory());
    }

    /**
     * used_memory as maxmemory bounds it, cheap enough to read before every command: the keyspace
     * as it is now, the clients as the cron last measured them (a walk of every client per command
     * would cost more than the command).
     */
    long usedMemoryForEviction() {
        return STARTUP_BYTES + engine.keyspace().usedMemory() + clients.memory();
    }

    private static long slotBytes(int slots) {
        return slots == 0 ? 0 : MemoryLayout.referenceArray(slots);
    }

    /** used_memory now; also raises the peak. */
    long usedMemory() {
        long used = measure().used();
        peak = Math.max(peak, used);
        return used;
    }

    /** The account as one set of figures (MEMORY STATS, MEMORY DOCTOR); also raises the peak. */
    MemoryFigures figures() {
        Figures figures = measure();
        long used = figures.used();
        peak = Math.max(peak, used);
        long rss = ProcessMetrics.residentBytes();
        long[] heap = ProcessMetrics.heap();
        return new MemoryFigures(used, peak, STARTUP_BYTES, figures.clients(), figures.dataset(), rss, heap[0],
                Math.min(heap[2], rss), Math.min(heap[2] + ProcessMetrics.nonHeapCommitted(), rss), heap[1]);
    }

    void write(InfoFields out) {
        Figures figures = measure();
        long used = figures.used();
        peak = Math.max(peak, used);
        long rss = ProcessMetrics.residentBytes();
        long[] heap = ProcessMetrics.heap();
        long allocated = heap[0];
        long active = Math.min(heap[2], rss);
        long resident = Math.min(heap[2] + ProcessMetrics.nonHeapCommitted(), rss);
        long netUsage = used > STARTUP_BYTES ? used - STARTUP_BYTES : 1;
        long maxmemory = engine.config().maxmemory.value();
        LuaScripts scripts = engine.scriptsIfStarted();

        out.addBytesWithHuman("used_memory", used)
                .addBytesWithHuman("used_memory_rss", rss)
                .addBytesWithHuman("used_memory_peak", peak)
                .add("used_memory_peak_perc", InfoFields.fixed(used * 100.0 / peak, 2) + "%")
                .add("used_memory_overhead", figures.overhead())
                .add("used_memory_startup", STARTUP_BYTES)
                .add("used_memory_dataset", figures.dataset())
                .add("used_memory_dataset_perc", InfoFields.fixed(figures.dataset() * 100.0 / netUsage, 2) + "%")
                .add("allocator_allocated", allocated)
                .add("allocator_active", active)
                .add("allocator_resident", resident)
                .addBytesWithHuman("total_system_memory", ProcessMetrics.totalSystemMemory())
                // LuaJ's state lives in the JVM heap, counted in used_memory's estimate of nothing:
                // its sizes are not measured, only what scripts and libraries there are.
                .add("used_memory_lua", 0)
                .add("used_memory_vm_eval", 0)
                .add("used_memory_lua_human", InfoFields.human(0))
                .add("used_memory_scripts_eval", 0)
                .add("number_of_cached_scripts", scripts == null ? 0 : scripts.cachedCount())
                .add("number_of_functions", scripts == null ? 0 : scripts.functions().functionCount())
                .add("number_of_libraries", scripts == null ? 0 : scripts.functions().libraryCount())
                .add("used_memory_vm_functions", 0)
                .addBytesWithHuman("used_memory_vm_total", 0)
                .add("used_memory_functions", 0)
                .addBytesWithHuman("used_memory_scripts", 0)
                .addBytesWithHuman("maxmemory", maxmemory)
                .add("maxmemory_policy", policyOfTheAskingClient())
                .addRatio("allocator_frag_ratio", ratio(active, allocated))
                .add("allocator_frag_bytes", active - allocated)
                .addRatio("allocator_rss_ratio", ratio(resident, active))
                .add("allocator_rss_bytes", resident - active)
                .addRatio("rss_overhead_ratio", ratio(rss, resident))
                .add("rss_overhead_bytes", rss - resident)
                .addRatio("mem_fragmentation_ratio", ratio(rss, used))
                .add("mem_fragmentation_bytes", rss - used)
                .add("mem_not_counted_for_evict", 0)
                .add("mem_replication_backlog", 0)
                .add("mem_total_replication_buffers", 0)
                .add("mem_clients_slaves", 0)
                .add("mem_clients_normal", figures.clients())
                .add("mem_cluster_links", 0)
                .add("mem_aof_buffer", 0)
                .add("mem_allocator", "jvm")
                .add("active_defrag_running", 0)
                .add("lazyfree_pending_objects", 0)
                .add("lazyfreed_objects", 0)
                // Read by redis_exporter: Redis 7.2+'s muzzy pages (a jemalloc notion; none here) and
                // rehashing overhead, and reservations (of Redis forks) that Nuthatch never makes.
                .add("allocator_muzzy", 0)
                .add("mem_overhead_db_hashtable_rehashing", figures.drainingTables())
                .add("maxmemory_reservation", 0)
                .add("maxmemory_desired_reservation", 0)
                .add("maxfragmentationmemory_reservation", 0)
                .add("maxfragmentationmemory_desired_reservation", 0)
                .add("jvm_heap_used", heap[0])
                .add("jvm_heap_max", heap[1])
                .add("jvm_heap_committed", heap[2]);
    }

    /**
     * The policy of the database the client asking selected (its maxmemory-policy-db override, else
     * maxmemory-policy): what BullMQ reads at start-up to check that its keys cannot be evicted.
     * maxmemory-policy when no client asks (the exporter).
     */
    private String policyOfTheAskingClient() {
        ClientSession client = engine.currentClient();
        return client == null ? engine.config().maxmemoryPolicy.value()
                : engine.eviction().policyOf(client.database()).configName();
    }

    private static double ratio(long numerator, long denominator) {
        return denominator <= 0 ? 0 : (double) numerator / denominator;
    }
}
