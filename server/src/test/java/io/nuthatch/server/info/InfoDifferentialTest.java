package io.nuthatch.server.info;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

class InfoDifferentialTest {
    @TestFactory
    Stream<DynamicNode> infoCommand() {
        return Differential.tests("info.redis");
    }
}
