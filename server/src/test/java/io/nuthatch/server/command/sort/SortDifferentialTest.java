package io.nuthatch.server.command.sort;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** SORT and SORT_RO against redis-server, case by case (sort.redis), in RESP2 and RESP3. */
class SortDifferentialTest {
    @TestFactory
    Stream<DynamicNode> sortCommands() {
        return Differential.tests("sort.redis");
    }
}
