package io.nuthatch.server.command.server;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** MONITOR's lines, what it hides and redacts, and a monitor's own commands, against redis-server. */
class MonitorDifferentialTest {
    @TestFactory
    Stream<DynamicNode> monitor() {
        return Differential.tests("monitor.redis");
    }
}
