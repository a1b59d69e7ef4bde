package io.nuthatch.server.command.server;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** MEMORY USAGE against redis-server (memory.redis): replies' shapes, nulls and errors. */
class MemoryDifferentialTest {
    @TestFactory
    Stream<DynamicNode> memoryCommands() {
        return Differential.tests("memory.redis");
    }
}
