package io.nuthatch.server.command.scripting;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** FUNCTION and FCALL against redis-server (functions.redis). */
class FunctionDifferentialTest {
    @TestFactory
    Stream<DynamicNode> functions() {
        return Differential.tests("functions.redis");
    }
}
