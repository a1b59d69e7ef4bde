package io.nuthatch.server.command.server;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** DEBUG is refused unless enable-debug-command allows it, as in Redis 7.0. */
class DebugCommandTest {
    private static final List<List<String>> COMMANDS = List.of(List.of("DEBUG", "SLEEP", "0"), List.of("DEBUG"),
            List.of("DEBUG", "foo"), List.of("debug", "set-active-expire", "1"), List.of("COMMAND", "INFO", "debug"));

    private static void compare(String setting) throws IOException {
        try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", setting);
             NuthatchServer nuthatch = ReferencePair.startNuthatch("enable-debug-command", setting);
             RawConnection expected = new RawConnection(redis.port());
             RawConnection actual = new RawConnection(nuthatch.port())) {
            for (List<String> command : COMMANDS) {
                String[] arguments = command.toArray(String[]::new);
                assertEquals(Resp.escape(expected.call(arguments)), Resp.escape(actual.call(arguments)),
                        setting + ": " + command);
            }
        }
    }

    @Test
    void debugIsRefusedByDefault() throws IOException {
        compare("no");
    }

    @Test
    void debugIsAllowedFromALocalConnectionWithLocal() throws IOException {
        compare("local");
    }
}
