package io.nuthatch.server.info;

/**
 * The memory account INFO memory prints, as one set of figures, for MEMORY STATS and MEMORY
 * DOCTOR to answer from (see {@link MemoryInfo} for what each is made of).
 *
 * @param used used_memory
 * @param peak used_memory_peak
 * @param startup used_memory_startup: the idle server's retained heap
 * @param clients the normal clients' memory (mem_clients_normal)
 * @param dataset used_memory_dataset: keys, values and their entries
 * @param rss the process's resident memory
 * @param allocated the heap in use
 * @param active the heap committed, at most the RSS
 * @param resident the heap and non-heap committed, at most the RSS
 * @param maxHeap the JVM's maximum heap
 */
public record MemoryFigures(long used, long peak, long startup, long clients, long dataset, long rss, long allocated,
        long active, long resident, long maxHeap) {

    /** used_memory_overhead: all but the dataset. */
    public long overhead() {
        return used - dataset;
    }
}
