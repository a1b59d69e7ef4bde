/**
 * maxmemory and maxmemory-clients: eviction under the eight Redis policies and the per-database
 * override, the -OOM answer of denyoom commands, client eviction, and the memory the data may take
 * in this JVM and container.
 *
 * <p>What it owns: {@link io.nuthatch.server.eviction.Eviction} (the check before every command,
 * the eviction pass with its time limit, the background pass, what an eviction tells the rest of
 * the server), {@link io.nuthatch.server.eviction.CandidatePool} (Redis's pool of sixteen
 * candidates), {@link io.nuthatch.server.eviction.EvictionPolicy},
 * {@link io.nuthatch.server.eviction.ClientEviction} (maxmemory-clients: closing the connections that
 * hold the most memory when all together pass the limit), and
 * {@link io.nuthatch.server.eviction.MemoryBudget} (the heap's ceiling, the container's limit, the
 * startup warnings, the formula bin/nuthatch-server sizes the heap by).
 *
 * <h2>Memory: what eviction costs per key</h2>
 * Nothing. The access clock eviction reads is the 24 bits every entry already has in its meta
 * int (LRU seconds, or LFU minutes and counter, as Redis keeps them in its objects), and sampling
 * draws from the key table and the dense expiry index that exist anyway; the pool holds sixteen
 * references. So bench/memory.sh's bytes per key are unchanged by eviction (0.84x redis-server's
 * used_memory at 1M keys).
 *
 * <h2>Caffeine: measured, and not used for eviction</h2>
 * The issue offers Caffeine's W-TinyLFU (admission window, frequency sketch, segmented LRU) for
 * the allkeys policies. bench/hitratio.sh replays the same traces against redis-server and
 * Nuthatch at the same maxmemory, and through Caffeine and exact LRU in-process. Run of 2026-12-01
 * (bench/results/2026-12-01-hit-ratio.md: maxmemory 64mb, Zipf over 4M keys, 3M requests, 100-byte
 * values, hit % after the first third), allkeys-lru:
 * <pre>
 * trace     redis-server  nuthatch  exact LRU   Caffeine      Caffeine
 *                                   (redis's 352k keys)       (same memory: 252k keys)
 * zipf-0.8      47.32       48.32     47.55       50.15         47.08
 * zipf-1.0      78.58       79.06     78.71       78.68         76.67
 * scan          47.65       47.97     47.78       48.74         47.98
 * shift         71.25       71.37     71.26       67.83         64.90
 * </pre>
 * (zipf-1.2 touches only 210k keys at that size: everything fits, 94.15 everywhere.) At equal key
 * count W-TinyLFU beats LRU by 2.6 points on zipf-0.8 and 1 on the scans, ties on zipf-1.0 and
 * loses 3.4 when the hot set moves (its sketch remembers the old hot keys). But a bounded Caffeine
 * cache costs 83 bytes an entry beside the key and value (measured: heap of 1M entries after a full
 * GC), half again our 168 bytes a key at this size; at the same memory it holds 252k keys where
 * Nuthatch holds 377k, and then loses on every trace or ties (scan). Redis's sampled LRU is within
 * 0.25 points of exact LRU on every trace, so a better approximation of LRU has nothing to win
 * either. The hit ratio Nuthatch gains over redis-server comes from the key it stores more cheaply
 * (377k keys against 352k in 64 MB). Caffeine's FrequencySketch alone (about 8 bytes a key) is not
 * public API; a sketch of our own feeding admission into the sampled pool is the one idea left that
 * might pay, on traces like zipf-0.8 and scan, and it is not built.
 *
 * <p><b>Small maxmemory.</b> used_memory counts 0.78 MB for the idle server's own structures
 * (redis-server: 0.87 MB; see info/MemoryInfo). It counted 3.62 MB, the whole heap an idle JVM
 * retains with the server's classes loaded, until the measurement told the server's part from the
 * code's: at 16 MB Nuthatch held 75.6k keys against redis-server's 83.8k and was 0.5-1.9 points
 * below it; it now holds 93.4k and is 0.1-1.8 points above it on every trace under allkeys-lru
 * and allkeys-lfu (bench/results/2026-12-02-startup-memory.md).
 *
 * <h2>What it must never do</h2>
 * Evict while the engine is not free (loading, or long work holding it), evict keys of a database
 * whose policy is noeviction, or count an eviction as a command's change (dirty): evictions are
 * propagated as their own DEL records and heard by {@link io.nuthatch.server.eviction.EvictionListener}s.
 * It never walks the keyspace: a pass samples.
 */
package io.nuthatch.server.eviction;
