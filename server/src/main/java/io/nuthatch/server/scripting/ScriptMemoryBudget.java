package io.nuthatch.server.scripting;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * How much heap a script may fill before it is stopped with an error reply rather than let the JVM
 * run out of heap (an OutOfMemoryError in any thread would leave the server broken, where Redis's
 * Lua only grows the process).
 *
 * <h2>What is measured, and why so</h2>
 * LuaJ's tables and strings are ordinary Java objects: counting their growth would mean hooking
 * every table store and string operation of the interpreter. Instead the heap is read, in two
 * steps so that the common checkpoint costs two field reads of the collector's counters:
 * <ol>
 * <li>the heap's use (Runtime's total minus free, no lock, no allocation); below
 *     {@link #PRESSURE_FRACTION} of the largest heap nothing more is looked at;</li>
 * <li>under pressure, the old generation's use after its last collection (the pool's collection
 *     usage, which is what survives, not garbage): past {@link #OLD_FRACTION} of the pool's
 *     largest size the script is stopped. What a script keeps ends up there, and the old
 *     generation full after a collection is what precedes an OutOfMemoryError.</li>
 * </ol>
 * Checked every {@link InstructionHook#INTERVAL} instructions: a script that grows its heap by
 * megabytes per instruction (a string doubled by concatenation) can still fail one allocation
 * first; the script's thread catches that OutOfMemoryError as the last resort (see LuaScripts).
 * A server whose dataset alone fills the old generation past the fraction stops every script that
 * runs under pressure: it is about to fail anyway.
 */
final class ScriptMemoryBudget {
    static final double PRESSURE_FRACTION = 0.6;
    static final double OLD_FRACTION = 0.9;

    private final Runtime runtime = Runtime.getRuntime();
    private final long pressure = (long) (runtime.maxMemory() * PRESSURE_FRACTION);
    private final MemoryPoolMXBean oldGeneration = oldGeneration();

    void scriptStarts() {
    }

    /** Whether the running script has filled the heap past its budget; on the script's thread. */
    boolean overBudget() {
        long used = runtime.totalMemory() - runtime.freeMemory();
        if (used < pressure || oldGeneration == null) {
            return false;
        }
        MemoryUsage afterCollection = oldGeneration.getCollectionUsage();
        long max = oldGeneration.getUsage().getMax();
        return afterCollection != null && max > 0 && afterCollection.getUsed() > max * OLD_FRACTION;
    }

    /** The heap pool that collections promote into and report usage after collection for. */
    private static MemoryPoolMXBean oldGeneration() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                    && (name.contains("Old") || name.contains("Tenured"))) {
                return pool;
            }
        }
        return null;
    }
}
