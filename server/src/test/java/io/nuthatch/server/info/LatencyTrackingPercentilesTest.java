package io.nuthatch.server.info;

import io.nuthatch.server.config.ConfigException;
import io.nuthatch.server.config.PercentileListDirective;
import io.nuthatch.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** latency-tracking-info-percentiles, as redis-server 7.0.15 takes and shows it. */
class LatencyTrackingPercentilesTest {
    private final PercentileListDirective directive = new ServerConfig().latencyTrackingInfoPercentiles;

    @Test
    void defaultIsFiftyNinetyNineAndNinetyNinePointNine() {
        assertEquals("50 99 99.9", directive.get());
        assertEquals("yes", new ServerConfig().find("latency-tracking").get());
    }

    @Test
    void numbersAreShownInTheirShortestForm() throws ConfigException {
        directive.set("50.0 99.990 100");
        assertEquals("50 99.99 100", directive.get());
        assertArrayEquals(new double[] {50, 99.99, 100}, directive.value());
        directive.set(List.of("1", "2.5"));
        assertEquals("1 2.5", directive.get());
        directive.set("");
        assertEquals("", directive.get());
    }

    @Test
    void invalidValuesAreRejectedWithRedisWording() {
        ConfigException range = assertThrows(ConfigException.class, () -> directive.set("101"));
        assertEquals("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]", range.getMessage());
        ConfigException invalid = assertThrows(ConfigException.class, () -> directive.set("abc"));
        assertEquals("Invalid latency-tracking-info-percentiles parameters", invalid.getMessage());
        assertThrows(ConfigException.class, () -> directive.set("-1"));
        assertEquals("50 99 99.9", directive.get(), "a rejected value changes nothing");
    }
}
