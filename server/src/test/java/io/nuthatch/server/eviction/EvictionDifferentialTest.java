package io.nuthatch.server.eviction;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** maxmemory and the policies against redis-server (eviction.redis): OOM replies, what each policy may evict. */
class EvictionDifferentialTest {
    @TestFactory
    Stream<DynamicNode> eviction() {
        return Differential.tests("eviction.redis");
    }
}
