package io.nuthatch.server.eviction;

import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.keyspace.AccessFrequency;
import io.nuthatch.server.keyspace.AccessRecency;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.Keyspace;
import io.nuthatch.server.propagation.WritePropagation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * maxmemory: keeps used_memory under the limit by evicting keys before commands run, as Redis's
 * performEvictions does, and answers -OOM to the commands flagged denyoom when nothing more may
 * be evicted.
 *
 * <p><b>The limit.</b> maxmemory, except that the data never passes the heap's ceiling
 * ({@link MemoryBudget}), with maxmemory 0 too: a JVM that runs out of heap fails every client,
 * where eviction (or -OOM under noeviction) fails only the writes.
 *
 * <p><b>When.</b> Before every command while the engine is free (not while it loads, nor while long
 * work holds it: {@link #refusesForMemory}), when CONFIG SET lowers maxmemory, and in the background
 * while a pass ran out of time. A pass evicts until what it freed covers the excess, checking the
 * clock every 16 keys against maxmemory-eviction-tenacity's limit (Redis's formula: 50 us a step up
 * to 10, then 15% more a step, no limit at 100); past it, the rest continues on a thread of its own
 * that takes the engine between commands, so one write never stalls the server.
 *
 * <p><b>Which key.</b> Each database has a policy: its maxmemory-policy-db override, else
 * maxmemory-policy. The LRU, LFU and TTL policies sample maxmemory-samples keys of each database
 * whose policy makes that choice into a {@link CandidatePool} and evict the pool's best; the random
 * ones draw a key from the next database round-robin. The volatile policies draw from the keys with
 * an expiry only. A database whose policy is noeviction is never touched, so a queue sharing the
 * server with a cache keeps its keys; when only such keys are left, denyoom commands get -OOM.
 * Databases of different choices (one LRU, one LFU) take turns, since their scores do not compare.
 *
 * <p><b>What an eviction does.</b> The key leaves its database without counting as a command's
 * change (no dirty count), evicted_keys counts it, the {@link EvictionListener}s hear of it (keyspace
 * notifications, WATCH, client tracking: wired by the server), and it is propagated as DEL, or
 * UNLINK with lazyfree-lazy-eviction, each its own record before the command that made room.
 * Dropping a value is O(1) here whatever its size (its memory figure is kept current, not counted
 * on deletion), so lazy eviction has nothing to move off the command path.
 *
 * <p>Everything but the configuration listeners runs with the engine held.
 */
public final class Eviction {
    /** What an eviction pass achieved: Redis's EVICT_OK, EVICT_RUNNING and EVICT_FAIL. */
    public enum Outcome { WITHIN_LIMIT, CONTINUES_IN_BACKGROUND, OUT_OF_MEMORY }

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNLINK = "UNLINK".getBytes(StandardCharsets.US_ASCII);
    private static final EvictionPolicy.Choice[] CHOICES = EvictionPolicy.Choice.values();
    /** The lowest LFU score; 255 minus a counter. */
    private static final int MAX_COUNTER = 255;

    private final Engine engine;
    private final ServerConfig config;
    private final Keyspace keyspace;
    private final CandidatePool[] pools = new CandidatePool[CHOICES.length];
    private final List<EvictionListener> listeners = new CopyOnWriteArrayList<>();
    private final BackgroundEviction background;
    private final ClientEviction clientEviction;

    /** The policy of each database (its override, else maxmemory-policy). Replaced whole on a change. */
    private volatile EvictionPolicy[] policies;
    /** Which choices some database's policy makes, by ordinal; NONE never counts. */
    private volatile boolean[] choicesPresent;
    private volatile long maxmemory;
    /** What the data may take: maxmemory, or the heap's ceiling when that is lower or maxmemory is 0. */
    private volatile long limit;
    private final long heapCeiling = MemoryBudget.heapCeiling(Runtime.getRuntime().maxMemory());
    private final long recyclingHeapCeiling = MemoryBudget.recyclingHeapCeiling(Runtime.getRuntime().maxMemory());
    /** The heap ceiling in force: the larger one while what eviction frees is reused (see {@link ReuseMeter}). */
    private volatile long ceiling = heapCeiling;
    /** Windows of a hundredth of the heap: about 20k keys of 100 bytes. */
    private final ReuseMeter reuse = new ReuseMeter(Runtime.getRuntime().maxMemory() / 100);
    private volatile int samples;
    private KeyEntry[] sampleDraws = new KeyEntry[16];
    private volatile int tenacity;
    private volatile int lfuLogFactor;
    private volatile int lfuDecayMinutes;

    private int nextChoice;
    /** The database of the key {@link #selectVictim} chose. */
    private Database victimDatabase;
    private int nextRandomDatabase;
    /** Whether the last check before a command found memory full with nothing left to evict. */
    private boolean outOfMemory;

    public Eviction(Engine engine) {
        this.engine = engine;
        this.config = engine.config();
        this.keyspace = engine.keyspace();
        this.background = new BackgroundEviction(engine.gate(), this::evictInBackground);
        this.clientEviction = new ClientEviction(engine);
        for (int i = 0; i < pools.length; i++) {
            pools[i] = new CandidatePool();
        }
        readSettings();
        applyPolicies();
        config.maxmemory.onChange(this::readSettings);
        config.memory.maxmemorySamples.onChange(this::readSettings);
        config.memory.maxmemoryEvictionTenacity.onChange(this::readSettings);
        config.memory.lfuLogFactor.onChange(this::readSettings);
        config.memory.lfuDecayTime.onChange(this::readSettings);
        config.maxmemoryPolicy.onChange(this::applyPolicies);
        config.memory.maxmemoryPolicyDb.onChange(this::applyPolicies);
        config.maxmemory.onApply(this::maxmemorySetByCommand);
    }

    // ---------------------------------------------------------------- settings

    private void readSettings() {
        maxmemory = config.maxmemory.value();
        limit = limitUnder(ceiling);
        samples = config.memory.maxmemorySamples.intValue();
        tenacity = config.memory.maxmemoryEvictionTenacity.intValue();
        lfuLogFactor = config.memory.lfuLogFactor.intValue();
        lfuDecayMinutes = config.memory.lfuDecayTime.intValue();
    }

    /**
     * Recomputes each database's policy and the clock kind its keys keep. Runs on the thread that
     * changed the configuration: CONFIG SET holds the engine, a config file is read before it starts.
     */
    private void applyPolicies() {
        EvictionPolicy global = EvictionPolicy.named(config.maxmemoryPolicy.value());
        EvictionPolicy[] perDatabase = new EvictionPolicy[keyspace.count()];
        boolean[] present = new boolean[CHOICES.length];
        for (int i = 0; i < perDatabase.length; i++) {
            String override = config.memory.maxmemoryPolicyDb.policyOf(i);
            perDatabase[i] = override == null ? global : EvictionPolicy.named(override);
            if (perDatabase[i].evicts()) {
                present[perDatabase[i].choice().ordinal()] = true;
            }
            keyspace.database(i).useFrequencyClock(perDatabase[i].usesFrequency());
        }
        for (CandidatePool pool : pools) {
            pool.clear();
        }
        policies = perDatabase;
        choicesPresent = present;
    }

    /** CONFIG SET maxmemory: evicts at once what no longer fits, as Redis does, warning first. */
    private void maxmemorySetByCommand() {
        if (maxmemory == 0) {
            return;
        }
        long used = engine.info().usedMemoryForEviction();
        if (maxmemory > heapCeiling) {
            engine.log().warning("WARNING: the new maxmemory (" + maxmemory + ") is more than the JVM heap can hold:"
                    + " keys are evicted (or writes refused) from " + heapCeiling + " bytes of data on.");
        }
        if (maxmemory < used) {
            engine.log().warning("WARNING: the new maxmemory value set via CONFIG SET (" + maxmemory + ") is smaller"
                    + " than the current memory usage (" + used + "). This will result in key eviction and/or the"
                    + " inability to accept new write commands depending on the maxmemory-policy.");
        }
        evict();
    }

    private long limitUnder(long heapLimit) {
        long max = maxmemory;
        return max == 0 ? heapLimit : Math.min(max, heapLimit);
    }

    /** After an eviction pass: the larger heap ceiling while its memory is reused, the smaller otherwise. */
    private void measureReuse(long freed) {
        if (reuse.evicted(freed, keyspace.recycledBytes())) {
            long wanted = reuse.mostlyReused() ? recyclingHeapCeiling : heapCeiling;
            if (wanted != ceiling) {
                ceiling = wanted;
                limit = limitUnder(wanted);
                engine.log().verbose(String.format("The data may now take %d bytes of the heap: %.0f%% of the memory"
                        + " evicted lately was reused by new keys", wanted, 100 * reuse.smoothedShare()));
            }
        }
    }

    /** What the data may take now: maxmemory, or the heap's ceiling ({@link MemoryBudget}) when lower. */
    public long limit() {
        return limit;
    }

    /** The policy of a database: its maxmemory-policy-db override, else maxmemory-policy. */
    public EvictionPolicy policyOf(int database) {
        return policies[database];
    }

    /** lfu-log-factor, for the access clocks. */
    public int lfuLogFactor() {
        return lfuLogFactor;
    }

    /** lfu-decay-time in minutes, for the access clocks. */
    public int lfuDecayMinutes() {
        return lfuDecayMinutes;
    }

    /** Adds what must hear of every evicted key (keyspace notifications, WATCH, client tracking). */
    public void addListener(EvictionListener listener) {
        listeners.add(listener);
    }

    // ---------------------------------------------------------------- before commands

    /**
     * The dispatcher's maxmemory check, before a command runs while the engine is free: evicts
     * what must go, and says whether the command is refused with -OOM (it is flagged denyoom and
     * memory is full with nothing left that may be evicted). Reads and deletions always run.
     * Client eviction (maxmemory-clients) goes first, as in Redis; when it closes the running client,
     * the command is refused too, whatever it is, and its answer is dropped with the connection.
     */
    public boolean refusesForMemory(CommandSpec command) {
        if (clientEviction.beforeCommand(engine.currentClient())) {
            return true;
        }
        outOfMemory = evict() == Outcome.OUT_OF_MEMORY;
        return outOfMemory && command.has(CommandFlag.DENYOOM);
    }

    /**
     * Whether a write would be refused for memory now: what the check before the running command
     * found (Redis's script_oom). A script asks at its first denyoom command, since Redis decides
     * then, from the state at the script's start, whether the script may write.
     */
    public boolean refusesWrites() {
        return outOfMemory;
    }

    // ---------------------------------------------------------------- the eviction pass

    /** Evicts until used memory fits maxmemory, nothing more may go, or the pass's time is up. */
    public Outcome evict() {
        long used = engine.info().usedMemoryForEviction();
        long bound = limit;
        if (used <= bound || engine.clientPause().isPaused()) {
            // A pause holds the dataset still: Redis answers as if within the limit (a fake EVICT_OK).
            return Outcome.WITHIN_LIMIT;
        }
        long toFree = used - bound;
        long limitNanos = timeLimitNanos();
        long started = System.nanoTime();
        long freed = 0;
        int keys = 0;
        // Each eviction is its own DEL record, never wrapped in MULTI/EXEC, as Redis writes them:
        // in a unit of their own before a command, or in CONFIG SET's, which records nothing else.
        WritePropagation propagation = engine.propagation();
        propagation.unwrapCurrentUnit();
        propagation.beginUnit();
        propagation.unwrapCurrentUnit();
        try {
            while (freed < toFree) {
                KeyEntry victim = selectVictim();
                if (victim == null) {
                    return Outcome.OUT_OF_MEMORY;
                }
                freed += evictKey(victimDatabase, victim);
                keys++;
                if ((keys & 15) == 0 && System.nanoTime() - started > limitNanos) {
                    background.request();
                    return Outcome.CONTINUES_IN_BACKGROUND;
                }
            }
            return Outcome.WITHIN_LIMIT;
        } finally {
            propagation.endUnit();
            measureReuse(freed);
            long nanos = System.nanoTime() - started;
            engine.introspection().measurements().evictionCycle(keys, nanos);
            engine.introspection().latency("eviction-cycle", nanos / 1_000_000);
        }
    }

    private void evictInBackground() {
        engine.beginServerTask();
        evict();
    }

    /** Redis's evictionTimeLimitUs: tenacity 10 gives 500 us, 100 gives no limit. */
    private long timeLimitNanos() {
        int steps = tenacity;
        if (steps <= 10) {
            return 50_000L * steps;
        }
        if (steps < 100) {
            return (long) (500_000.0 * Math.pow(1.15, steps - 10.0));
        }
        return Long.MAX_VALUE;
    }

    private long evictKey(Database database, KeyEntry entry) {
        long bytes = database.evict(entry);
        engine.stats().evictedKeys++;
        for (EvictionListener listener : listeners) {
            listener.keyEvicted(database, entry);
        }
        WritePropagation propagation = engine.propagation();
        if (propagation.isActive()) {
            byte[] verb = config.memory.lazyfreeLazyEviction.value() ? UNLINK : DEL;
            propagation.propagateDeletion(database.index(), verb, entry.keyArray(), entry.keyOffset(),
                    entry.keyLength());
        }
        // Under per-database policies the entry may also sit in another choice's pool.
        for (CandidatePool pool : pools) {
            pool.forget(entry);
        }
        database.recycle(entry);
        return bytes;
    }

    /**
     * The key to evict next, its database put in {@link #victimDatabase}; null when no database's policy
     * leaves anything to evict. The choices present take turns.
     */
    private KeyEntry selectVictim() {
        boolean[] present = choicesPresent;
        for (int turn = 0; turn < CHOICES.length; turn++) {
            EvictionPolicy.Choice choice = CHOICES[(nextChoice + turn) % CHOICES.length];
            if (!present[choice.ordinal()]) {
                continue;
            }
            KeyEntry victim = choice == EvictionPolicy.Choice.RANDOM ? randomVictim()
                    : pooledVictim(choice);
            if (victim != null) {
                nextChoice = (choice.ordinal() + 1) % CHOICES.length;
                return victim;
            }
        }
        return null;
    }

    /** allkeys-random and volatile-random: a key of the next database round-robin that has one. */
    private KeyEntry randomVictim() {
        EvictionPolicy[] perDatabase = policies;
        for (int i = 0; i < perDatabase.length; i++) {
            nextRandomDatabase = (nextRandomDatabase + 1) % perDatabase.length;
            EvictionPolicy policy = perDatabase[nextRandomDatabase];
            if (policy.choice() != EvictionPolicy.Choice.RANDOM) {
                continue;
            }
            Database database = keyspace.database(nextRandomDatabase);
            KeyEntry entry = policy.volatileOnly() ? database.randomExpiringEntry(engine.random())
                    : database.randomEntry(engine.random());
            if (entry != null) {
                victimDatabase = database;
                return entry;
            }
        }
        return null;
    }

    /**
     * The LRU, LFU and TTL policies: fill the pool with samples of every database of this choice,
     * then take the best candidate still present (Redis's evictionPoolPopulate and the loop around it).
     */
    private KeyEntry pooledVictim(EvictionPolicy.Choice choice) {
        CandidatePool pool = pools[choice.ordinal()];
        EvictionPolicy[] perDatabase = policies;
        while (true) {
            boolean sampled = false;
            for (int i = 0; i < perDatabase.length; i++) {
                EvictionPolicy policy = perDatabase[i];
                if (policy.choice() != choice) {
                    continue;
                }
                Database database = keyspace.database(i);
                if ((policy.volatileOnly() ? database.expiringCount() : database.size()) == 0) {
                    continue;
                }
                sampled = true;
                if (policy.volatileOnly()) {
                    for (int draw = 0; draw < samples; draw++) {
                        KeyEntry entry = database.randomExpiringEntry(engine.random());
                        pool.offer(entry, database, score(choice, entry));
                    }
                } else {
                    KeyEntry[] drawn = sampleBuffer(samples);
                    int count = database.sampleEntries(engine.random(), drawn, samples);
                    for (int d = 0; d < count; d++) {
                        pool.offer(drawn[d], database, score(choice, drawn[d]));
                        drawn[d] = null;
                    }
                }
            }
            if (!sampled) {
                return null;
            }
            while (!pool.isEmpty()) {
                Database database = pool.bestDatabase();
                KeyEntry candidate = database.current(pool.takeBest());
                if (candidate != null && (!perDatabase[database.index()].volatileOnly() || candidate.hasExpiry())) {
                    victimDatabase = database;
                    return candidate;
                }
            }
        }
    }

    /** Where a round's samples are drawn into; grown only when maxmemory-samples grows. */
    private KeyEntry[] sampleBuffer(int count) {
        if (sampleDraws.length < count) {
            sampleDraws = new KeyEntry[count];
        }
        return sampleDraws;
    }

    /** How much a key deserves to be evicted under a choice: higher goes first. */
    private long score(EvictionPolicy.Choice choice, KeyEntry entry) {
        return switch (choice) {
            case LEAST_RECENT -> idleSeconds(entry.accessClock());
            case LEAST_FREQUENT -> MAX_COUNTER - AccessFrequency.counter(entry.accessClock(),
                    AccessFrequency.minutes(engine.now()), lfuDecayMinutes);
            case NEAREST_EXPIRY -> Long.MAX_VALUE - entry.expiresAt();
            case RANDOM, NONE -> 0;
        };
    }

    private long idleSeconds(int clock) {
        return AccessRecency.idleSeconds(clock, engine.lruClock());
    }

    /** maxmemory-clients: what the server's cron runs (see {@link ClientEviction}). */
    public ClientEviction clients() {
        return clientEviction;
    }

    /** Stops the background eviction thread (server shutdown). */
    public void close() {
        background.close();
    }
}
