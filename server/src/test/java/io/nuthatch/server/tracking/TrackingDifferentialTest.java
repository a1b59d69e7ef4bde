package io.nuthatch.server.tracking;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** CLIENT TRACKING and its invalidations, compared with redis-server (tracking.redis). */
class TrackingDifferentialTest {

    @TestFactory
    Stream<DynamicNode> tracking() {
        return Differential.tests("tracking.redis");
    }
}
