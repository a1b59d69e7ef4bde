package io.nuthatch.server.config;

/** TLS on tls-port: the certificates, keys and protocol settings. */
public final class TlsDirectives {
    private static final long INT_MAX = Integer.MAX_VALUE;

    public final IntegerDirective tlsPort;
    public final StringDirective tlsCertFile;
    public final StringDirective tlsKeyFile;
    public final StringDirective tlsKeyFilePass;
    public final StringDirective tlsClientCertFile;
    public final StringDirective tlsClientKeyFile;
    public final StringDirective tlsClientKeyFilePass;
    public final StringDirective tlsDhParamsFile;
    public final StringDirective tlsCaCertFile;
    public final StringDirective tlsCaCertDir;
    public final EnumDirective tlsAuthClients;
    public final BooleanDirective tlsReplication;
    public final BooleanDirective tlsCluster;
    public final StringDirective tlsProtocols;
    public final StringDirective tlsCiphers;
    public final StringDirective tlsCiphersuites;
    public final BooleanDirective tlsPreferServerCiphers;
    public final BooleanDirective tlsSessionCaching;
    public final IntegerDirective tlsSessionCacheSize;
    public final IntegerDirective tlsSessionCacheTimeout;

    TlsDirectives(DirectiveRegistry registry) {
        String none = NoEffect.TLS;
        tlsPort = registry.add(new IntegerDirective("tls-port", 0, 0, 65535)).withoutEffect(none);
        tlsCertFile = registry.add(file("tls-cert-file")).withoutEffect(none);
        tlsKeyFile = registry.add(file("tls-key-file")).withoutEffect(none);
        tlsKeyFilePass = registry.add(file("tls-key-file-pass")).sensitive().withoutEffect(none);
        tlsClientCertFile = registry.add(file("tls-client-cert-file")).withoutEffect(none);
        tlsClientKeyFile = registry.add(file("tls-client-key-file")).withoutEffect(none);
        tlsClientKeyFilePass = registry.add(file("tls-client-key-file-pass")).sensitive().withoutEffect(none);
        tlsDhParamsFile = registry.add(file("tls-dh-params-file")).withoutEffect(none);
        tlsCaCertFile = registry.add(file("tls-ca-cert-file")).withoutEffect(none);
        tlsCaCertDir = registry.add(file("tls-ca-cert-dir")).withoutEffect(none);
        tlsAuthClients = registry.add(new EnumDirective("tls-auth-clients", "yes", "no", "yes", "optional"))
                .withoutEffect(none);
        tlsReplication = registry.add(new BooleanDirective("tls-replication", false)).withoutEffect(none);
        tlsCluster = registry.add(new BooleanDirective("tls-cluster", false)).withoutEffect(none);
        tlsProtocols = registry.add(file("tls-protocols")).withoutEffect(none);
        tlsCiphers = registry.add(file("tls-ciphers")).withoutEffect(none);
        tlsCiphersuites = registry.add(file("tls-ciphersuites")).withoutEffect(none);
        tlsPreferServerCiphers = registry.add(new BooleanDirective("tls-prefer-server-ciphers", false))
                .withoutEffect(none);
        tlsSessionCaching = registry.add(new BooleanDirective("tls-session-caching", true)).withoutEffect(none);
        tlsSessionCacheSize = registry.add(new IntegerDirective("tls-session-cache-size", 20 * 1024, 0, INT_MAX))
                .withoutEffect(none);
        tlsSessionCacheTimeout = registry.add(new IntegerDirective("tls-session-cache-timeout", 300, 0, INT_MAX))
                .withoutEffect(none);
    }

    /** A setting that is unset until given (a file, a pass phrase, a cipher list). */
    private static StringDirective file(String name) {
        return new StringDirective(name, "").emptyIsUnset();
    }
}
