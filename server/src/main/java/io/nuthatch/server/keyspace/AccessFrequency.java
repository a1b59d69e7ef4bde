package io.nuthatch.server.keyspace;

import java.util.random.RandomGenerator;

/**
 * The access frequency an LFU eviction policy keeps in {@link KeyEntry#accessClock()}, as Redis
 * keeps it in the 24 LRU bits of an object: the minute of the last decrement in the high 16 bits
 * and an 8-bit logarithmic counter in the low 8.
 *
 * <p>The counter says roughly how often a key is used, on a log scale so that 8 bits cover
 * millions of hits: each access increments it with probability 1 / ((counter - 5) * factor + 1),
 * and it loses one for every {@code decayMinutes} minutes nobody used the key. New keys start at 5
 * so that they are not the first to go before they had a chance to be used.
 */
public final class AccessFrequency {
    /** The counter of a new key (Redis's LFU_INIT_VAL). */
    public static final int INITIAL_COUNTER = 5;
    /** Redis's default lfu-log-factor. */
    public static final int LOG_FACTOR = 10;
    /** Redis's default lfu-decay-time, in minutes. */
    public static final int DECAY_MINUTES = 1;

    private static final int MINUTES_MASK = 0xffff;
    private static final int MAX_COUNTER = 255;

    private AccessFrequency() {
    }

    /** The minutes clock: Unix minutes on 16 bits, wrapping. */
    public static int minutes(long unixMillis) {
        return (int) ((unixMillis / 60_000) & MINUTES_MASK);
    }

    /** The clock of a key created now. */
    public static int initial(int nowMinutes) {
        return nowMinutes << 8 | INITIAL_COUNTER;
    }

    /**
     * The clock of a key whose counter comes from elsewhere (a snapshot, an RDB file's FREQ record,
     * RESTORE ... FREQ): the counter as it was, its decay counted from now, as Redis restores it.
     */
    public static int restored(int counter, int nowMinutes) {
        return nowMinutes << 8 | (counter & MAX_COUNTER);
    }

    /** The counter with the default lfu-decay-time applied. */
    public static int counter(int clock, int nowMinutes) {
        return counter(clock, nowMinutes, DECAY_MINUTES);
    }

    /**
     * The counter once one is taken off for every {@code decayMinutes} (lfu-decay-time) elapsed
     * since its last decrement (OBJECT FREQ, and what eviction compares); 0 minutes: no decay.
     */
    public static int counter(int clock, int nowMinutes, int decayMinutes) {
        int counter = clock & MAX_COUNTER;
        if (decayMinutes <= 0) {
            return counter;
        }
        int last = (clock >>> 8) & MINUTES_MASK;
        int elapsed = nowMinutes >= last ? nowMinutes - last : MINUTES_MASK - last + nowMinutes;
        int periods = elapsed / decayMinutes;
        return periods >= counter ? 0 : counter - periods;
    }

    /** The clock after an access now, with the default lfu-log-factor and lfu-decay-time. */
    public static int accessed(int clock, int nowMinutes, RandomGenerator random) {
        return accessed(clock, nowMinutes, LOG_FACTOR, DECAY_MINUTES, random);
    }

    /** The clock after an access now: decayed, then perhaps incremented (lfu-log-factor {@code logFactor}). */
    public static int accessed(int clock, int nowMinutes, int logFactor, int decayMinutes, RandomGenerator random) {
        int counter = counter(clock, nowMinutes, decayMinutes);
        if (counter < MAX_COUNTER) {
            int base = Math.max(0, counter - INITIAL_COUNTER);
            if (random.nextDouble() < 1.0 / ((double) base * logFactor + 1)) {
                counter++;
            }
        }
        return nowMinutes << 8 | counter;
    }
}
