package io.nuthatch.server.config;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;

/**
 * Every configuration directive of redis-server 7.0.15, by its redis.conf name, with its kind,
 * range and default. The directives are declared by area, each in one place (NetworkDirectives,
 * PersistenceDirectives...); the ones most of the server reads are also fields here.
 *
 * <p>A configuration is read from a file and the command line ({@link ConfigLoader},
 * {@link CommandLine}), changed by CONFIG SET ({@link ConfigUpdate}) and written back by CONFIG
 * REWRITE ({@link ConfigRewrite}).
 */
public final class ServerConfig {
    private final DirectiveRegistry registry = new DirectiveRegistry();

    public final GeneralDirectives general = new GeneralDirectives(registry);
    public final NetworkDirectives network = new NetworkDirectives(registry);
    public final SecurityDirectives security = new SecurityDirectives(registry);
    public final PersistenceDirectives persistence = new PersistenceDirectives(registry);
    public final MemoryManagementDirectives memory = new MemoryManagementDirectives(registry, general.databases);
    public final MonitoringDirectives monitoring = new MonitoringDirectives(registry);
    public final EncodingDirectives encoding = new EncodingDirectives(registry);
    public final ReplicationDirectives replication = new ReplicationDirectives(registry);
    public final ClusterDirectives cluster = new ClusterDirectives(registry);
    public final TlsDirectives tls = new TlsDirectives(registry);
    public final ExporterDirectives exporter = new ExporterDirectives(registry);

    // ------------------------------------------------------------------ the directives read most
    public final IntegerDirective port = network.port;
    public final WordListDirective bind = network.bind;
    public final IntegerDirective tcpBacklog = network.tcpBacklog;
    public final IntegerDirective timeout = network.timeout;
    public final IntegerDirective tcpKeepalive = network.tcpKeepalive;
    public final IntegerDirective maxclients = network.maxclients;
    public final BooleanDirective protectedMode = network.protectedMode;
    public final IntegerDirective ioThreads = network.ioThreads;
    public final MemoryDirective protoMaxBulkLen = network.protoMaxBulkLen;
    public final MemoryDirective clientQueryBufferLimit = network.clientQueryBufferLimit;
    public final IntegerDirective databases = general.databases;
    public final IntegerDirective hz = general.hz;
    public final DirectoryDirective dir = persistence.dir;
    public final EnumDirective loglevel = general.loglevel;
    public final StringDirective logfile = general.logfile;
    public final StringDirective requirepass = security.requirepass;
    public final EnumDirective enableDebugCommand = general.enableDebugCommand;
    public final MemoryDirective maxmemory = memory.maxmemory;
    public final EnumDirective maxmemoryPolicy = memory.maxmemoryPolicy;
    public final IntegerDirective maxmemorySamples = memory.maxmemorySamples;
    public final BooleanDirective lazyfreeLazyExpire = memory.lazyfreeLazyExpire;
    public final BooleanDirective latencyTracking = monitoring.latencyTracking;
    public final PercentileListDirective latencyTrackingInfoPercentiles = monitoring.latencyTrackingInfoPercentiles;

    private final Map<String, String> renamedCommands = new LinkedHashMap<>();
    private final List<List<String>> declaredUsers = new ArrayList<>();
    private Supplier<List<String>> userDescriptions;
    private Path configFile;
    private boolean freePort;

    public ServerConfig() {
        registry.indexAliases();
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

    /** The rename-command directives given, original name to new name, in order. */
    public Map<String, String> renamedCommands() {
        return Collections.unmodifiableMap(renamedCommands);
    }

    /** Records a {@code user} line of a config file (its arguments), kept for the ACL and CONFIG REWRITE. */
    public void declareUser(List<String> arguments) {
        declaredUsers.add(List.copyOf(arguments));
    }

    /**
     * Where CONFIG REWRITE gets the users in force, as ACL LIST lines: the server's ACL sets it,
     * since this package knows nothing of users beyond the lines it read.
     */
    public void describeUsersWith(Supplier<List<String>> users) {
        this.userDescriptions = users;
    }

    /** The users in force as ACL LIST lines, or null when no server's ACL described them. */
    public List<String> describedUsers() {
        return userDescriptions == null ? null : userDescriptions.get();
    }

    /** The users config files declared, each the arguments of its {@code user} line. */
    public List<List<String>> declaredUsers() {
        return Collections.unmodifiableList(declaredUsers);
    }

    /** The config file the server started with, as an absolute path; null when none (CONFIG REWRITE). */
    public Path configFile() {
        return configFile;
    }

    public void configFile(Path file) {
        configFile = file == null ? null : file.toAbsolutePath().normalize();
    }

    /** The directive of a name or alias, ignoring case; null when there is none. */
    public ConfigDirective find(String name) {
        return registry.find(name);
    }

    /** All directives, in declaration order, each once (by its primary name). */
    public Collection<ConfigDirective> directives() {
        return registry.all();
    }

    /**
     * A path as a directive gives it, made absolute against {@code dir} as Redis's relative paths
     * are against its working directory (logfile, pidfile, include...).
     */
    public Path resolvePath(String configText) {
        return dir.path().resolve(nativePath(configText));
    }

    /**
     * Config text (one char per byte) as a file name of this system: the bytes decoded in the
     * charset the JVM uses for file names.
     */
    static String nativePath(String configText) {
        return new String(configText.getBytes(StandardCharsets.ISO_8859_1), nativeCharset());
    }

    /** The charset the JVM uses for file names and command-line arguments. */
    public static Charset nativeCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException unknown) {
            return Charset.defaultCharset();
        }
    }
}
