package io.nuthatch.server.command.key;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keys of every length class of the entry's length prefix (one byte up to 127, two up to 16383,
 * three beyond), with values written whole and grown in place, through the commands that read a
 * key back out of its entry (SCAN, KEYS, RANDOMKEY), move it (RENAME, MOVE, COPY) or change its
 * value or expiry, compared byte for byte with redis-server.
 */
class LongKeyDifferentialTest {

    @ParameterizedTest(name = "key of {0} bytes")
    @ValueSource(ints = {0, 1, 127, 128, 200, 16_383, 16_384, 70_000})
    void keysOfEveryLengthBehaveAsInRedis(int length) throws IOException {
        String key = key(length, 'k');
        String other = key(length + 1, 'o');
        List<String[]> commands = List.of(
                new String[] {"FLUSHALL"},
                new String[] {"SET", key, "12"},
                new String[] {"GET", key},
                new String[] {"INCR", key},
                new String[] {"OBJECT", "ENCODING", key},
                new String[] {"APPEND", key, "-appended"},
                new String[] {"SETRANGE", key, "40", "x"},
                new String[] {"GET", key},
                new String[] {"STRLEN", key},
                new String[] {"OBJECT", "ENCODING", key},
                new String[] {"PEXPIRE", key, "100000"},
                new String[] {"RENAME", key, other},
                new String[] {"EXISTS", key, other},
                new String[] {"GET", other},
                new String[] {"TTL", other},
                new String[] {"SCAN", "0", "COUNT", "100"},
                new String[] {"KEYS", "*"},
                new String[] {"RANDOMKEY"},
                new String[] {"COPY", other, key, "DB", "1"},
                new String[] {"MOVE", other, "2"},
                new String[] {"SELECT", "1"},
                new String[] {"GET", key},
                new String[] {"TTL", key},
                new String[] {"OBJECT", "ENCODING", key},
                new String[] {"SETBIT", key, "7", "0"},
                new String[] {"GET", key},
                new String[] {"PERSIST", key},
                new String[] {"TTL", key},
                new String[] {"SELECT", "2"},
                new String[] {"GETDEL", other},
                new String[] {"DBSIZE"});
        ReferencePair pair = ReferencePair.shared();
        try (RawConnection redis = new RawConnection(pair.redisPort());
             RawConnection nuthatch = new RawConnection(pair.nuthatchPort())) {
            for (String[] command : commands) {
                List<byte[]> arguments = new ArrayList<>();
                for (String argument : command) {
                    arguments.add(argument.getBytes(StandardCharsets.ISO_8859_1));
                }
                String where = command[0] + " with a key of " + length + " bytes";
                assertEquals(Resp.escape(redis.call(arguments)), Resp.escape(nuthatch.call(arguments)), where);
            }
            redis.call("FLUSHALL");
            nuthatch.call("FLUSHALL");
        }
    }

    private static String key(int length, char fill) {
        StringBuilder key = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            key.append(i % 97 == 0 ? (char) ('0' + i % 10) : fill);
        }
        return key.toString();
    }
}
