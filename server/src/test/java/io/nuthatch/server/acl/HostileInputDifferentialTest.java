package io.nuthatch.server.acl;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The findings of the hostile-client probe (issue 11) that show in a reply, compared with redis-server. */
class HostileInputDifferentialTest {
    @TestFactory
    Stream<DynamicNode> hostileInput() {
        return Differential.tests("hostile.redis");
    }
}
