package io.nuthatch.server.eviction;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReuseMeterTest {
    @Test
    void aWindowClosesOnceItsBytesAreEvicted() {
        ReuseMeter meter = new ReuseMeter(1000);
        assertFalse(meter.evicted(600, 600));
        assertTrue(meter.evicted(400, 1000));
        assertEquals(0.5, meter.smoothedShare(), 1e-9, "the first window counts half against the start's zero");
    }

    @Test
    void steadyReuseRaisesTheShareAndALapseLowersItAgain() {
        ReuseMeter meter = new ReuseMeter(1000);
        long reused = 0;
        int windows = 0;
        while (!meter.mostlyReused()) {
            reused += 990;
            meter.evicted(1000, reused);
            windows++;
            assertTrue(windows < 10, "full reuse never raised the share");
        }
        assertTrue(windows >= 3, "one window raised the share: " + windows);
        // Values of another size: nothing evicted fits the new keys.
        meter.evicted(1000, reused);
        assertFalse(meter.mostlyReused());
    }

    @Test
    void reuseBeyondWhatWasEvictedCountsAsWhole() {
        ReuseMeter meter = new ReuseMeter(100);
        meter.evicted(100, 500);
        assertEquals(0.5, meter.smoothedShare(), 1e-9);
    }
}
