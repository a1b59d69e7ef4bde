package io.nuthatch.server.command;

import io.nuthatch.server.StandardCommands;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COMMAND INFO and COMMAND DOCS for every command of the table, whoever registered it, against
 * redis-server: INFO byte for byte, DOCS with the same structure (our summaries and complexities,
 * no history).
 */
class CommandDescriptionTest {
    /** Commands newer than the 7.0 reference server. */
    private static final Set<String> NEWER = Set.of("client|setinfo", "client|no-touch");

    private static List<String> commandNames() {
        List<String> names = new ArrayList<>();
        for (CommandSpec command : StandardCommands.table().commands()) {
            if (command.subcommands().isEmpty()) {
                names.add(command.name());
            }
            for (CommandSpec subcommand : command.subcommands().values()) {
                if (!NEWER.contains(subcommand.name())) {
                    names.add(subcommand.name());
                }
            }
        }
        return names;
    }

    @TestFactory
    Stream<DynamicTest> commandInfoIsRedisByteForByte() {
        return commandNames().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            for (int protocol : new int[] {2, 3}) {
                assertEquals(Resp.escape(call(true, protocol, "COMMAND", "INFO", name)),
                        Resp.escape(call(false, protocol, "COMMAND", "INFO", name)), name + " RESP" + protocol);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> commandDocsHasRedisStructure() {
        return commandNames().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Map<?, ?> expected = (Map<?, ?>) RespValue.parse(call(true, 3, "COMMAND", "DOCS", name));
            Map<?, ?> actual = (Map<?, ?>) RespValue.parse(call(false, 3, "COMMAND", "DOCS", name));
            Map<?, ?> ours = (Map<?, ?>) actual.get(name);
            assertTrue(ours.get("summary") instanceof String summary && !summary.isEmpty(), "a summary");
            assertTrue(ours.get("complexity") instanceof String complexity && !complexity.isEmpty(), "a complexity");
            assertEquals(withoutProse(expected.get(name)), withoutProse(ours), name);
        }));
    }

    /** The docs without summary, complexity and history, the parts in our own words or left out. */
    private static Map<Object, Object> withoutProse(Object docs) {
        Map<Object, Object> kept = new LinkedHashMap<>((Map<?, ?>) docs);
        kept.remove("summary");
        kept.remove("complexity");
        kept.remove("history");
        return kept;
    }

    @Test
    void commandCountAndListAreTheTable() throws IOException {
        CommandTable table = StandardCommands.table();
        assertEquals((long) table.size(), RespValue.parse(call(false, 2, "COMMAND", "COUNT")));
        List<String> names = new ArrayList<>();
        for (CommandSpec command : table.commands()) {
            names.add(command.name());
            command.subcommands().values().forEach(subcommand -> names.add(subcommand.name()));
        }
        assertEquals(names, RespValue.parse(call(false, 2, "COMMAND", "LIST")));
        assertEquals(table.size(), ((List<?>) RespValue.parse(call(false, 2, "COMMAND"))).size());
        assertEquals(table.size(), ((Map<?, ?>) RespValue.parse(call(false, 3, "COMMAND", "DOCS"))).size());
    }

    @Test
    void commandListFiltersByCategoryAsRedisDoes() throws IOException {
        Set<String> ours = Set.copyOf(commandNames());
        for (String category : List.of("connection", "READ", "write", "admin", "dangerous", "fast", "keyspace")) {
            List<?> expected = (List<?>) RespValue.parse(call(true, 2, "COMMAND", "LIST", "FILTERBY", "ACLCAT", category));
            List<?> actual = (List<?>) RespValue.parse(call(false, 2, "COMMAND", "LIST", "FILTERBY", "ACLCAT", category));
            assertEquals(Set.copyOf(expected.stream().filter(ours::contains).toList()),
                    Set.copyOf(actual.stream().filter(ours::contains).toList()), category);
        }
    }

    @Test
    void containersDescribeTheirSubcommands() throws IOException {
        List<?> info = (List<?>) ((List<?>) RespValue.parse(call(false, 3, "COMMAND", "INFO", "client"))).get(0);
        assertEquals("client", info.get(0));
        List<?> subcommands = (List<?>) info.get(9);
        assertEquals(StandardCommands.table().find("client").subcommands().size(), subcommands.size());
        Map<?, ?> docs = (Map<?, ?>) ((Map<?, ?>) RespValue.parse(call(false, 3, "COMMAND", "DOCS", "client")))
                .get("client");
        assertEquals("Depends on subcommand.", docs.get("complexity"));
        assertTrue(((Map<?, ?>) docs.get("subcommands")).containsKey("client|setinfo"));
    }

    private static byte[] call(boolean redis, int protocol, String... command) throws IOException {
        ReferencePair pair = ReferencePair.shared();
        try (RawConnection connection = new RawConnection(redis ? pair.redisPort() : pair.nuthatchPort())) {
            if (protocol == 3) {
                connection.call("HELLO", "3");
            }
            return connection.call(command);
        }
    }
}
