package io.nuthatch.server.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration directive, by its redis.conf name, with its default. This is the one place
 * directive names are written; the rest of the server reads typed values from the fields here.
 */
public final class ServerConfig {
    private final Map<String, ConfigDirective> byName = new LinkedHashMap<>();
    private final List<ConfigDirective> directives = new ArrayList<>();
    private final Map<String, String> renamedCommands = new LinkedHashMap<>();
    private boolean freePort;

    // ------------------------------------------------------------------ network
    public final IntegerDirective port = add(new IntegerDirective("port", 6379, 0, 65535)).immutable();
    public final WordListDirective bind = add(new WordListDirective("bind", List.of("*", "-::*")));
    public final IntegerDirective tcpBacklog = add(new IntegerDirective("tcp-backlog", 511, 0, Integer.MAX_VALUE)).immutable();
    public final IntegerDirective timeout = add(new IntegerDirective("timeout", 0, 0, Integer.MAX_VALUE));
    public final IntegerDirective tcpKeepalive = add(new IntegerDirective("tcp-keepalive", 300, 0, Integer.MAX_VALUE));
    public final IntegerDirective maxclients = add(new IntegerDirective("maxclients", 10000, 1, Integer.MAX_VALUE));
    public final EnumDirective protectedMode = add(new EnumDirective("protected-mode", "yes", "yes", "no"));
    public final IntegerDirective ioThreads = add(new IntegerDirective("io-threads", 1, 1, 128)).immutable();

    // ------------------------------------------------------------------ protocol limits
    public final MemoryDirective protoMaxBulkLen =
            add(new MemoryDirective("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE));
    public final MemoryDirective clientQueryBufferLimit =
            add(new MemoryDirective("client-query-buffer-limit", 1024L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE));

    // ------------------------------------------------------------------ general
    public final IntegerDirective databases = add(new IntegerDirective("databases", 16, 1, Integer.MAX_VALUE)).immutable();
    public final IntegerDirective hz = add(new IntegerDirective("hz", 10, 0, Integer.MAX_VALUE));
    public final StringDirective dir = add(new StringDirective("dir", "."));
    public final EnumDirective loglevel = add(new EnumDirective("loglevel", "notice", "debug", "verbose", "notice", "warning", "nothing"));
    public final StringDirective logfile = add(new StringDirective("logfile", "")).immutable();
    public final StringDirective requirepass = add(new StringDirective("requirepass", "")).sensitive();
    public final EnumDirective enableDebugCommand =
            add(new EnumDirective("enable-debug-command", "no", "no", "yes", "local")).immutable();

    // ------------------------------------------------------------------ memory
    public final MemoryDirective maxmemory = add(new MemoryDirective("maxmemory", 0, 0, Long.MAX_VALUE));
    public final EnumDirective maxmemoryPolicy = add(new EnumDirective("maxmemory-policy", "noeviction",
            "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
            "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"));
    public final IntegerDirective maxmemorySamples = add(new IntegerDirective("maxmemory-samples", 5, 1, 64));
    public final BooleanDirective lazyfreeLazyExpire = add(new BooleanDirective("lazyfree-lazy-expire", false));

    // ------------------------------------------------------------------ observability
    public final BooleanDirective latencyTracking = add(new BooleanDirective("latency-tracking", true));
    public final PercentileListDirective latencyTrackingInfoPercentiles =
            add(new PercentileListDirective("latency-tracking-info-percentiles", 50, 99, 99.9));

    private <T extends ConfigDirective> T add(T directive) {
        directives.add(directive);
        byName.put(directive.name(), directive);
        return directive;
    }

    /**
     * Listens on a port the system picks, whatever {@code port} says: for embedded servers and
     * tests. Not a Redis directive.
     */
    public ServerConfig useFreePort() {
        freePort = true;
        return this;
    }

    public boolean usesFreePort() {
        return freePort;
    }

    /** rename-command: the command answers to {@code newName} only; "" removes it. Startup only. */
    public void renameCommand(String name, String newName) {
        renamedCommands.put(name, newName);
    }

    /** The rename-command directives given, original name to new name. */
    public Map<String, String> renamedCommands() {
        return Collections.unmodifiableMap(renamedCommands);
    }

    /** The directive of a name or alias, ignoring case; null when there is none. */
    public ConfigDirective find(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        ConfigDirective directive = byName.get(lower);
        if (directive == null) {
            for (ConfigDirective candidate : directives) {
                if (candidate.aliases().contains(lower)) {
                    return candidate;
                }
            }
        }
        return directive;
    }

    /** All directives, in declaration order. */
    public Collection<ConfigDirective> directives() {
        return Collections.unmodifiableList(directives);
    }
}
