package io.nuthatch.server.command.list;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The list commands against redis-server, case by case (lists.redis and lists-blocking.redis). */
class ListDifferentialTest {
    @TestFactory
    Stream<DynamicNode> listCommands() {
        return Differential.tests("lists.redis");
    }

    @TestFactory
    Stream<DynamicNode> blockingListCommands() {
        return Differential.tests("lists-blocking.redis");
    }
}
