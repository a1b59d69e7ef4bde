package io.nuthatch.server.introspection;

import io.nuthatch.resp.RequestArguments;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which arguments MONITOR replaces with "(redacted)", for the forms monitor.redis cannot compare
 * with redis-server: MIGRATE (not a Nuthatch command yet, so never fed today) and option orders.
 */
class MonitorRedactionTest {
    private static List<Integer> redacted(String command, String... words) {
        RequestArguments arguments = RequestArguments.of(words);
        List<Integer> indexes = new ArrayList<>();
        for (int i = 1; i < arguments.count(); i++) {
            if (MonitorFeed.redacted(command, arguments, i)) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    @Test
    void everyArgumentOfAuth() {
        assertEquals(List.of(1), redacted("auth", "AUTH", "pw"));
        assertEquals(List.of(1, 2), redacted("auth", "AUTH", "user", "pw"));
    }

    @Test
    void helloRedactsTheUserAndPasswordAfterAuthWhateverTheOptionOrder() {
        assertEquals(List.of(), redacted("hello", "HELLO", "3"));
        assertEquals(List.of(3, 4), redacted("hello", "HELLO", "3", "auth", "u", "p"));
        assertEquals(List.of(5, 6), redacted("hello", "HELLO", "3", "SETNAME", "auth", "AUTH", "u", "p"));
        // A client name spelled "auth" is a name, not the option.
        assertEquals(List.of(), redacted("hello", "HELLO", "3", "SETNAME", "auth"));
    }

    @Test
    void migrateRedactsAuthAndAuth2UpToKeys() {
        assertEquals(List.of(7), redacted("migrate", "MIGRATE", "h", "1", "k", "0", "10", "AUTH", "pw"));
        assertEquals(List.of(8, 9), redacted("migrate", "MIGRATE", "h", "1", "", "0", "10", "COPY", "AUTH2", "u", "pw",
                "KEYS", "a", "b"));
        // After KEYS come key names, one of which may be called AUTH.
        assertEquals(List.of(), redacted("migrate", "MIGRATE", "h", "1", "", "0", "10", "KEYS", "AUTH", "x"));
    }

    @Test
    void otherCommandsKeepTheirArguments() {
        assertEquals(List.of(), redacted("set", "SET", "AUTH", "pw"));
    }
}
