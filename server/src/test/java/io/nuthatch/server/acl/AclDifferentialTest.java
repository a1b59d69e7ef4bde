package io.nuthatch.server.acl;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

class AclDifferentialTest {
    @TestFactory
    Stream<DynamicNode> aclCommands() {
        return Differential.tests("acl.redis");
    }
}
