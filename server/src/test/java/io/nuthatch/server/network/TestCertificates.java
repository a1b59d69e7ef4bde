package io.nuthatch.server.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority, server and client certificates and keys in the forms OpenSSL writes,
 * made with the openssl command line into a directory, as an operator would make them.
 */
final class TestCertificates {
    static final String PASS_PHRASE = "correct horse";
    static final long FIRST_SERVER_SERIAL = 1001;
    static final long SECOND_SERVER_SERIAL = 1002;

    final Path directory;
    final Path caCert;
    final Path serverCert;
    /** PKCS#8, unencrypted: what {@code openssl req -nodes} writes. */
    final Path serverKey;
    final Path secondServerCert;
    final Path secondServerKey;
    final Path clientCert;
    final Path clientKey;
    /** The server key again, in the other forms. */
    final Path serverKeyPkcs1;
    final Path serverKeyEncryptedPkcs8;
    final Path serverKeyEncryptedTraditional;
    final Path ecCert;
    final Path ecKeySec1;

    private TestCertificates(Path directory) {
        this.directory = directory;
        caCert = directory.resolve("ca.crt");
        serverCert = directory.resolve("server.crt");
        serverKey = directory.resolve("server.key");
        secondServerCert = directory.resolve("server2.crt");
        secondServerKey = directory.resolve("server2.key");
        clientCert = directory.resolve("client.crt");
        clientKey = directory.resolve("client.key");
        serverKeyPkcs1 = directory.resolve("server-pkcs1.key");
        serverKeyEncryptedPkcs8 = directory.resolve("server-encrypted-pkcs8.key");
        serverKeyEncryptedTraditional = directory.resolve("server-encrypted-traditional.key");
        ecCert = directory.resolve("ec.crt");
        ecKeySec1 = directory.resolve("ec.key");
    }

    static TestCertificates create(Path directory) throws IOException, InterruptedException {
        TestCertificates made = new TestCertificates(directory);
        made.make();
        return made;
    }

    private void make() throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=Nuthatch Test CA");
        signed("server", "localhost", FIRST_SERVER_SERIAL, "rsa:2048");
        signed("server2", "localhost", SECOND_SERVER_SERIAL, "rsa:2048");
        signed("client", "client", 2001, "rsa:2048");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
        openssl("req", "-new", "-key", "ec.key", "-out", "ec.csr", "-subj", "/CN=localhost");
        sign("ec", 3001);
        openssl("rsa", "-in", "server.key", "-traditional", "-out", "server-pkcs1.key");
        openssl("pkcs8", "-topk8", "-in", "server.key", "-v2", "aes-256-cbc", "-passout", "pass:" + PASS_PHRASE,
                "-out", "server-encrypted-pkcs8.key");
        openssl("rsa", "-in", "server.key", "-traditional", "-aes256", "-passout", "pass:" + PASS_PHRASE,
                "-out", "server-encrypted-traditional.key");
    }

    private void signed(String name, String commonName, long serial, String key) throws IOException, InterruptedException {
        openssl("req", "-newkey", key, "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        sign(name, serial);
    }

    private void sign(String name, long serial) throws IOException, InterruptedException {
        Path extensions = Files.writeString(directory.resolve(name + ".ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial",
                Long.toString(serial), "-days", "2", "-extfile", extensions.getFileName().toString(), "-out", name + ".crt");
    }

    private void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
