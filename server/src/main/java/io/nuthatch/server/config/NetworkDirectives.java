package io.nuthatch.server.config;

import java.util.List;

/** Listening, connections and the limits of the protocol. */
public final class NetworkDirectives {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long UINT_MAX = 0xffffffffL;

    public final WordListDirective bind;
    public final StringDirective bindSourceAddr;
    public final BooleanDirective protectedMode;
    public final IntegerDirective port;
    public final IntegerDirective tcpBacklog;
    public final StringDirective unixsocket;
    public final IntegerDirective unixsocketperm;
    public final IntegerDirective socketMarkId;
    public final IntegerDirective timeout;
    public final IntegerDirective tcpKeepalive;
    public final IntegerDirective maxclients;
    public final IntegerDirective ioThreads;
    public final BooleanDirective ioThreadsDoReads;
    public final MemoryDirective protoMaxBulkLen;
    public final MemoryDirective clientQueryBufferLimit;
    public final ClientOutputBufferLimitDirective clientOutputBufferLimit;
    public final MemoryDirective maxmemoryClients;
    public final IntegerDirective trackingTableMaxKeys;

    NetworkDirectives(DirectiveRegistry registry) {
        bind = registry.add(new WordListDirective("bind", List.of("*", "-::*")));
        bindSourceAddr = registry.add(new StringDirective("bind-source-addr", "").emptyIsUnset())
                .withoutEffect(NoEffect.REPLICATION);
        protectedMode = registry.add(new BooleanDirective("protected-mode", true));
        port = registry.add(new IntegerDirective("port", 6379, 0, 65535));
        tcpBacklog = registry.add(new IntegerDirective("tcp-backlog", 511, 0, INT_MAX)).immutable();
        unixsocket = registry.add(new StringDirective("unixsocket", "").emptyIsUnset()).immutable()
                .withoutEffect(NoEffect.NO_UNIX_SOCKET);
        unixsocketperm = registry.add(new IntegerDirective("unixsocketperm", 0, 0, 0777).octal().unsigned()).immutable()
                .withoutEffect(NoEffect.NO_UNIX_SOCKET);
        socketMarkId = registry.add(new IntegerDirective("socket-mark-id", 0, 0, UINT_MAX).unsigned()).immutable()
                .withoutEffect("Nuthatch does not mark its sockets");
        timeout = registry.add(new IntegerDirective("timeout", 0, 0, INT_MAX));
        tcpKeepalive = registry.add(new IntegerDirective("tcp-keepalive", 300, 0, INT_MAX));
        maxclients = registry.add(new IntegerDirective("maxclients", 10000, 1, UINT_MAX).unsigned());
        ioThreads = registry.add(new IntegerDirective("io-threads", 1, 1, 128)).immutable();
        ioThreadsDoReads = registry.add(new BooleanDirective("io-threads-do-reads", false)).immutable()
                .withoutEffect("the event loops always read and parse requests");
        protoMaxBulkLen = registry.add(new MemoryDirective("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024,
                Long.MAX_VALUE));
        clientQueryBufferLimit = registry.add(new MemoryDirective("client-query-buffer-limit", 1024L * 1024 * 1024,
                1024 * 1024, Long.MAX_VALUE).unsigned());
        clientOutputBufferLimit = registry.add(new ClientOutputBufferLimitDirective());
        maxmemoryClients = registry.add(new MemoryDirective("maxmemory-clients", 0, -100, Long.MAX_VALUE).percent());
        trackingTableMaxKeys = registry.add(new IntegerDirective("tracking-table-max-keys", 1000000, 0, Long.MAX_VALUE)
                .unsigned());
    }
}
