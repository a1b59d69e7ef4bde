package io.nuthatch.server.command.server;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

class LatencyDifferentialTest {
    @TestFactory
    Stream<DynamicNode> latency() {
        return Differential.tests("latency.redis");
    }
}
