package io.nuthatch.server.network;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.ClientOptions;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.StartupException;
import io.nuthatch.server.config.ConfigException;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespReplyReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on tls-port: redis-cli --tls and Lettuce against the server, certificates made by openssl,
 * client certificates, reload, the key forms OpenSSL writes, and clients that never speak TLS.
 */
class TlsTest {
    @TempDir
    static Path directory;
    private static TestCertificates certificates;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificates = TestCertificates.create(directory);
    }

    @Test
    void redisCliPingsSetsAndGetsOverTlsWithAClientCertificate() throws Exception {
        try (NuthatchServer server = start()) {
            assertEquals("PONG", redisCli(server.tlsPort(), true, "PING"));
            assertEquals("OK", redisCli(server.tlsPort(), true, "SET", "greeting", "hello"));
            assertEquals("hello", redisCli(server.tlsPort(), true, "GET", "greeting"));
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedWhenTlsAuthClientsIsYes() throws Exception {
        try (NuthatchServer server = start()) {
            String refused = redisCli(server.tlsPort(), false, "PING");
            assertFalse(refused.contains("PONG"), refused);
            awaitHandshakeFailures(server, 1);
            assertEquals("PONG", redisCli(server.tlsPort(), true, "PING"), "the server goes on serving");
            assertTrue(log().contains("Error accepting a client connection"), log());
        }
    }

    @Test
    void aClientWithoutACertificateIsAcceptedWhenTlsAuthClientsIsOptionalOrNo() throws Exception {
        for (String mode : List.of("optional", "no")) {
            try (NuthatchServer server = start("tls-auth-clients", mode)) {
                assertEquals("PONG", redisCli(server.tlsPort(), false, "PING"), mode);
                assertEquals("PONG", redisCli(server.tlsPort(), true, "PING"), mode);
            }
        }
    }

    @Test
    void plainAndTlsClientsShareOneServer() throws Exception {
        try (NuthatchServer server = start();
             RawConnection plain = new RawConnection(server.port())) {
            assertEquals("+OK\r\n", text(plain.call("SET", "shared", "over plain TCP")));
            assertEquals("over plain TCP", redisCli(server.tlsPort(), true, "GET", "shared"));
            assertEquals("OK", redisCli(server.tlsPort(), true, "SET", "shared", "over TLS"));
            assertEquals("$8\r\nover TLS\r\n", text(plain.call("GET", "shared")));
            String info = text(plain.call("INFO", "server"));
            assertTrue(info.contains("tcp_port:" + server.port() + "\r\n"), info);
            String clients = redisCli(server.tlsPort(), true, "CLIENT", "LIST");
            assertEquals(2, clients.lines().count(), "a TLS client is a client like any other: " + clients);
        }
    }

    @Test
    void lettuceConnectsWithTlsAndAClientCertificate() throws Exception {
        try (NuthatchServer server = start()) {
            SslOptions ssl = SslOptions.builder().jdkSslProvider()
                    .trustManager(certificates.caCert.toFile())
                    .keyManager(certificates.clientCert.toFile(), certificates.clientKey.toFile(), null)
                    .build();
            RedisClient client = RedisClient.create(RedisURI.builder().withHost("localhost")
                    .withPort(server.tlsPort()).withSsl(true).withVerifyPeer(true).build());
            client.setOptions(ClientOptions.builder().sslOptions(ssl).build());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                assertEquals("PONG", connection.sync().ping());
                connection.sync().set("lettuce", "over TLS");
                assertEquals("over TLS", connection.sync().get("lettuce"));
                List<String> values = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    connection.async().rpush("list", "value-" + i);
                }
                values.addAll(connection.sync().lrange("list", 0, -1));
                assertEquals(1000, values.size(), "a pipeline of 1000 commands over TLS");
            } finally {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void configSetOfANewCertificateAppliesToNewConnectionsAndKeepsOpenOnes() throws Exception {
        try (NuthatchServer server = start();
             SSLSocket before = connect(server.tlsPort(), true)) {
            assertEquals(BigInteger.valueOf(TestCertificates.FIRST_SERVER_SERIAL), serialOf(before));
            assertEquals("+PONG\r\n", call(before, "PING"));

            assertEquals("+OK\r\n", call(before, "CONFIG", "SET", "tls-cert-file", certificates.secondServerCert.toString(),
                    "tls-key-file", certificates.secondServerKey.toString()));

            try (SSLSocket after = connect(server.tlsPort(), true)) {
                assertEquals(BigInteger.valueOf(TestCertificates.SECOND_SERVER_SERIAL), serialOf(after));
                assertEquals("+PONG\r\n", call(after, "PING"));
            }
            assertEquals("+PONG\r\n", call(before, "PING"), "the connection made before the reload goes on");
            assertEquals(BigInteger.valueOf(TestCertificates.FIRST_SERVER_SERIAL), serialOf(before));
        }
    }

    @Test
    void aCertificateThatCannotBeLoadedIsRefusedByConfigSetAndTheOldOneStays() throws Exception {
        try (NuthatchServer server = start();
             SSLSocket connection = connect(server.tlsPort(), true)) {
            String missing = directory.resolve("missing.crt").toString();
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS"
                    + " configuration. Check server logs.\r\n", call(connection, "CONFIG", "SET", "tls-cert-file", missing));
            assertTrue(log().contains("Failed to load certificate: " + missing + ": No such file or directory"), log());
            assertEquals("*2\r\n$13\r\ntls-cert-file\r\n$" + certificates.serverCert.toString().length() + "\r\n"
                    + certificates.serverCert + "\r\n", call(connection, "CONFIG", "GET", "tls-cert-file"));
            try (SSLSocket fresh = connect(server.tlsPort(), true)) {
                assertEquals(BigInteger.valueOf(TestCertificates.FIRST_SERVER_SERIAL), serialOf(fresh));
            }
        }
    }

    @Test
    void configGetShowsTheTlsSettingsAsGiven() throws Exception {
        try (NuthatchServer server = start("tls-protocols", "TLSv1.2 TLSv1.3", "tls-auth-clients", "optional");
             RawConnection plain = new RawConnection(server.port())) {
            assertEquals("*2\r\n$8\r\ntls-port\r\n$" + Integer.toString(server.tlsPort()).length() + "\r\n"
                    + server.tlsPort() + "\r\n", text(plain.call("CONFIG", "GET", "tls-port")));
            assertEquals("*2\r\n$13\r\ntls-protocols\r\n$15\r\nTLSv1.2 TLSv1.3\r\n",
                    text(plain.call("CONFIG", "GET", "tls-protocols")));
            assertEquals("*2\r\n$16\r\ntls-auth-clients\r\n$8\r\noptional\r\n",
                    text(plain.call("CONFIG", "GET", "tls-auth-clients")));
        }
    }

    @Test
    void tlsProtocolsAndCiphersChooseWhatIsNegotiated() throws Exception {
        try (NuthatchServer server = start("tls-protocols", "TLSv1.2", "tls-ciphers", "ECDHE-RSA-AES128-GCM-SHA256");
             SSLSocket connection = connect(server.tlsPort(), true)) {
            assertEquals("TLSv1.2", connection.getSession().getProtocol());
            assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", connection.getSession().getCipherSuite());
        }
        try (NuthatchServer server = start("tls-protocols", "TLSv1.3", "tls-ciphersuites", "TLS_AES_256_GCM_SHA384");
             SSLSocket connection = connect(server.tlsPort(), true)) {
            assertEquals("TLSv1.3", connection.getSession().getProtocol());
            assertEquals("TLS_AES_256_GCM_SHA384", connection.getSession().getCipherSuite());
        }
        StartupException refused = assertThrows(StartupException.class, () -> start("tls-protocols", "SSLv3"));
        assertEquals("Failed to configure TLS. Check logs for more info.", refused.getMessage());
        assertTrue(log().contains("Invalid tls-protocols specified."), log());
    }

    @Test
    void tlsSessionCachingDecidesWhetherASecondConnectionResumesTheSession() throws Exception {
        for (boolean caching : List.of(true, false)) {
            try (NuthatchServer server = start("tls-protocols", "TLSv1.2", "tls-session-caching", caching ? "yes" : "no")) {
                SSLContext client = clientContext(true);
                byte[] first;
                try (SSLSocket connection = connect(client, server.tlsPort())) {
                    assertEquals("+PONG\r\n", call(connection, "PING"));
                    first = connection.getSession().getId();
                }
                try (SSLSocket connection = connect(client, server.tlsPort())) {
                    assertEquals("+PONG\r\n", call(connection, "PING"));
                    assertEquals(caching, java.util.Arrays.equals(first, connection.getSession().getId()),
                            "tls-session-caching " + caching);
                }
            }
        }
    }

    @Test
    void privateKeysInEveryFormOpensslWritesAreRead() throws Exception {
        for (Path key : List.of(certificates.serverKeyPkcs1, certificates.serverKeyEncryptedPkcs8,
                certificates.serverKeyEncryptedTraditional)) {
            try (NuthatchServer server = startOrShowLog("tls-key-file", key.toString(), "tls-key-file-pass",
                    TestCertificates.PASS_PHRASE);
                 SSLSocket connection = connect(server.tlsPort(), true)) {
                assertEquals("+PONG\r\n", call(connection, "PING"), key.toString());
            }
        }
        try (NuthatchServer server = startOrShowLog("tls-cert-file", certificates.ecCert.toString(),
                "tls-key-file", certificates.ecKeySec1.toString());
             SSLSocket connection = connect(server.tlsPort(), true)) {
            assertEquals("+PONG\r\n", call(connection, "PING"), "EC key (SEC1)");
        }
    }

    @Test
    void aBadKeyFileStopsStartupWithRedisMessages() {
        Path notAKey = certificates.caCert;
        assertThrows(StartupException.class, () -> start("tls-key-file", notAKey.toString()));
        assertTrue(log().contains("# Failed to load private key: " + notAKey + ": "), log());

        assertThrows(StartupException.class, () -> start("tls-key-file", certificates.clientKey.toString()));
        assertTrue(log().contains("Failed to load private key: " + certificates.clientKey + ": key values mismatch"), log());

        assertThrows(StartupException.class, () -> start("tls-key-file",
                certificates.serverKeyEncryptedPkcs8.toString(), "tls-key-file-pass", "wrong"));
        assertTrue(log().contains("Failed to load private key: " + certificates.serverKeyEncryptedPkcs8 + ": cannot decrypt"),
                log());

        assertThrows(StartupException.class, () -> start("tls-ca-cert-file", ""));
        assertTrue(log().contains("Either tls-ca-cert-file or tls-ca-cert-dir must be specified"), log());
    }

    @Test
    void theProcessExitsWithRedisServersLinesWhenTheKeyFileIsBad() throws Exception {
        Path garbage = java.nio.file.Files.writeString(directory.resolve("garbage.key"), "not a key\n");
        // tls-port 1: the TLS settings are read before anything listens, so nothing binds it.
        List<String> arguments = List.of("--port", "0", "--tls-port", "1", "--save", "",
                "--tls-cert-file", certificates.serverCert.toString(), "--tls-key-file", garbage.toString(),
                "--tls-ca-cert-file", certificates.caCert.toString());
        List<String> redis = new ArrayList<>(List.of("redis-server"));
        redis.addAll(arguments);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> ours = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                io.nuthatch.server.Main.class.getName()));
        ours.addAll(arguments);
        ours.addAll(List.of("--exporter-port", "0"));
        for (List<String> command : List.of(redis, ours)) {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
            assertEquals(1, process.exitValue(), output);
            List<String> lines = output.lines().map(line -> line.replaceFirst("^\\d+:[A-Z] \\d+ \\w+ \\d+ [\\d:.]+ ", ""))
                    .toList();
            assertTrue(lines.get(lines.size() - 2).startsWith("# Failed to load private key: " + garbage + ": "), output);
            assertEquals("# Failed to configure TLS. Check logs for more info.", lines.get(lines.size() - 1), output);
        }
    }

    @Test
    void aCaCertificateDirectoryTrustsTheClientsItsCertificatesSigned() throws Exception {
        try (NuthatchServer server = start("tls-ca-cert-file", "", "tls-ca-cert-dir", directory.toString())) {
            assertEquals("PONG", redisCli(server.tlsPort(), true, "PING"));
        }
    }

    @Test
    void plaintextRespOnTheTlsPortIsClosedLoggedAndCounted() throws Exception {
        try (NuthatchServer server = start()) {
            for (int i = 0; i < 5; i++) {
                try (RawConnection plaintext = new RawConnection(server.tlsPort())) {
                    plaintext.send(Resp.request("PING"));
                    assertTrue(plaintext.isClosedByServer(10_000), "a plaintext client is closed");
                }
            }
            awaitHandshakeFailures(server, 5);
            long lines = log().lines().filter(line -> line.contains("Error accepting a client connection")).count();
            assertEquals(1, lines, "five failures in a row are one line: " + log());
            assertTrue(log().contains("not an SSL/TLS record"), log());
            assertEquals("PONG", redisCli(server.tlsPort(), true, "PING"));
        }
    }

    @Test
    void aClientThatNeverStartsItsHandshakeIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (NuthatchServer server = start();
             RawConnection silent = new RawConnection(server.tlsPort())) {
            assertTrue(silent.isClosedByServer((int) TlsConfiguration.HANDSHAKE_TIMEOUT_MILLIS + 5_000),
                    "closed once the handshake timed out");
            awaitHandshakeFailures(server, 1);
            assertTrue(log().contains("handshake not completed within 10 s"), log());
            assertEquals("PONG", redisCli(server.tlsPort(), true, "PING"));
        }
    }

    @Test
    void portZeroWithTlsPortServesTlsOnly() throws Exception {
        int tlsPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            tlsPort = probe.getLocalPort();
        }
        ServerConfig config = tlsConfig(new ServerConfig());
        config.find("port").set("0");
        config.find("tls-port").set(Integer.toString(tlsPort));
        try (NuthatchServer server = NuthatchServer.start(config, captureLog())) {
            assertEquals(-1, server.port());
            assertEquals(tlsPort, server.tlsPort());
            String info = redisCli(tlsPort, true, "INFO", "server");
            assertTrue(info.contains("tcp_port:" + tlsPort), info);
        }
    }

    @Test
    void configSetTlsPortStartsAndMovesTheTlsListener() throws Exception {
        int tlsPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            tlsPort = probe.getLocalPort();
        }
        ServerConfig config = tlsConfig(new ServerConfig().useFreePort());
        config.find("tls-port").set("0");
        try (NuthatchServer server = NuthatchServer.start(config, captureLog());
             RawConnection plain = new RawConnection(server.port())) {
            assertEquals(-1, server.tlsPort());
            assertEquals("+OK\r\n", text(plain.call("CONFIG", "SET", "tls-port", Integer.toString(tlsPort))));
            assertEquals("PONG", redisCli(tlsPort, true, "PING"));
            assertEquals("+OK\r\n", text(plain.call("CONFIG", "SET", "tls-port", "0")));
            assertEquals(-1, server.tlsPort());
        }
    }

    private NuthatchServer start(String... directives) throws ConfigException {
        ServerConfig config = tlsConfig(new ServerConfig().useFreePort());
        for (int i = 0; i + 1 < directives.length; i += 2) {
            config.find(directives[i]).set(directives[i + 1]);
        }
        return NuthatchServer.start(config, captureLog());
    }

    private NuthatchServer startOrShowLog(String... directives) throws ConfigException {
        try {
            return start(directives);
        } catch (StartupException e) {
            throw new AssertionError(e.getMessage() + " " + log(), e);
        }
    }

    private static ServerConfig tlsConfig(ServerConfig config) throws ConfigException {
        config.find("bind").set("127.0.0.1");
        config.find("save").set("");
        config.find("exporter-port").set("0");
        config.find("tls-port").set("1"); // any port: a server on free ports listens for TLS on one too
        config.find("tls-cert-file").set(certificates.serverCert.toString());
        config.find("tls-key-file").set(certificates.serverKey.toString());
        config.find("tls-ca-cert-file").set(certificates.caCert.toString());
        return config;
    }

    private ServerLog captureLog() {
        return new ServerLog(new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private static void awaitHandshakeFailures(NuthatchServer server, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long seen = 0;
        while (System.nanoTime() < deadline) {
            try (RawConnection plain = new RawConnection(server.port() > 0 ? server.port() : server.tlsPort())) {
                String stats = text(plain.call("INFO", "stats"));
                seen = Long.parseLong(stats.replaceAll("(?s).*nuthatch_tls_handshake_failures:(\\d+).*", "$1"));
            }
            if (seen >= expected) {
                return;
            }
            Thread.sleep(50);
        }
        assertEquals(expected, seen, "failed TLS handshakes counted in INFO stats");
    }

    /** redis-cli --tls with the test CA, and the client certificate when asked; its output, trimmed. */
    private static String redisCli(int port, boolean clientCertificate, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "--tls", "--cacert", certificates.caCert.toString()));
        if (clientCertificate) {
            command.addAll(List.of("--cert", certificates.clientCert.toString(), "--key", certificates.clientKey.toString()));
        }
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("redis-cli did not finish: " + output);
        }
        return output.strip();
    }

    private static SSLSocket connect(int port, boolean clientCertificate) throws Exception {
        return connect(clientContext(clientCertificate), port);
    }

    private static SSLContext clientContext(boolean clientCertificate) throws IOException {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(certificates.caCert.toFile());
        if (clientCertificate) {
            builder.keyManager(certificates.clientCert.toFile(), certificates.clientKey.toFile());
        }
        return ((JdkSslContext) builder.build()).context();
    }

    private static SSLSocket connect(SSLContext context, int port) throws Exception {
        Socket tcp = new Socket();
        tcp.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        tcp.setSoTimeout(10_000);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, "localhost", port, true);
        socket.startHandshake();
        return socket;
    }

    private static BigInteger serialOf(SSLSocket socket) throws Exception {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    private static String call(SSLSocket socket, String... arguments) throws IOException {
        socket.getOutputStream().write(Resp.request(arguments));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        return text(new RespReplyReader(in).readReply());
    }

    private static String text(byte[] reply) {
        return reply == null ? null : new String(reply, StandardCharsets.UTF_8);
    }
}
