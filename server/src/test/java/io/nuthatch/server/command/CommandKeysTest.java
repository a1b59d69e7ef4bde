package io.nuthatch.server.command;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.server.IntrospectionCommands;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Key extraction for every kind of command of the catalog, registered here or not, against
 * redis-server's COMMAND GETKEYSANDFLAGS: key specs of each shape, and the commands whose own rule
 * replaces them.
 */
class CommandKeysTest {
    private static final String[] LINES = {
        "get k", "get a b", "set k v", "set k v GET", "set k v EX 10 get", "set k v nx", "getex k PX 1", "getdel k",
        "mset a b c d", "mset a b c", "mget a b c", "del a b", "exists a", "rename a b", "copy a b", "lcs a b",
        "lmove a b LEFT RIGHT", "blmove a b LEFT RIGHT 0", "brpoplpush a b 0", "smove a b m", "bitop and d a b",
        "blpop a 0", "brpop a b 0", "bzpopmin a b 0", "pfcount a b", "pfmerge d a b", "hset h f v",
        "xadd s * f v", "xautoclaim s g c 0 0", "xclaim s g c 0 1", "watch a b", "object encoding k",
        "xinfo stream k", "memory usage k", "client list", "config get x", "publish c m", "spublish c m",
        "subscribe c", "ping a", "eval s 0", "eval s 2 a b c", "eval s 3 a b", "eval s -1", "eval s x", "eval s 1x a",
        "evalsha h 1 a", "eval_ro s 1 a", "evalsha_ro h 1 a b", "fcall f 1 a b", "fcall_ro f 0",
        "zunionstore d 2 a b", "zunionstore d 0 a b", "zunionstore d 1x a", "zunionstore d 2 a",
        "zinterstore d 1 a WEIGHTS 1", "zdiffstore d 2 a b", "zunion 2 a b", "zinter 1 a", "zdiff 2 a b",
        "zintercard 2 a b LIMIT 1", "zintercard 1x a", "sintercard 2 a b", "sintercard 1x a", "sintercard 0 a",
        "lmpop 2 a b LEFT", "lmpop 1x a LEFT", "lmpop 0 a LEFT", "blmpop 0 2 a b LEFT", "blmpop 0 1x a LEFT",
        "zmpop 1 a MIN", "bzmpop 1 1 a MAX", "sort k", "sort k STORE d", "sort k BY p GET g STORE d",
        "sort k LIMIT 0 STORE STORE d", "sort k STORE", "sort k store d store e", "sort k GET STORE STORE d",
        "sort_ro k BY x", "migrate h p k 0 5", "migrate h p \"\" 0 5 KEYS a b", "migrate h p k 0 5 KEYS a b",
        "migrate h p \"\" 0 5 AUTH pw KEYS a", "migrate h p \"\" 0 5 AUTH2 u pw KEYS a b",
        "migrate h p \"\" 0 5 KEYS", "migrate h p \"\" 0 5 COPY REPLACE KEYS a", "migrate h p k 0 5 AUTH KEYS",
        "georadius k 1 2 3 m STORE x", "georadius k 1 2 3 m STORE", "georadius k 1 2 3 m STOREDIST x",
        "georadius k 1 2 3 m STORE x STOREDIST y", "georadiusbymember k m 3 km STORE d", "georadius_ro k 1 2 3 m",
        "xread STREAMS a b 1 2", "xread STREAMS a b 1", "xread COUNT 1 STREAMS a 1", "xread STREAMS a",
        "xread COUNT STREAMS STREAMS a 1", "xreadgroup GROUP g c STREAMS a 1",
        "xreadgroup GROUP g c COUNT 1 STREAMS a b 1 2", "bitfield k GET u8 0", "bitfield k SET u8 0 1",
        "bitfield k OVERFLOW SAT GET u8 0", "bitfield k GET u8", "bitfield k INCRBY u8 0 1", "bitfield k foo",
        "bitfield_ro k GET u8 0", "memory usage", "object encoding",
    };

    private static Map<String, CommandSpec> catalog;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void loadCatalog() throws IOException {
        try (InputStream in = CommandTable.class.getResourceAsStream("command-catalog.json")) {
            Map<String, Object> root = (Map<String, Object>) JsonReader.parse(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            catalog = new LinkedHashMap<>();
            ((Map<String, Object>) root.get("commands")).forEach((name, entry) -> {
                Map<String, Object> fields = (Map<String, Object>) entry;
                CommandSpec spec = new CommandSpec(name, fields, null, null, null, null);
                Map<String, Object> subcommands = (Map<String, Object>) fields.get("subcommands");
                if (subcommands != null) {
                    subcommands.forEach((sub, subEntry) -> spec.addSubcommand(new CommandSpec(name + "|" + sub,
                            (Map<String, Object>) subEntry, null, null, null, spec)));
                }
                catalog.put(name, spec);
            });
        }
    }

    @TestFactory
    Stream<DynamicTest> keysAreFoundAsRedisFindsThem() {
        return Stream.of(LINES).map(line -> DynamicTest.dynamicTest(line, () -> {
            String[] arguments = split(line);
            assertEquals(redis(arguments), ours(arguments), line);
        }));
    }

    private static String[] split(String line) {
        return Stream.of(line.split(" ")).map(word -> word.equals("\"\"") ? "" : word).toArray(String[]::new);
    }

    /** Redis's answer as text: the error, or "key [flags] key [flags]...". */
    private static String redis(String[] arguments) throws IOException {
        String[] command = new String[arguments.length + 2];
        command[0] = "COMMAND";
        command[1] = "GETKEYSANDFLAGS";
        System.arraycopy(arguments, 0, command, 2, arguments.length);
        try (RawConnection connection = new RawConnection(ReferencePair.shared().redisPort())) {
            Object reply = RespValue.parse(connection.call(command));
            if (reply instanceof RespValue.Error error) {
                return error.message();
            }
            List<String> keys = new ArrayList<>();
            for (Object key : (List<?>) reply) {
                keys.add(((List<?>) key).get(0) + " " + ((List<?>) key).get(1));
            }
            return String.join(" ", keys);
        }
    }

    private static String ours(String[] arguments) {
        CommandSpec command = catalog.get(arguments[0].toLowerCase());
        if (command != null && command.isContainer() && arguments.length >= 2) {
            command = command.subcommands().get(arguments[1].toLowerCase());
        }
        try {
            RequestArguments request = RequestArguments.of(arguments);
            List<String> keys = new ArrayList<>();
            for (CommandKeys.KeyReference key : IntrospectionCommands.keysOf(command, request, 0)) {
                keys.add(arguments[key.position()] + " " + key.flags());
            }
            return String.join(" ", keys);
        } catch (CommandError error) {
            return error.getMessage();
        }
    }
}
