/**
 * The keyspace: numbered databases of keys, their values, expiries, access clocks and memory, and
 * the point-in-time walk over them.
 *
 * <p>What it owns: the hash table of each database ({@code KeyTable}: incremental rehash, the
 * reverse-binary SCAN cursor, random draws), the entries and the array each keeps its key and string
 * in ({@code KeyEntry}, {@code EntryData}), the index of keys with an expiry ({@code ExpiringKeys}),
 * lazy expiry on lookup and the active expiry cycle, the memory estimate, the glob matching KEYS and
 * SCAN use, and {@link io.nuthatch.server.keyspace.KeyspaceWalk}, which a snapshot writer reads the
 * dataset with while clients keep writing.
 *
 * <h2>The change contract</h2>
 * Every change to a key goes through {@link io.nuthatch.server.keyspace.Database}, and passes its
 * before-change point before anything is written: a value replaced, an expiry set or removed, a key
 * deleted, expired, renamed, moved, copied over, a database swapped or flushed. That point is where
 * a walk in progress keeps the old contents of a key it has not reached, and where the entry's
 * memory leaves the total until the change is made (the memory of an entry is computed from it,
 * so nothing per entry records it). Later, eviction and anything else that must see a key before
 * it changes hangs off the same point. After the change, {@link
 * io.nuthatch.server.keyspace.KeyspaceHooks#keyModified} tells the rest of the server (WATCH, the
 * dirty counter).
 *
 * <p><b>A value may be changed in place only between {@code database.writableString(entry, length)}
 * (strings) or {@code database.writableValue(entry)} (value objects: hashes, lists, sets ...) and
 * {@code database.changed(entry)}, by the command that opened it.</b> Nothing may keep a value or a
 * key's array past the command that read it, since the next change may write over it. The methods that can change an entry's class return the live entry;
 * the one passed in is dead after them.
 *
 * <h2>Entry layout: a key costs less than in Redis</h2>
 * Measured with {@code bench/memory.sh} (redis-server 7.0.15 and this server side by side, 1M keys
 * of 16 bytes with 100-byte values, 2026-11-30), per key, the empty servers taken off:
 * <pre>
 *                                    redis used_memory   nuthatch used_memory   retained heap
 * before (KeyEntry 64 + key 32 +
 *   StringValue 24 + value 120)            200.5               244.2               245.5
 * now (entry 24 + one array 136)           200.5               165.2               165.6
 * the same with a TTL on every key         240.9               186.5               186.8
 * 100k JSON values of 1.5-2.5 KB          2337.3              2117.8              2126.8
 * </pre>
 * (redis-server's MEMORY USAGE says 184 bytes for one such key; its used_memory grows by 200 a
 * key, 48 of them in what MEMORY STATS calls the main hash table's overhead.) What made the
 * difference, lever by lever:
 * <ul>
 * <li>The key and the string in one array, no wrapper object: 24 + 32 + 120 bytes became 136.</li>
 * <li>No version stamp (8 bytes): the walk needs one bit, which sits in spare bits of the clock.
 *     No accounted-bytes field (8): an entry's memory is computed before and after each change.</li>
 * <li>Expiry only where there is one: the expiry time and the slot in the expiry index (12
 *     bytes) live in a subclass, so keys without TTL do not carry them.</li>
 * <li>No stored hash, no value field for strings: 24-byte entries (header, array, next, meta)
 *     instead of 32. Without the hash, a chain lookup would read the array of every other key in
 *     the chain; four hash bits kept in meta (the bits the clock, the walk bit and the string's
 *     form leave free) let it skip 15 in 16 of them. {@code bench/.../EntryLayoutBenchmark}
 *     measured both at 1M keys in random order ({@code -f 2 -wi 3 -i 8}, a quiet moment of the
 *     2-core VM, 2026-12-01): hits 674 +-158 ns with the tag against 678 +-112 ns with the stored
 *     hash, misses 529 +-113 against 518 +-89. No difference to pay 8 bytes a key for. (Each
 *     lookup misses the caches three or four times at that size; the chain's other keys are what
 *     the tag spares.) A resize hashes each key again, as Redis's does.</li>
 * <li>Open addressing with parallel arrays was not taken: at the load factors that keep probes
 *     short it costs more slots per key than chaining does, and it would lose SCAN's guarantee
 *     across resizes, which the reverse-binary cursor gives a chained table.</li>
 * </ul>
 * Values the request decoder gave an array of their own (32 KB and more) keep it, wrapped in a
 * {@link io.nuthatch.server.type.StringValue}, rather than being copied next to their key; the
 * object costs 24 bytes on tens of KB. A counter rewrites its digits in place when their length is
 * unchanged, and a SET of a value as long as the one it replaces writes over it: neither allocates.
 *
 * <h2>What it must never do</h2>
 * Know of clients, replies or the network, or block. It runs under the engine lock and tells the
 * rest of the server what happened through {@link io.nuthatch.server.keyspace.KeyspaceHooks}
 * (expired keys to propagate as DEL, changed keys for WATCH and the dirty counter, access clocks for
 * eviction). It deletes expired keys only when a lookup finds them or the cycle samples them, never
 * while a table is being walked (SCAN collects first and expires after; KEYS skips them).
 *
 * <p>Expiry times are absolute Unix milliseconds; a key has expired once the command's time is
 * past its expiry time, as in Redis.
 */
package io.nuthatch.server.keyspace;
