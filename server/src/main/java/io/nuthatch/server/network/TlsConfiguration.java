package io.nuthatch.server.network;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.config.TlsDirectives;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS settings of tls-port in effect: the tls-* directives read into a Netty SslContext (the
 * JDK's provider), built at startup and again on every CONFIG SET of a tls-* directive, as Redis
 * re-reads its TLS configuration then. A connection takes the context current when it is accepted,
 * so a new certificate applies to new connections while open ones keep theirs.
 *
 * <p>Failures carry the texts redis-server logs ("Failed to load private key: FILE: reason") so an
 * operator reads the same line whichever server runs.
 */
public final class TlsConfiguration {
    /** Redis enables these two when tls-protocols is empty. */
    private static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");
    /**
     * A client that connects and never completes its handshake is closed after this long, so that
     * half-open sockets cannot pile up on tls-port (redis-server keeps such a socket until
     * {@code timeout} closes it, never by default).
     */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    private static final Set<String> KNOWN_PROTOCOLS = Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    /** What one read of the directives produced; replaced whole, so a connection sees one consistent set. */
    private record Settings(SslContext context, SslContextBuilder builder, boolean preferServerCiphers,
                            boolean sessionCaching) {
    }

    private volatile Settings current;

    /**
     * Reads the tls-* directives and puts them into effect for the connections accepted from now on.
     *
     * @throws TlsConfigurationException with Redis's log line when a file or setting is unusable;
     *                                   the settings in effect stay as they were
     */
    public void load(ServerConfig config) throws TlsConfigurationException {
        TlsDirectives tls = config.tls;
        String certFile = tls.tlsCertFile.value();
        String keyFile = tls.tlsKeyFile.value();
        if (certFile.isEmpty()) {
            throw new TlsConfigurationException("No tls-cert-file configured!");
        }
        if (keyFile.isEmpty()) {
            throw new TlsConfigurationException("No tls-key-file configured!");
        }
        ClientAuth clientAuth = switch (tls.tlsAuthClients.value()) {
            case "no" -> ClientAuth.NONE;
            case "optional" -> ClientAuth.OPTIONAL;
            default -> ClientAuth.REQUIRE;
        };
        String caFile = tls.tlsCaCertFile.value();
        String caDir = tls.tlsCaCertDir.value();
        if (clientAuth != ClientAuth.NONE && caFile.isEmpty() && caDir.isEmpty()) {
            throw new TlsConfigurationException("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when"
                    + " tls-cluster, tls-replication or tls-auth-clients are enabled!");
        }
        List<X509Certificate> chain = certificates(config, certFile);
        PrivateKey key = privateKey(config, keyFile, tls.tlsKeyFilePass.value(), chain.get(0));
        List<X509Certificate> authorities = authorities(config, caFile, caDir);
        List<String> protocols = protocols(tls.tlsProtocols.value());
        List<String> ciphers = ciphers(tls.tlsCiphers.value(), tls.tlsCiphersuites.value(), protocols);
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .sslProvider(SslProvider.JDK)
                .clientAuth(clientAuth)
                .protocols(protocols);
        if (!authorities.isEmpty()) {
            builder.trustManager(authorities.toArray(X509Certificate[]::new));
        }
        if (!ciphers.isEmpty()) {
            builder.ciphers(ciphers);
        }
        if (tls.tlsSessionCaching.value()) {
            builder.sessionCacheSize(tls.tlsSessionCacheSize.intValue())
                    .sessionTimeout(tls.tlsSessionCacheTimeout.intValue());
        }
        try {
            current = new Settings(builder.build(), builder, tls.tlsPreferServerCiphers.value(),
                    tls.tlsSessionCaching.value());
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigurationException("Failed to configure TLS: " + reason(e));
        }
    }

    /** Whether settings were loaded: a TLS listener needs them. */
    public boolean isLoaded() {
        return current != null;
    }

    /** The handler that runs TLS for one new connection, with the settings current now. */
    SslHandler newHandler(ByteBufAllocator allocator) throws SSLException {
        Settings settings = current;
        // The JDK has no switch for its session cache, and a session ticket resumes a session even
        // once it was invalidated: a context of its own per connection is what leaves nothing to
        // resume (building it costs CPU on every connection, so only with tls-session-caching no).
        SslContext context = settings.sessionCaching ? settings.context : settings.builder.build();
        SSLEngine engine = context.newEngine(allocator);
        if (settings.preferServerCiphers) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setUseCipherSuitesOrder(true);
            engine.setSSLParameters(parameters);
        }
        SslHandler handler = new SslHandler(engine);
        handler.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
        return handler;
    }

    private static List<X509Certificate> certificates(ServerConfig config, String file)
            throws TlsConfigurationException {
        try {
            return PemFiles.certificates(config.resolvePath(file));
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigurationException("Failed to load certificate: " + file + ": " + reason(e));
        }
    }

    private static PrivateKey privateKey(ServerConfig config, String file, String passPhrase, X509Certificate leaf)
            throws TlsConfigurationException {
        PrivateKey key;
        try {
            key = PemFiles.privateKey(config.resolvePath(file), passPhrase);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigurationException("Failed to load private key: " + file + ": " + reason(e));
        }
        if (!matches(key, leaf)) {
            throw new TlsConfigurationException("Failed to load private key: " + file + ": key values mismatch");
        }
        return key;
    }

    /** Whether the key signs what the certificate's public key verifies: OpenSSL's check_private_key. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm());
        }
        try {
            byte[] probe = {'n', 'u', 't', 'h', 'a', 't', 'c', 'h'};
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** tls-ca-cert-file and every certificate file of tls-ca-cert-dir (OpenSSL's hashed links included). */
    private static List<X509Certificate> authorities(ServerConfig config, String file, String directory)
            throws TlsConfigurationException {
        List<X509Certificate> authorities = new ArrayList<>();
        String current = file;
        try {
            if (!file.isEmpty()) {
                authorities.addAll(PemFiles.certificates(config.resolvePath(file)));
            }
            if (!directory.isEmpty()) {
                current = directory;
                Path dir = config.resolvePath(directory);
                if (!Files.isDirectory(dir)) {
                    throw new NoSuchFileException(directory, null, "not a directory");
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path entry : entries) {
                        if (Files.isRegularFile(entry)) {
                            try {
                                authorities.addAll(PemFiles.certificates(entry));
                            } catch (GeneralSecurityException notACertificate) {
                                // OpenSSL's lookup skips files that hold no certificate (a CRL, a README).
                            }
                        }
                    }
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigurationException("Failed to configure CA certificate(s) file/directory: " + current
                    + ": " + reason(e));
        }
        return authorities;
    }

    private static List<String> protocols(String configured) throws TlsConfigurationException {
        if (configured.isBlank()) {
            return DEFAULT_PROTOCOLS;
        }
        List<String> protocols = new ArrayList<>();
        for (String word : configured.trim().split("\\s+")) {
            String protocol = KNOWN_PROTOCOLS.stream().filter(word::equalsIgnoreCase).findFirst()
                    .orElseThrow(() -> new TlsConfigurationException("Invalid tls-protocols specified. Use a"
                            + " combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'."));
            protocols.add(protocol);
        }
        return protocols;
    }

    /**
     * tls-ciphers (TLSv1.2 and older, OpenSSL's colon-separated names) and tls-ciphersuites (TLSv1.3)
     * as the JDK's names; when only one of them is set, the JDK's defaults stay for the other kind.
     * OpenSSL's keywords and operators (HIGH, !aNULL, @STRENGTH) have no JDK equivalent and are refused.
     */
    private static List<String> ciphers(String ciphers, String suites, List<String> protocols)
            throws TlsConfigurationException {
        if (ciphers.isBlank() && suites.isBlank()) {
            return List.of();
        }
        Set<String> supported;
        List<String> jdkDefaults;
        try {
            javax.net.ssl.SSLContext jdk = javax.net.ssl.SSLContext.getDefault();
            supported = Set.of(jdk.getSupportedSSLParameters().getCipherSuites());
            jdkDefaults = List.of(jdk.getDefaultSSLParameters().getCipherSuites());
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("Failed to configure TLS: " + reason(e));
        }
        Set<String> chosen = new LinkedHashSet<>();
        if (suites.isBlank()) {
            jdkDefaults.stream().filter(TlsConfiguration::isTls13Suite).forEach(chosen::add);
        } else {
            for (String name : suites.split(":")) {
                chosen.add(javaName(name.trim(), "TLSv1.3", supported, "tls-ciphersuites"));
            }
        }
        if (ciphers.isBlank()) {
            jdkDefaults.stream().filter(name -> !isTls13Suite(name)).forEach(chosen::add);
        } else {
            for (String name : ciphers.split(":")) {
                chosen.add(javaName(name.trim(), "TLSv1.2", supported, "tls-ciphers"));
            }
        }
        return new ArrayList<>(chosen);
    }

    private static boolean isTls13Suite(String javaName) {
        return javaName.startsWith("TLS_AES_") || javaName.startsWith("TLS_CHACHA20_");
    }

    private static String javaName(String name, String protocol, Set<String> supported, String directive)
            throws TlsConfigurationException {
        if (supported.contains(name)) {
            return name;
        }
        String converted = CipherSuiteConverter.toJava(name, "TLS");
        if (converted != null && supported.contains(converted)) {
            return converted;
        }
        throw new TlsConfigurationException("Failed to configure " + directive + ": '" + name + "' is not a "
                + protocol + " cipher the JDK supports (give cipher names, not OpenSSL keywords such as HIGH)");
    }

    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
