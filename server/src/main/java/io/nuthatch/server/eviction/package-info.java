/**
 * maxmemory: eviction under the eight Redis policies and the per-database override, the -OOM
 * answer of denyoom commands, and the memory the data may take in this JVM and container.
 *
 * <p>What it owns: {@link io.nuthatch.server.eviction.Eviction} (the check before every command,
 * the eviction pass with its time limit, the background pass, what an eviction tells the rest of
 * the server), {@link io.nuthatch.server.eviction.CandidatePool} (Redis's pool of sixteen
 * candidates), {@link io.nuthatch.server.eviction.EvictionPolicy}, and
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
 * <h2>Caffeine: not used here, and why (yet)</h2>
 * Caffeine's W-TinyLFU (admission window, frequency sketch, segmented LRU) keeps its own node per
 * entry: at least 40-60 bytes a key beside ours, which is 25-35% of the 160 bytes an entry with a
 * 100-byte value takes now, and would lose the memory target on its own. Its FrequencySketch is
 * internal (not in the public API); a count-min sketch of our own (4 bits x 4 rows per key,
 * sized to the key count: about 1 byte a key) could give TinyLFU admission on top of sampled
 * eviction, but that decision belongs to the hit-ratio benchmark against redis-server, which is
 * not written yet. Until then the policies are Redis's own algorithms, so hit ratios equal Redis's
 * by construction on every trace (same sampling, same pool, same clocks).
 *
 * <h2>What it must never do</h2>
 * Evict while the engine is not free (loading, or long work holding it), evict keys of a database
 * whose policy is noeviction, or count an eviction as a command's change (dirty): evictions are
 * propagated as their own DEL records and heard by {@link io.nuthatch.server.eviction.EvictionListener}s.
 * It never walks the keyspace: a pass samples.
 */
package io.nuthatch.server.eviction;
