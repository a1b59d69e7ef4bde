package io.nuthatch.server.keyspace;

/**
 * The last-access time an LRU eviction policy keeps in {@link KeyEntry#accessClock()}, as Redis
 * keeps it in the 24 LRU bits of an object: Unix seconds on 24 bits, which wrap every 194 days.
 *
 * <p>What leaves the server (a snapshot, an RDB file's IDLE record, RESTORE ... IDLETIME) is not
 * the clock but the idle seconds, since a clock means nothing on another server or after a
 * restart; what comes in is turned back into a clock that many seconds before the receiver's
 * now, so that the time the key spent on disk does not count as idleness, as in Redis.
 */
public final class AccessRecency {
    /** The largest clock value (Redis's LRU_CLOCK_MAX). */
    public static final int CLOCK_MAX = (1 << 24) - 1;

    private AccessRecency() {
    }

    /** The seconds clock at {@code unixMillis}. */
    public static int clock(long unixMillis) {
        return (int) ((unixMillis / 1000) & CLOCK_MAX);
    }

    /** Seconds since the access that set {@code clock}, at the clock {@code now}, across one wrap. */
    public static long idleSeconds(int clock, int now) {
        return now >= clock ? now - clock : now + (long) (CLOCK_MAX - clock);
    }

    /**
     * The clock of a key last used {@code idleSeconds} before the clock {@code now}. Past a wrap
     * it is made positive again by adding CLOCK_MAX, which {@link #idleSeconds} undoes (Redis 7.0's
     * objectSetLRUOrLFU; idle times beyond the clock's range come out modulo it there as here).
     */
    public static int fromIdleSeconds(long idleSeconds, int now) {
        long at = now - idleSeconds;
        if (at < 0) {
            at += CLOCK_MAX;
        }
        return (int) (at & CLOCK_MAX);
    }
}
