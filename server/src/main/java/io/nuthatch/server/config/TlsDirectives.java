package io.nuthatch.server.config;

import java.util.List;

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
        String replication = NoEffect.REPLICATION;
        tlsPort = registry.add(new IntegerDirective("tls-port", 0, 0, 65535));
        tlsCertFile = registry.add(file("tls-cert-file"));
        tlsKeyFile = registry.add(file("tls-key-file"));
        tlsKeyFilePass = registry.add(file("tls-key-file-pass")).sensitive();
        // The client certificate is what Redis presents to a master or another cluster node.
        tlsClientCertFile = registry.add(file("tls-client-cert-file")).withoutEffect(replication);
        tlsClientKeyFile = registry.add(file("tls-client-key-file")).withoutEffect(replication);
        tlsClientKeyFilePass = registry.add(file("tls-client-key-file-pass")).sensitive().withoutEffect(replication);
        tlsDhParamsFile = registry.add(file("tls-dh-params-file")).withoutEffect(NoEffect.JDK_TLS_GROUPS);
        tlsCaCertFile = registry.add(file("tls-ca-cert-file"));
        tlsCaCertDir = registry.add(file("tls-ca-cert-dir"));
        tlsAuthClients = registry.add(new EnumDirective("tls-auth-clients", "yes", "no", "yes", "optional"));
        tlsReplication = registry.add(new BooleanDirective("tls-replication", false)).withoutEffect(replication);
        tlsCluster = registry.add(new BooleanDirective("tls-cluster", false)).withoutEffect(NoEffect.CLUSTER);
        tlsProtocols = registry.add(file("tls-protocols"));
        tlsCiphers = registry.add(file("tls-ciphers"));
        tlsCiphersuites = registry.add(file("tls-ciphersuites"));
        tlsPreferServerCiphers = registry.add(new BooleanDirective("tls-prefer-server-ciphers", false));
        tlsSessionCaching = registry.add(new BooleanDirective("tls-session-caching", true));
        tlsSessionCacheSize = registry.add(new IntegerDirective("tls-session-cache-size", 20 * 1024, 0, INT_MAX));
        tlsSessionCacheTimeout = registry.add(new IntegerDirective("tls-session-cache-timeout", 300, 0, INT_MAX));
    }

    /**
     * The directives a CONFIG SET of which re-reads the TLS settings (every tls-* one but tls-port,
     * which listens anew), as every one of them does in Redis.
     */
    public List<ConfigDirective> settingsReadByTls() {
        return List.of(tlsCertFile, tlsKeyFile, tlsKeyFilePass, tlsClientCertFile, tlsClientKeyFile,
                tlsClientKeyFilePass, tlsDhParamsFile, tlsCaCertFile, tlsCaCertDir, tlsAuthClients, tlsReplication,
                tlsCluster, tlsProtocols, tlsCiphers, tlsCiphersuites, tlsPreferServerCiphers, tlsSessionCaching,
                tlsSessionCacheSize, tlsSessionCacheTimeout);
    }

    /** A setting that is unset until given (a file, a pass phrase, a cipher list). */
    private static StringDirective file(String name) {
        return new StringDirective(name, "").emptyIsUnset();
    }
}
