package io.nuthatch.server;

import io.nuthatch.persistence.log.SegmentCheck;
import io.nuthatch.persistence.snapshot.SnapshotCheck;
import io.nuthatch.server.acl.AclUsers;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.config.CommandLine;
import io.nuthatch.server.config.ConfigDirective;
import io.nuthatch.server.config.ConfigFileError;
import io.nuthatch.server.config.ConfigLoader;
import io.nuthatch.server.config.FlagSetDirective;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.eviction.MemoryBudget;
import io.nuthatch.server.config.SystemErrors;
import io.nuthatch.server.log.ServerLog;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code nuthatch-server [/path/to/redis.conf] [--directive value ...] [-]}: the process, started
 * like redis-server. It reads the configuration as Redis does (the file, then standard input,
 * then the command line), sets up the log, starts the server and stops it on SIGTERM, SIGINT or
 * SHUTDOWN with status 0; SIGHUP only reads requirepass-file again (Redis ignores it). A configuration error is
 * reported as Redis reports it, with status 1.
 *
 * <p>daemonize yes is accepted and ignored (listed at startup with the directives that have no
 * effect): in a container or under systemd the server runs in the foreground, and a server that
 * forked away from its supervisor would be a worse surprise than one that did not.
 */
public final class Main {
    private static final String USAGE = """
            Usage: nuthatch-server [/path/to/redis.conf] [options] [-]
                   nuthatch-server - (read the configuration from standard input)
                   nuthatch-server -v or --version
                   nuthatch-server -h or --help
                   nuthatch-server --check-aof [--fix] <file.segment.aof>
                   nuthatch-server --check-snapshot <dir/dump.rdb.N.snapshot>

            The configuration file has redis.conf's grammar; each option is a directive of it,
            given as --name value, and overrides the file. Nuthatch is compatible with Redis %s.

            Examples:
                   nuthatch-server (run the server with the default configuration)
                   echo 'maxmemory 128mb' | nuthatch-server -
                   nuthatch-server /etc/nuthatch/redis.conf
                   nuthatch-server --port 7777
                   nuthatch-server --port 7777 --maxmemory 384mb --maxmemory-policy allkeys-lru
                   nuthatch-server /etc/nuthatch/redis.conf --loglevel verbose -
                   nuthatch-server /etc/nuthatch/redis.conf --loglevel verbose
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs the process until the server stops, and returns the exit status. The streams are the
     * process's own, given for tests.
     */
    static int run(String[] args, InputStream standardInput, PrintStream out, PrintStream err) {
        Startup startup = prepare(args, standardInput, out, err);
        return startup.config() == null ? startup.exitStatus() : serve(startup.config(), startup.log());
    }

    /**
     * What the process decided before it listens: to exit with a status, or to serve this
     * configuration, with its log set up.
     */
    record Startup(int exitStatus, ServerConfig config, ServerLog log) {
        static Startup exit(int status) {
            return new Startup(status, null, null);
        }
    }

    /**
     * Everything redis-server does before it listens: the command line, the configuration, the log
     * and the checks that stop startup. Tests call it to see what a command line makes of the
     * configuration without serving it.
     */
    static Startup prepare(String[] args, InputStream standardInput, PrintStream out, PrintStream err) {
        List<String> arguments = new ArrayList<>();
        for (String arg : args) {
            arguments.add(new String(arg.getBytes(ServerConfig.nativeCharset()), StandardCharsets.ISO_8859_1));
        }
        if (!arguments.isEmpty() && arguments.get(0).equals("--check-aof")) {
            return Startup.exit(checkAof(arguments.subList(1, arguments.size()), out, err));
        }
        if (!arguments.isEmpty() && arguments.get(0).equals("--check-snapshot")) {
            if (arguments.size() != 2) {
                err.println("Usage: nuthatch-server --check-snapshot <dir/dump.rdb.N.snapshot>");
                return Startup.exit(1);
            }
            return Startup.exit(SnapshotCheck.run(Path.of(arguments.get(1)).toAbsolutePath(), out));
        }
        CommandLine commandLine = CommandLine.parse(arguments, Path.of("").toAbsolutePath());
        switch (commandLine.action()) {
            case VERSION -> {
                out.println("Nuthatch server v=" + ServerIdentity.nuthatchVersion() + " redis-compatible="
                        + ServerIdentity.REDIS_VERSION + " java=" + Runtime.version() + " vm="
                        + System.getProperty("java.vm.name") + " bits=64");
                return Startup.exit(0);
            }
            case HELP -> {
                err.print(String.format(USAGE, ServerIdentity.REDIS_VERSION));
                return Startup.exit(1);
            }
            case TEST_MEMORY -> {
                err.println("Nuthatch has no memory test: --test-memory checks a machine's RAM, which a JVM"
                        + " process cannot do. Use a dedicated tool such as memtester.");
                return Startup.exit(1);
            }
            case CHECK_SYSTEM -> {
                out.println("Nuthatch has no system checks to run: it needs neither memory overcommit nor"
                        + " transparent huge pages settings.");
                return Startup.exit(0);
            }
            case RUN -> { }
        }
        if (arguments.contains("--sentinel")) {
            err.println("Nuthatch has no sentinel mode (--sentinel).");
            return Startup.exit(1);
        }

        ServerLog log = new ServerLog(out);
        log.role('C');
        ServerConfig config = new ServerConfig();
        config.configFile(commandLine.configFile());
        if (commandLine.readsConfiguration()) {
            if (commandLine.configFromStandardInput()) {
                log.warning("Reading config from stdin");
            }
            try {
                new ConfigLoader(config, commandNames()).checkingUserRulesWith(Main::userRuleProblem).load(commandLine.configFile(),
                        commandLine.configFromStandardInput() ? standardInput : null, commandLine.options());
            } catch (ConfigFileError e) {
                if (e.isUnreadableFile()) {
                    log.warning(e.getMessage());
                } else {
                    err.print(e.report());
                    if (e.hint() != null) {
                        err.println(e.hint());
                    }
                }
                return Startup.exit(1);
            }
        }
        log.level(ServerLog.Level.byName(config.loglevel.value()));
        try {
            log.file(config.logfile.value().isEmpty() ? null : config.resolvePath(config.logfile.value()));
        } catch (IOException e) {
            err.print(ConfigFileError.withoutLine("Can't open the log file: " + SystemErrors.describe(e)).report());
            return Startup.exit(1);
        }
        long pid = ProcessHandle.current().pid();
        log.warning("oO0OoO0OoO0Oo Nuthatch is starting oO0OoO0OoO0Oo");
        log.warning("Nuthatch version=" + ServerIdentity.nuthatchVersion() + ", redis-compatible="
                + ServerIdentity.REDIS_VERSION + ", java=" + Runtime.version() + ", pid=" + pid + ", just started");
        if (commandLine.readsConfiguration()) {
            log.warning("Configuration loaded");
        } else {
            log.warning("Warning: no config file specified, using the default config. In order to specify a config"
                    + " file use nuthatch-server /path/to/redis.conf");
        }
        logDirectivesWithoutEffect(config, log);
        checkMemory(config, log);
        log.role('M');
        if ((config.port.intValue() == 0 && config.tls.tlsPort.intValue() == 0) || config.bind.value().isEmpty()) {
            log.warning("Configured to not listen anywhere, exiting.");
            return Startup.exit(1);
        }
        if (!checkUserNames(config, log)) {
            return Startup.exit(1);
        }
        return new Startup(0, config, log);
    }

    /** {@code --check-aof [--fix] FILE}: checks (and repairs) one log segment; see SegmentCheck. */
    private static int checkAof(List<String> arguments, PrintStream out, PrintStream err) {
        boolean fix = !arguments.isEmpty() && arguments.get(0).equals("--fix");
        List<String> files = fix ? arguments.subList(1, arguments.size()) : arguments;
        if (files.size() != 1) {
            err.println("Usage: nuthatch-server --check-aof [--fix] <file.segment.aof>");
            return 1;
        }
        return SegmentCheck.run(Path.of(files.get(0)).toAbsolutePath(), fix, out);
    }

    private static int serve(ServerConfig config, ServerLog log) {
        PidFile pidFile = PidFile.create(config, log);
        Shutdown shutdown = new Shutdown(log, pidFile);
        shutdown.handleSignals();
        NuthatchServer server;
        try {
            server = NuthatchServer.start(config, log);
        } catch (NuthatchServer.StartupRefused e) {
            for (String line : e.getMessage().split("\n")) {
                log.warning(line);
            }
            pidFile.remove();
            return 1;
        } catch (UncheckedIOException e) {
            log.warning(e.getMessage());
            log.warning("Failed listening on port " + config.port.value() + " (TCP), aborting.");
            pidFile.remove();
            return 1;
        } catch (StartupException e) {
            log.warning(e.getMessage());
            pidFile.remove();
            return 1;
        }
        server.engine().shutdownAction(shutdown::stop);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            pidFile.remove();
        }, "nuthatch-exit"));
        shutdown.serverStarted(server);
        try {
            server.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pidFile.remove();
        if (server.exitStatus() != 0) {
            return server.exitStatus();
        }
        log.warning("Nuthatch is now ready to exit, bye bye...");
        return 0;
    }

    /**
     * Warns about a maxmemory that cannot be what was meant: below 1MB (as Redis warns), more than
     * the heap holds, none at all in a container with a memory limit, or a heap too large for the
     * container (see {@link MemoryBudget}).
     */
    private static void checkMemory(ServerConfig config, ServerLog log) {
        long maxmemory = config.maxmemory.value();
        if (maxmemory > 0 && maxmemory < 1024 * 1024) {
            log.warning("WARNING: You specified a maxmemory value that is less than 1MB (current value is "
                    + maxmemory + " bytes). Are you sure this is what you really want?");
        }
        for (String warning : MemoryBudget.startupWarnings(maxmemory, Runtime.getRuntime().maxMemory(),
                MemoryBudget.containerLimit())) {
            log.warning(warning);
        }
    }

    /** The memory limit of the process's cgroup (v2, else v1), or -1 when there is none. */
    static long containerMemoryLimit(Path version2, Path version1) {
        return MemoryBudget.containerLimit(version2, version1);
    }

    /**
     * Refuses a user declared with a blank in its name, as redis-server does when it loads the
     * users after the configuration: {@code --user "alice on nopass"} is one argument, so the
     * whole text is the name. The rules were checked as the lines were read (ConfigLoader).
     */
    private static boolean checkUserNames(ServerConfig config, ServerLog log) {
        for (List<String> user : config.declaredUsers()) {
            for (char c : user.get(0).toCharArray()) {
                if (c == 0 || c == ' ' || (c >= '\t' && c <= '\r')) {
                    log.warning("Spaces not allowed in ACL usernames");
                    log.warning("Critical error while loading ACLs. Exiting.");
                    return false;
                }
            }
        }
        return true;
    }

    private static AclUsers userRuleChecker;

    /** Why the rules of a config file's user line cannot apply, or null (see ConfigLoader). */
    private static String userRuleProblem(List<String> rules) {
        if (userRuleChecker == null) {
            userRuleChecker = new AclUsers(StandardCommands.table(), () -> false, () -> 0);
        }
        return userRuleChecker.ruleProblem(rules);
    }

    /** The names of the commands, for rename-command's checks while the configuration is read. */
    private static List<String> commandNames() {
        List<String> names = new ArrayList<>();
        for (CommandSpec command : StandardCommands.table().commands()) {
            names.add(command.name());
        }
        return names;
    }

    /**
     * Lists, once, the directives the configuration set that change nothing here, grouped by why,
     * so that nobody believes a setting is in force when it is not.
     */
    private static void logDirectivesWithoutEffect(ServerConfig config, ServerLog log) {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (ConfigDirective directive : config.directives()) {
            if (directive.isSetExplicitly() && directive.noEffectReason() != null) {
                byReason.computeIfAbsent(directive.noEffectReason(), reason -> new ArrayList<>()).add(directive.name());
            }
        }
        byReason.forEach((reason, names) ->
                log.warning("Accepted without effect (" + reason + "): " + String.join(", ", names)));
    }

    /**
     * Stopping on SIGTERM, SIGINT or SHUTDOWN, as Redis logs it. The signal handlers are installed
     * before the server starts, so that a signal during startup stops the server as soon as it
     * exists instead of killing the JVM; a second SIGINT exits at once. SIGHUP never stops it, as
     * redis-server ignores it, so that closing the terminal it was started from does not stop it;
     * it reads requirepass-file again, so that a rotated Secret takes effect without a restart.
     *
     * <p>What a JVM cannot do is take back a signal its process inherited as ignored: HotSpot then
     * leaves the disposition alone and {@link Signal#handle} returns SIG_IGN without installing
     * anything. A shell without job control (a script, CI, {@code cmd &}) starts background jobs
     * with SIGINT and SIGQUIT ignored, so Redis, which installs its handlers over anything, stops on
     * SIGINT there and a plain {@code java -jar} would not. The launcher (bin/nuthatch-server)
     * therefore resets SIGINT and SIGTERM to their defaults before it starts the JVM; here, a
     * signal still found ignored is reported, so that nobody waits for a Ctrl-C that cannot work.
     * Under -Xrs the JVM refuses a handler for any of them: the signals then end the process
     * without a clean shutdown, which is reported too.
     */
    private static final class Shutdown {
        private final ServerLog log;
        private final PidFile pidFile;
        private final AtomicBoolean requested = new AtomicBoolean();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile NuthatchServer server;

        Shutdown(ServerLog log, PidFile pidFile) {
            this.log = log;
            this.pidFile = pidFile;
        }

        void handleSignals() {
            try {
                Signal.handle(new Signal("HUP"), signal -> hangup());
                for (String name : List.of("TERM", "INT")) {
                    SignalHandler previous = Signal.handle(new Signal(name), signal -> received(name));
                    if (previous == SignalHandler.SIG_IGN) {
                        String other = name.equals("TERM") ? "SIGINT" : "SIGTERM";
                        log.warning("WARNING: Nuthatch inherited SIG" + name + " as ignored (a shell passes SIGINT on"
                                + " that way to a background job), and a JVM cannot take that back: SIG" + name
                                + " will not stop the server. Start it with bin/nuthatch-server, which resets the"
                                + " signal, or stop it with " + other + " or SHUTDOWN.");
                    }
                }
            } catch (IllegalArgumentException reservedByTheJvm) {
                log.warning("WARNING: under -Xrs the JVM lets no handler take SIGTERM or SIGINT: they end the process"
                        + " without a clean shutdown. Stop the server with SHUTDOWN.");
            }
        }

        private void received(String name) {
            if (!requested.compareAndSet(false, true)) {
                if (name.equals("INT")) {
                    log.warning("You insist... exiting now.");
                    pidFile.remove();
                    Runtime.getRuntime().halt(1);
                }
                return;
            }
            log.warning("Received SIG" + name + " scheduling shutdown...");
            new Thread(() -> stopOnSignal(name), "nuthatch-signal").start();
        }

        /**
         * A signal stops the server as SHUTDOWN with the flags of shutdown-on-sigterm (or -sigint)
         * would: a final snapshot when save rules exist or "save" is set, unless "nosave"; when it
         * fails, the server keeps running (as Redis: "can't exit") unless "force".
         */
        private void stopOnSignal(String name) {
            NuthatchServer running = server;
            if (running != null) {
                FlagSetDirective flags = name.equals("TERM") ? running.engine().config().general.shutdownOnSigterm
                        : running.engine().config().general.shutdownOnSigint;
                if (!running.finalSnapshot(flags.has("save"), flags.has("nosave"), flags.has("force"))) {
                    requested.set(false);
                    return;
                }
            }
            stop();
        }

        /** SIGHUP: requirepass-file is read again (a rotated Secret); nothing else, and never a stop. */
        private void hangup() {
            NuthatchServer running = server;
            if (running != null) {
                new Thread(() -> running.engine().gate().runExclusive(
                        running.engine().requirepassFile()::reload, 10_000), "nuthatch-sighup").start();
            }
        }

        void serverStarted(NuthatchServer started) {
            server = started;
            if (requested.get()) {
                stop();
            }
        }

        /** Stops the server, once it exists; the main thread then finishes. */
        void stop() {
            requested.set(true);
            NuthatchServer running = server;
            if (running != null && done.compareAndSet(false, true)) {
                running.close();
            }
        }
    }

    /** The pidfile directive: written after the configuration is read, removed when the process ends. */
    private static final class PidFile {
        private final Path path;

        private PidFile(Path path) {
            this.path = path;
        }

        static PidFile create(ServerConfig config, ServerLog log) {
            if (config.general.pidfile.value().isEmpty()) {
                return new PidFile(null);
            }
            Path path = config.resolvePath(config.general.pidfile.value());
            try {
                Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
                return new PidFile(path);
            } catch (IOException e) {
                log.warning("Failed to write PID file: " + SystemErrors.describe(e));
                return new PidFile(null);
            }
        }

        synchronized void remove() {
            if (path == null) {
                return;
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // nothing left to do: the process is ending
            }
        }
    }
}
