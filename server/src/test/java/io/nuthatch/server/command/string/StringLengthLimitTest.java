package io.nuthatch.server.command.string;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * proto-max-bulk-len bounds what APPEND and SETRANGE may build and how large a table LCS may use.
 * Both servers run with the smallest limit (1mb), so the boundaries are cheap to reach; replies
 * are compared byte for byte.
 */
class StringLengthLimitTest {
    private static RedisServerProcess redis;
    private static NuthatchServer nuthatch;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServerProcess.start("--proto-max-bulk-len", "1mb");
        nuthatch = ReferencePair.startNuthatch("proto-max-bulk-len", "1mb");
    }

    @AfterAll
    static void stop() {
        nuthatch.close();
        redis.close();
    }

    @Test
    void appendSetrangeAndLcsStopAtTheLimit() throws IOException {
        String[][] commands = {
                {"SETRANGE", "k", "1048575", "x"},
                {"APPEND", "k", ""},
                {"APPEND", "k", "x"},
                {"SETRANGE", "k", "1048575", "yz"},
                {"SETRANGE", "k", "1048576", "y"},
                {"SETRANGE", "new", "1048576", "y"},
                {"SETRANGE", "new", "1048575", "yz"},
                {"SETRANGE", "new", "1048576", ""},
                {"SETRANGE", "k", "1048575", "y"},
                {"STRLEN", "k"},
                {"GETRANGE", "k", "-2", "-1"},
                {"SETRANGE", "a", "510", "a"},
                {"SETRANGE", "b", "510", "b"},
                {"LCS", "a", "b", "LEN"},
                {"APPEND", "b", "c"},
                {"LCS", "a", "b", "LEN"},
                {"LCS", "a", "b", "IDX"},
                {"SETRANGE", "c", "600", "c"},
                {"LCS", "a", "c"},
        };
        try (RawConnection expected = new RawConnection(redis.port());
             RawConnection actual = new RawConnection(nuthatch.port())) {
            for (String[] command : commands) {
                assertEquals(Resp.escape(expected.call(command)), Resp.escape(actual.call(command)),
                        String.join(" ", command));
            }
        }
    }
}
