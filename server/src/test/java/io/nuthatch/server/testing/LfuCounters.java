package io.nuthatch.server.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks of an LFU counter (OBJECT FREQ) read some time after the key's last access. The LFU clock
 * counts whole minutes, as Redis's does, so each minute that turns between the access and the read
 * may take one off the counter: a test that asserted the exact count failed in CI when a minute
 * turned during a restart.
 */
public final class LfuCounters {
    private LfuCounters() {
    }

    /**
     * Asserts {@code counter} is {@code expected}, less at most the whole minutes that turned since
     * {@code sinceMillis} (wall-clock milliseconds taken before the access).
     */
    public static void assertUndecayedSince(long expected, long counter, long sinceMillis, String what) {
        long minutesTurned = System.currentTimeMillis() / 60_000 - sinceMillis / 60_000;
        assertTrue(counter <= expected && counter >= expected - minutesTurned,
                what + ": expected " + expected + " less at most " + minutesTurned + ", was " + counter);
    }
}
