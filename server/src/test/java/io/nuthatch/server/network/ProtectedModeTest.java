package io.nuthatch.server.network;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ConfigException;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisCommandLine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * protected-mode, next to redis-server: a client from a non-loopback address of this machine (its
 * own eth address, so the test needs no second host) is refused while the default user has no
 * password, and served once it has one or protected mode is off.
 */
class ProtectedModeTest {
    private static InetAddress outsideAddress;

    @TempDir
    Path directory;

    @BeforeAll
    static void findNonLoopbackAddress() throws IOException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!network.isUp() || network.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(network.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    outsideAddress = address;
                    return;
                }
            }
        }
    }

    private static NuthatchServer startOnEveryInterface(String... directives) throws ConfigException {
        ServerConfig config = new ServerConfig().useFreePort();
        config.find("bind").set("*");
        config.find("save").set("");
        config.find("exporter-port").set("0");
        for (int i = 0; i + 1 < directives.length; i += 2) {
            config.find(directives[i]).set(directives[i + 1]);
        }
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        return NuthatchServer.start(config, log);
    }

    /** Sends PING from the non-loopback address and returns everything the server sent until it closed or paused. */
    private static String pingFromOutside(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(outsideAddress, 0));
            socket.connect(new InetSocketAddress(outsideAddress, port), 5000);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.write(buffer, 0, n);
                    if (received.toString(StandardCharsets.ISO_8859_1).endsWith("+PONG\r\n")) {
                        break;
                    }
                }
            } catch (IOException resetOrTimeout) {
                // A reset after -DENIED or the end of what was sent: what arrived is the answer.
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static long rejectedConnections(RawConnection connection) throws IOException {
        Matcher matcher = Pattern.compile("rejected_connections:(\\d+)")
                .matcher(new String(connection.call("INFO", "stats"), StandardCharsets.ISO_8859_1));
        assertTrue(matcher.find());
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void aClientFromOutsideIsDeniedWithRedisTextWhileTheDefaultUserHasNoPassword() throws Exception {
        assumeTrue(outsideAddress != null, "this machine has no non-loopback IPv4 address");
        try (RedisCommandLine.Started redis = RedisCommandLine.start(directory, List.of("--bind", "*", "--save", ""));
             NuthatchServer nuthatch = startOnEveryInterface();
             RawConnection local = new RawConnection(nuthatch.port())) {
            String expected = pingFromOutside(redis.port());
            assertTrue(expected.startsWith("-DENIED Redis is running in protected mode"), expected);
            assertEquals(expected, pingFromOutside(nuthatch.port()));
            assertEquals(1, rejectedConnections(local));
            assertEquals("+PONG\r\n", new String(local.call("PING"), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aPasswordOrProtectedModeOffLetsClientsFromOutsideIn() throws Exception {
        assumeTrue(outsideAddress != null, "this machine has no non-loopback IPv4 address");
        try (NuthatchServer nuthatch = startOnEveryInterface();
             RawConnection local = new RawConnection(nuthatch.port())) {
            local.call("CONFIG", "SET", "protected-mode", "no");
            assertEquals("+PONG\r\n", pingFromOutside(nuthatch.port()));
            local.call("CONFIG", "SET", "protected-mode", "yes");
            local.call("ACL", "SETUSER", "default", "resetpass", ">secret");
            assertEquals("-NOAUTH Authentication required.\r\n", pingFromOutside(nuthatch.port()));
            assertEquals(0, rejectedConnections(local));
        }
    }
}
