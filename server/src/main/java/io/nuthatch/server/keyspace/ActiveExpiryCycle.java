package io.nuthatch.server.keyspace;

/**
 * Deletes expired keys that nobody touches, so that their memory comes back without a lookup.
 *
 * <p>Redis's slow cycle, with its constants: run {@code hz} times a second, spend at most 25% of
 * the cycle's period, and per database check 20 keys with an expiry at a time, going on while more
 * than 10% of those checked had expired (a database with many expired keys gets more work, one
 * with few gets little). Keys are checked round-robin ({@link Database#expireSample}), so every
 * expired key is reached within a bounded number of cycles.
 */
public final class ActiveExpiryCycle {
    private static final int KEYS_PER_LOOP = 20;
    private static final int ACCEPTABLE_STALE_PERCENT = 10;
    private static final int CPU_PERCENT = 25;

    private final Keyspace keyspace;
    private int nextDatabase;
    private long lastSampled;
    private boolean lastHitTimeLimit;

    public ActiveExpiryCycle(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /**
     * Runs one cycle within the time share of one cron period.
     *
     * @return the number of keys deleted
     */
    public int run(int hz) {
        long budgetNanos = 1_000_000_000L * CPU_PERCENT / 100 / Math.max(1, hz);
        long deadline = System.nanoTime() + budgetNanos;
        int deleted = 0;
        lastSampled = 0;
        lastHitTimeLimit = false;
        int databases = keyspace.count();
        for (int visited = 0; visited < databases; visited++) {
            Database database = keyspace.database(nextDatabase);
            nextDatabase = (nextDatabase + 1) % databases;
            int expired;
            do {
                if (database.expiringCount() == 0) {
                    break;
                }
                int sampled = Math.min(KEYS_PER_LOOP, database.expiringCount());
                expired = database.expireSample(sampled);
                deleted += expired;
                lastSampled += sampled;
                if (System.nanoTime() >= deadline) {
                    lastHitTimeLimit = true;
                    return deleted;
                }
                if (expired * 100 <= sampled * ACCEPTABLE_STALE_PERCENT) {
                    break;
                }
            } while (true);
        }
        return deleted;
    }

    /** Keys with an expiry the last run checked (INFO expired_stale_perc). */
    public long lastSampled() {
        return lastSampled;
    }

    /** Whether the last run stopped at its time limit (INFO expired_time_cap_reached_count). */
    public boolean lastHitTimeLimit() {
        return lastHitTimeLimit;
    }
}
