package io.nuthatch.server.scripting;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * How much heap a script may fill before it is stopped with an error reply rather than let the JVM
 * run out of heap (an OutOfMemoryError in any thread would leave the server broken, where Redis's
 * Lua only grows the process).
 *
 * <h2>What is measured, and why so</h2>
 * LuaJ's tables and strings are ordinary Java objects: counting their growth would mean hooking
 * every table store and string operation of the interpreter. Instead each checkpoint of the
 * instruction hook reads the heap's use (Runtime's total minus free: a field read of the
 * collector's counters, no lock, no allocation) and compares it with {@link #HEAP_FRACTION} of the
 * largest heap. Use includes garbage, so being over the line once proves nothing: the script is
 * stopped only when it is still over after a collection that ran since it was first seen over
 * (the heap's used-after-GC, what it really holds). The dataset itself stays under 80% of the heap
 * (the eviction package's ceiling), so the fraction leaves scripts the rest less a margin.
 *
 * <p>Checked every {@link InstructionHook#INTERVAL} instructions: a script that grows its heap by
 * megabytes per instruction (a string doubled by concatenation) can still fail one allocation
 * first; the script's thread catches that OutOfMemoryError as the last resort (see LuaScripts).
 */
final class ScriptMemoryBudget {
    static final double HEAP_FRACTION = 0.9;

    private final Runtime runtime = Runtime.getRuntime();
    private final long limit = (long) (runtime.maxMemory() * HEAP_FRACTION);
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    /** Collections counted when the heap was first seen over the limit; -1 while under. */
    private long collectionsWhenOver = -1;

    void scriptStarts() {
        collectionsWhenOver = -1;
    }

    /** Whether the running script has filled the heap past its budget; on the script's thread. */
    boolean overBudget() {
        long used = runtime.totalMemory() - runtime.freeMemory();
        if (used < limit) {
            collectionsWhenOver = -1;
            return false;
        }
        long collections = collections();
        if (collectionsWhenOver < 0) {
            collectionsWhenOver = collections;
            return false;
        }
        return collections != collectionsWhenOver;
    }

    private long collections() {
        long count = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            count += Math.max(0, collector.getCollectionCount());
        }
        return count;
    }
}
