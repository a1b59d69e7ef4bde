package io.nuthatch.server.command.zset;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The sorted-set commands against redis-server, case by case (zsets.redis): options, errors,
 * wrong types, empty keys, out-of-range indexes, negative and huge counts, binary and duplicate
 * members, score formatting, and the listpack/skiplist switch points.
 */
class SortedSetDifferentialTest {
    @TestFactory
    Stream<DynamicNode> sortedSetCommands() {
        return Differential.tests("zsets.redis");
    }
}
