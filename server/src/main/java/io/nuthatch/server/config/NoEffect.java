package io.nuthatch.server.config;

/**
 * Why a directive is accepted but changes nothing: the texts the startup log gives. A feature
 * that lands removes the {@code withoutEffect} mark from its directives.
 */
final class NoEffect {
    static final String REPLICATION = "Nuthatch has no replication";
    static final String CLUSTER = "Nuthatch does not run as a cluster";
    static final String JDK_TLS_GROUPS = "the JDK's TLS uses its own Diffie-Hellman groups (RFC 7919)";
    static final String PERSISTENCE = "persistence is not implemented yet";
    static final String NOT_YET = "not implemented yet";
    static final String JVM_MEMORY = "the JVM manages memory: no jemalloc, no defragmentation, no transparent huge pages";
    static final String JVM_PROCESS = "a JVM process has no title, CPU affinity or OOM score of its own to set";
    static final String FOREGROUND = "Nuthatch runs in the foreground; let the container runtime or supervisor run it";
    static final String LOGGING = "Nuthatch logs to standard output or the logfile, not syslog";
    static final String NO_UNIX_SOCKET = "Nuthatch listens on TCP only";
    static final String NO_MODULES = "Nuthatch loads no modules";

    private NoEffect() {
    }
}
