package io.nuthatch.server.eviction;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The startup warnings of settings the heap or the container cannot hold, each with what to set instead. */
class MemoryBudgetTest {
    private static final long MIB = 1 << 20;

    @Test
    void settingsThatFitGiveNoWarning() {
        long heap = 512 * MIB;
        long maxmemory = MemoryBudget.heapCeiling(heap);
        assertEquals(List.of(), MemoryBudget.startupWarnings(maxmemory, heap, heap + MemoryBudget.nonHeapBytes(heap)));
        assertEquals(List.of(), MemoryBudget.startupWarnings(0, heap, -1), "no container, no maxmemory: Redis's default");
    }

    @Test
    void aMaxmemoryTheHeapCannotHoldSaysWhereEvictionStartsAndWhatHeapWouldHoldIt() {
        long heap = 398 * MIB;
        long maxmemory = 384 * MIB;
        List<String> warnings = MemoryBudget.startupWarnings(maxmemory, heap, -1);
        assertEquals(1, warnings.size(), warnings.toString());
        String warning = warnings.get(0);
        assertTrue(warning.contains("from " + MemoryBudget.heapCeiling(heap) + " bytes"), warning);
        long heapNeeded = MemoryBudget.heapFor(maxmemory);
        assertTrue(MemoryBudget.heapCeiling(heapNeeded) >= maxmemory);
        assertTrue(warning.contains(Long.toString(heapNeeded)), warning);
        assertTrue(warning.contains(Long.toString(MemoryBudget.containerFor(maxmemory))), warning);
    }

    @Test
    void aContainerWithoutMaxmemorySaysWhatToSet() {
        long heap = MemoryBudget.heapForContainer(512 * MIB);
        List<String> warnings = MemoryBudget.startupWarnings(0, heap, 512 * MIB);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("Set maxmemory to at most " + MemoryBudget.heapCeiling(heap)), warnings.get(0));
    }

    @Test
    void aHeapTooLargeForTheContainerIsReported() {
        long limit = 512 * MIB;
        List<String> warnings = MemoryBudget.startupWarnings(100 * MIB, limit, limit);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("the kernel may kill the server"), warnings.get(0));
    }

    @Test
    void theLargerShareKeepsItsHeadroomInEveryHeap() {
        for (long heap = 64 * MIB; heap <= 64L * 1024 * MIB; heap += heap / 8) {
            long larger = MemoryBudget.recyclingHeapCeiling(heap);
            assertTrue(larger >= MemoryBudget.heapCeiling(heap), heap + ": below the smaller share");
            assertTrue(larger <= heap * MemoryBudget.RECYCLING_HEAP_SHARE, heap + ": above the larger share");
            assertTrue(larger == MemoryBudget.heapCeiling(heap) || heap - larger >= MemoryBudget.RECYCLING_HEADROOM,
                    heap + ": less than the headroom left");
        }
        // The launcher's heap for a 512 MiB container gets the whole larger share; a 256 MiB one none.
        long heap512 = MemoryBudget.heapForContainer(512 * MIB);
        assertEquals((long) (heap512 * MemoryBudget.RECYCLING_HEAP_SHARE), MemoryBudget.recyclingHeapCeiling(heap512));
        long heap256 = MemoryBudget.heapForContainer(256 * MIB);
        assertEquals(MemoryBudget.heapCeiling(heap256), MemoryBudget.recyclingHeapCeiling(heap256));
    }
}
