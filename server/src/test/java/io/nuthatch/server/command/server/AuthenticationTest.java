package io.nuthatch.server.command.server;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server with requirepass, next to a redis-server with the same password: NOAUTH, AUTH, HELLO
 * AUTH and RESET must reply the same, byte for byte, on fresh connections.
 */
class AuthenticationTest {
    private static final String PASSWORD = "s3cret";
    private static NuthatchServer nuthatch;
    private static RedisServerProcess redis;

    @BeforeAll
    static void start() throws IOException {
        nuthatch = ReferencePair.startNuthatch("requirepass", PASSWORD);
        redis = RedisServerProcess.start();
        try (RawConnection admin = new RawConnection(redis.port())) {
            // Set once started: the process's readiness check pings without a password.
            assertEquals("+OK\\r\\n", Resp.escape(admin.call("CONFIG", "SET", "requirepass", PASSWORD)));
        }
    }

    @AfterAll
    static void stop() {
        nuthatch.close();
        redis.close();
    }

    /** Runs the commands on a fresh connection to each server and compares every reply. */
    private static void compare(String[]... commands) throws IOException {
        try (RawConnection expected = new RawConnection(redis.port());
             RawConnection actual = new RawConnection(nuthatch.port())) {
            for (String[] command : commands) {
                assertEquals(Resp.escape(expected.call(command)), Resp.escape(actual.call(command)),
                        String.join(" ", command));
            }
        }
    }

    private static String[] c(String... arguments) {
        return arguments;
    }

    @Test
    void commandsNeedAuthenticationButUnknownOnesAreUnknownFirst() throws IOException {
        compare(c("GET", "k"), c("PING"), c("CLIENT", "ID"), c("SELECT", "1"), c("NOSUCH", "a"), c("GET"),
                c("CLIENT"), c("COMMAND", "COUNT"));
    }

    @Test
    void authWithThePassword() throws IOException {
        compare(c("AUTH", "wrong"), c("GET", "k"), c("AUTH"), c("AUTH", PASSWORD), c("GET", "k"));
    }

    @Test
    void authWithTheDefaultUser() throws IOException {
        compare(c("AUTH", "someone", PASSWORD), c("AUTH", "default", "S3CRET"), c("AUTH", "default", PASSWORD, "x"),
                c("AUTH", "default", ""), c("AUTH", "default", PASSWORD), c("PING"));
    }

    @Test
    void helloNeedsAuthenticationOrAuthenticates() throws IOException {
        compare(c("HELLO", "3"), c("HELLO"), c("HELLO", "3", "SETNAME", "x"), c("HELLO", "3", "AUTH", "default", "no"),
                c("HELLO", "3", "AUTH", "someone", PASSWORD), c("HELLO", "2", "AUTH", "default"));
        try (RawConnection client = new RawConnection(nuthatch.port())) {
            Object hello = RespValue.parse(client.call("HELLO", "3", "AUTH", "default", PASSWORD, "SETNAME", "h"));
            assertEquals(3L, ((Map<?, ?>) hello).get("proto"));
            assertEquals("$1\\r\\nh\\r\\n", Resp.escape(client.call("CLIENT", "GETNAME")));
        }
    }

    @Test
    void helloOptionsTakeEffectOneByOne() throws IOException {
        compare(c("HELLO", "2", "SETNAME", "n5"), c("AUTH", PASSWORD), c("CLIENT", "GETNAME"), c("RESET"),
                c("HELLO", "3", "AUTH", "default", PASSWORD, "SETNAME", "a b"), c("PING"));
    }

    @Test
    void resetForgetsTheAuthentication() throws IOException {
        compare(c("RESET"), c("AUTH", PASSWORD), c("CLIENT", "SETNAME", "n"), c("RESET"), c("GET", "k"),
                c("CLIENT", "GETNAME"), c("AUTH", "default", PASSWORD), c("CLIENT", "GETNAME"));
    }

    @Test
    void quitNeedsNoAuthentication() throws IOException {
        compare(c("QUIT"));
    }

    @Test
    void anUnauthenticatedClientMayNotSendLargeRequests() throws IOException {
        for (int port : new int[] {redis.port(), nuthatch.port()}) {
            try (RawConnection client = new RawConnection(port)) {
                client.send("*2\r\n$3\r\nGET\r\n$20000\r\n".getBytes());
                assertEquals("-ERR Protocol error: unauthenticated bulk length\\r\\n", Resp.escape(client.readReply()));
            }
            try (RawConnection client = new RawConnection(port)) {
                client.call("AUTH", PASSWORD);
                client.send("*2\r\n$3\r\nGET\r\n$20000\r\n".getBytes());
                client.send(("x".repeat(20000) + "\r\n").getBytes());
                assertEquals("$-1\\r\\n", Resp.escape(client.readReply()));
            }
        }
    }
}
