package io.nuthatch.server.info;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** LATENCY HISTOGRAM's levels: powers of two from 1024 ns, cumulative, reported when the count grows. */
class LatencyHistogramLevelsTest {

    private static List<String> levels(long... nanos) {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long value : nanos) {
            histogram.record(value);
        }
        List<String> levels = new ArrayList<>();
        histogram.forEachPowerOfTwoLevel((micros, count) -> levels.add(micros + ":" + count));
        return levels;
    }

    @Test
    void levelsAreCumulativeAndSkipThoseWhereNothingWasAdded() {
        // 1500 ns is past the 1024 level's bucket (1024..1031), within 2048's; 100 µs within 131072's
        // bucket (131072..132095), read as 132 µs as Redis prints it.
        assertEquals(List.of("2:1", "4:3", "132:4"), levels(1500, 3000, 3000, 100_000));
    }

    @Test
    void aValueBelowTheFirstLevelIsCountedThere() {
        assertEquals(List.of("1:1"), levels(200));
    }

    @Test
    void noValuesNoLevels() {
        assertEquals(List.of(), levels());
    }

    @Test
    void valuesPastOneSecondEndAtTheLastLevel() {
        assertEquals(List.of("1073741:1"), levels(5_000_000_000L));
    }
}
