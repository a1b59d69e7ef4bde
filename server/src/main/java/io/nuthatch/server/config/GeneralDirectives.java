package io.nuthatch.server.config;

import java.util.List;
import java.util.Set;

/** The process: logging, databases, the cron, shutdown, and the knobs of Redis's own process. */
public final class GeneralDirectives {
    private static final int INT_MAX = Integer.MAX_VALUE;
    private static final Set<String> PROC_TITLE_VARIABLES =
            Set.of("title", "listen-addr", "server-mode", "port", "tls-port", "unixsocket", "config-file");
    private static final List<String> SHUTDOWN_FLAGS = List.of("default", "save", "nosave", "now", "force");
    private static final String SAVE_AND_NOSAVE = "shutdown options SAVE and NOSAVE can't be used simultaneously";

    public final BooleanDirective daemonize;
    public final EnumDirective supervised;
    public final StringDirective pidfile;
    public final EnumDirective loglevel;
    public final StringDirective logfile;
    public final BooleanDirective syslogEnabled;
    public final StringDirective syslogIdent;
    public final EnumDirective syslogFacility;
    public final BooleanDirective crashLogEnabled;
    public final BooleanDirective crashMemcheckEnabled;
    public final IntegerDirective databases;
    public final BooleanDirective alwaysShowLogo;
    public final BooleanDirective setProcTitle;
    public final StringDirective procTitleTemplate;
    public final IntegerDirective hz;
    public final BooleanDirective dynamicHz;
    public final BooleanDirective activerehashing;
    public final IntegerDirective activeExpireEffort;
    public final EnumDirective enableProtectedConfigs;
    public final EnumDirective enableDebugCommand;
    public final EnumDirective enableModuleCommand;
    public final FlagSetDirective shutdownOnSigint;
    public final FlagSetDirective shutdownOnSigterm;
    public final IntegerDirective shutdownTimeout;
    public final EnumDirective oomScoreAdj;
    public final OomScoreAdjValuesDirective oomScoreAdjValues;
    public final BooleanDirective disableThp;
    public final BooleanDirective jemallocBgThread;
    public final StringDirective serverCpulist;
    public final StringDirective bioCpulist;
    public final StringDirective aofRewriteCpulist;
    public final StringDirective bgsaveCpulist;
    public final StringDirective ignoreWarnings;
    public final BooleanDirective useExitOnPanic;
    public final IntegerDirective watchdogPeriod;

    GeneralDirectives(DirectiveRegistry registry) {
        daemonize = registry.add(new BooleanDirective("daemonize", false)).immutable().withoutEffect(NoEffect.FOREGROUND);
        supervised = registry.add(new EnumDirective("supervised", "no", "upstart", "systemd", "auto", "no"))
                .immutable().withoutEffect(NoEffect.FOREGROUND);
        pidfile = registry.add(new StringDirective("pidfile", "").emptyIsUnset()).immutable();
        loglevel = registry.add(new EnumDirective("loglevel", "notice", "debug", "verbose", "notice", "warning"));
        logfile = registry.add(new StringDirective("logfile", "")).immutable();
        syslogEnabled = registry.add(new BooleanDirective("syslog-enabled", false)).immutable()
                .withoutEffect(NoEffect.LOGGING);
        syslogIdent = registry.add(new StringDirective("syslog-ident", "redis")).immutable()
                .withoutEffect(NoEffect.LOGGING);
        syslogFacility = registry.add(new EnumDirective("syslog-facility", "local0", "user", "local0", "local1",
                "local2", "local3", "local4", "local5", "local6", "local7")).immutable().withoutEffect(NoEffect.LOGGING);
        crashLogEnabled = registry.add(new BooleanDirective("crash-log-enabled", true))
                .withoutEffect("the JVM reports its own crashes");
        crashMemcheckEnabled = registry.add(new BooleanDirective("crash-memcheck-enabled", true))
                .withoutEffect("the JVM reports its own crashes");
        databases = registry.add(new IntegerDirective("databases", 16, 1, INT_MAX)).immutable();
        alwaysShowLogo = registry.add(new BooleanDirective("always-show-logo", false)).immutable()
                .withoutEffect("Nuthatch prints no logo");
        setProcTitle = registry.add(new BooleanDirective("set-proc-title", true)).immutable()
                .withoutEffect(NoEffect.JVM_PROCESS);
        procTitleTemplate = registry.add(new StringDirective("proc-title-template", "{title} {listen-addr} {server-mode}")
                .validatedBy(GeneralDirectives::procTitleTemplateProblem)).withoutEffect(NoEffect.JVM_PROCESS);
        hz = registry.add(new IntegerDirective("hz", 10, 0, INT_MAX).clampedTo(1, 500));
        dynamicHz = registry.add(new BooleanDirective("dynamic-hz", true))
                .withoutEffect("the cron runs at hz whatever the number of clients");
        activerehashing = registry.add(new BooleanDirective("activerehashing", true))
                .withoutEffect("tables are always rehashed incrementally");
        activeExpireEffort = registry.add(new IntegerDirective("active-expire-effort", 1, 1, 10))
                .withoutEffect(NoEffect.NOT_YET);
        enableProtectedConfigs = registry.add(new EnumDirective("enable-protected-configs", "no", "no", "yes", "local"))
                .immutable();
        enableDebugCommand = registry.add(new EnumDirective("enable-debug-command", "no", "no", "yes", "local"))
                .immutable();
        enableModuleCommand = registry.add(new EnumDirective("enable-module-command", "no", "no", "yes", "local"))
                .immutable().withoutEffect(NoEffect.NO_MODULES);
        shutdownOnSigint = registry.add(new FlagSetDirective("shutdown-on-sigint", SHUTDOWN_FLAGS, "save", "nosave",
                SAVE_AND_NOSAVE));
        shutdownOnSigterm = registry.add(new FlagSetDirective("shutdown-on-sigterm", SHUTDOWN_FLAGS, "save", "nosave",
                SAVE_AND_NOSAVE));
        shutdownTimeout = registry.add(new IntegerDirective("shutdown-timeout", 10, 0, INT_MAX))
                .withoutEffect(NoEffect.REPLICATION);
        oomScoreAdj = registry.add(new EnumDirective("oom-score-adj", "no", "no", "yes", "relative", "absolute")
                .synonym("relative", "yes")).withoutEffect(NoEffect.JVM_PROCESS);
        oomScoreAdjValues = registry.add(new OomScoreAdjValuesDirective()).withoutEffect(NoEffect.JVM_PROCESS);
        disableThp = registry.add(new BooleanDirective("disable-thp", true)).immutable()
                .withoutEffect(NoEffect.JVM_MEMORY);
        jemallocBgThread = registry.add(new BooleanDirective("jemalloc-bg-thread", true))
                .withoutEffect(NoEffect.JVM_MEMORY);
        serverCpulist = registry.add(new StringDirective("server_cpulist", "").emptyIsUnset()).immutable()
                .withoutEffect(NoEffect.JVM_PROCESS);
        bioCpulist = registry.add(new StringDirective("bio_cpulist", "").emptyIsUnset()).immutable()
                .withoutEffect(NoEffect.JVM_PROCESS);
        aofRewriteCpulist = registry.add(new StringDirective("aof_rewrite_cpulist", "").emptyIsUnset()).immutable()
                .withoutEffect(NoEffect.JVM_PROCESS);
        bgsaveCpulist = registry.add(new StringDirective("bgsave_cpulist", "").emptyIsUnset()).immutable()
                .withoutEffect(NoEffect.JVM_PROCESS);
        ignoreWarnings = registry.add(new StringDirective("ignore-warnings", ""))
                .withoutEffect("Nuthatch has no kernel warnings to silence");
        useExitOnPanic = registry.add(new BooleanDirective("use-exit-on-panic", false)).hidden()
                .withoutEffect("a test hook of Redis");
        watchdogPeriod = registry.add(new IntegerDirective("watchdog-period", 0, 0, INT_MAX)).hidden()
                .withoutEffect("a debugging hook of Redis");
    }

    /**
     * Redis's check of a process title template: {variables} must be known ones, "{{" is a brace,
     * and the title must not come out empty (title and server-mode are empty for a primary).
     */
    private static String procTitleTemplateProblem(String template) {
        StringBuilder expanded = new StringBuilder();
        int p = 0;
        while (p < template.length()) {
            int open = template.indexOf('{', p);
            if (open < 0) {
                expanded.append(template, p, template.length());
                break;
            }
            expanded.append(template, p, open);
            if (open + 1 >= template.length()) {
                return "template format is invalid or contains unknown variables";
            }
            if (template.charAt(open + 1) == '{') {
                expanded.append('{');
                p = open + 2;
                continue;
            }
            int close = template.indexOf('}', open + 1);
            String variable = close < 0 ? null : template.substring(open + 1, close);
            if (variable == null || !PROC_TITLE_VARIABLES.contains(variable)) {
                return "template format is invalid or contains unknown variables";
            }
            boolean emptyHere = variable.equals("title") || variable.equals("server-mode")
                    || variable.equals("unixsocket") || variable.equals("config-file");
            expanded.append(emptyHere ? "" : variable);
            p = close + 1;
        }
        return expanded.length() == 0 ? "template format is invalid or contains unknown variables" : null;
    }
}
