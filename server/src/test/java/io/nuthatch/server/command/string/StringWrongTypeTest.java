package io.nuthatch.server.command.string;

import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.StringValue;
import io.nuthatch.server.type.ValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * String commands on a key of another type. No other type is implemented yet, so the key "l" is a
 * list created with RPUSH on redis-server and a stand-in list value placed directly in Nuthatch's
 * keyspace; every command's reply is then compared byte for byte, in RESP2 and RESP3.
 */
class StringWrongTypeTest {

    /** A value of another type, for as long as no list exists in the server. */
    private static final class OtherTypeValue implements StoredValue {
        @Override
        public ValueType type() {
            return ValueType.LIST;
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public long memoryUsage() {
            return 64;
        }

        @Override
        public StoredValue copy() {
            return this;
        }
    }

    @Test
    void requireStringRefusesOtherTypes() {
        KeyEntry[] entries = new KeyEntry[2];
        Engine engine = ReferencePair.shared().nuthatch().engine();
        engine.lock().lock();
        try {
            Database database = engine.keyspace().database(15);
            entries[0] = database.set("unit-string".getBytes(StandardCharsets.US_ASCII),
                    StringValue.wrap(new byte[] {'v'}), false);
            entries[1] = database.set("unit-list".getBytes(StandardCharsets.US_ASCII), new OtherTypeValue(), false);
        } finally {
            engine.lock().unlock();
        }
        assertSame(entries[0], CommandContext.requireString(entries[0]));
        CommandError error = assertThrows(CommandError.class, () -> CommandContext.requireString(entries[1]));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                new String(error.reply(), StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "GET l", "SET l v GET", "SET l v NX GET", "SET l v EX 0 GET", "GETSET l v", "GETDEL l", "GETEX l",
            "GETEX l EX 0", "GETEX l PERSIST", "GETEX l FOO", "MGET l missing l", "APPEND l x", "APPEND l ''",
            "STRLEN l", "GETRANGE l 0 -1", "GETRANGE l a b", "SUBSTR l 0 1", "SETRANGE l 0 x", "SETRANGE l 0 ''",
            "SETRANGE l -1 x", "SETRANGE l 536870912 x", "INCR l", "DECR l", "INCRBY l 1", "INCRBY l abc",
            "DECRBY l 1", "DECRBY l -9223372036854775808", "INCRBYFLOAT l 1", "INCRBYFLOAT l abc",
            "LCS l missing", "LCS missing l", "LCS l l IDX LEN", "LCS l l FOO", "SETNX l v", "MSETNX a 1 l v",
            "SET l v", "SET l v XX", "SET l v NX", "MSET l v", "SETEX l 10 v", "PSETEX l 10000 v",
    })
    void commandOnAnotherType(String command) throws Exception {
        for (int protocol = 2; protocol <= 3; protocol++) {
            ReferencePair pair = ReferencePair.shared();
            try (RawConnection redis = new RawConnection(pair.redisPort());
                 RawConnection nuthatch = new RawConnection(pair.nuthatchPort())) {
                for (RawConnection connection : List.of(redis, nuthatch)) {
                    connection.call("HELLO", Integer.toString(protocol));
                    connection.call("FLUSHALL");
                }
                redis.call("RPUSH", "l", "a");
                placeOtherType(pair, "l");
                String[] arguments = command.replace("''", "\u0000").split(" ");
                for (int i = 0; i < arguments.length; i++) {
                    arguments[i] = arguments[i].replace("\u0000", "");
                }
                String where = command + " (RESP" + protocol + ")";
                assertEquals(Resp.escape(redis.call(arguments)), Resp.escape(nuthatch.call(arguments)), where);
                // What the key holds afterwards: a string, or still the other type.
                assertEquals(Resp.escape(redis.call("GET", "l")), Resp.escape(nuthatch.call("GET", "l")),
                        where + " then GET");
            }
        }
    }

    private static void placeOtherType(ReferencePair pair, String key) {
        Engine engine = pair.nuthatch().engine();
        engine.lock().lock();
        try {
            engine.keyspace().database(0).set(key.getBytes(StandardCharsets.US_ASCII), new OtherTypeValue(), false);
        } finally {
            engine.lock().unlock();
        }
    }
}
