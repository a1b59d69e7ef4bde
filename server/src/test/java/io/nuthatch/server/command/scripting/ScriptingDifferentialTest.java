package io.nuthatch.server.command.scripting;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** EVAL, EVALSHA, SCRIPT and the Lua libraries against redis-server (scripting.redis). */
class ScriptingDifferentialTest {
    @TestFactory
    Stream<DynamicNode> scripting() {
        return Differential.tests("scripting.redis");
    }

    /** Scripts that wrote on their caller's thread, taken back to run on the script's thread. */
    @TestFactory
    Stream<DynamicNode> scriptsTakenBack() {
        return Differential.tests("scripting-taken-back.redis");
    }
}
