package io.nuthatch.server.command.key;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

class ObjectDifferentialTest {
    @TestFactory
    Stream<DynamicNode> objectCommands() {
        return Differential.tests("object.redis");
    }
}
