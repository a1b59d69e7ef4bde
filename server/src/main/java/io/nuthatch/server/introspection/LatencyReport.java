package io.nuthatch.server.introspection;

import io.nuthatch.server.config.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * LATENCY GRAPH and LATENCY DOCTOR: the texts Redis 7.0's latency.c writes from the latency
 * monitor's samples, word for word, so that runbooks and people who read Redis's reports read ours.
 *
 * <p>DOCTOR states each event's figures, then the advice its events call for, in Redis's order
 * and only once each. The advice is Redis's: where an event names something Nuthatch does not do
 * (a fork), that event is never recorded here, so its advice never shows.
 */
public final class LatencyReport {
    private static final int GRAPH_COLUMNS = 80;
    private static final int GRAPH_ROWS = 4;

    /** Redis's advices, in the order the report lists them. */
    private enum Advice {
        SLOWLOG_ENABLED("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log"
                + " Redis feature using the command 'CONFIG SET slowlog-log-slower-than %d'. If the Slow log is disabled"
                + " Redis is not able to log slow commands execution for you.\n"),
        SLOWLOG_TUNING("- Your current Slow Log configuration only logs events that are slower than your configured latency"
                + " monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than %d'.\n"),
        SLOWLOG_INSPECT("- Check your Slow Log to understand what are the commands you are running which are too slow to"
                + " execute. Please check https://redis.io/commands/slowlog for more information.\n"),
        SCHEDULER("- The system is slow to execute Redis code paths not containing system calls. This usually means the"
                + " system does not provide Redis CPU time to run for long periods. You should try to:\n"
                + "  1) Lower the system load.\n"
                + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"
                + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using"
                + " Jemalloc. However this may create fragmentation problems.\n"),
        LOCAL_DISK("- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote"
                + " disks provided by platform-as-a-service providers are known to be slow.\n"),
        SSD("- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting"
                + " (resulting in smaller memory usage). With extremely high write load SSD disks can be a good option."
                + " However Redis should perform reasonably with high load using normal disks. Use this advice as a last"
                + " resort.\n"),
        DATA_WRITEBACK("- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to"
                + " data=ordered, however this mode of operation provides less guarantees, and sometimes it can happen"
                + " that after a hard crash the AOF file will have a half-written command at the end and will require to"
                + " be repaired before Redis restarts.\n"),
        DISK_CONTENTION("- Try to lower the disk contention. This is often caused by other disk intensive processes running"
                + " in the same computer (including other Redis instances).\n"),
        NO_APPENDFSYNC("- Assuming from the point of view of data safety this is viable in your environment, you could try"
                + " to enable the 'no-appendfsync-on-rewrite' option, so that fsync will not be performed while there is"
                + " a child rewriting the AOF file or producing an RDB file (the moment where there is high disk"
                + " contention).\n"),
        RELAX_FSYNC_POLICY("- Your fsync policy is set to 'always'. It is very hard to get good performances with such a"
                + " setup, if possible try to relax the fsync policy to 'onesec'.\n"),
        WRITE_LOAD_INFO("- Latency during the AOF atomic rename operation or when the final difference is flushed to the"
                + " AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the AOF"
                + " buffer to get very large. If possible try to send less commands to accomplish the same work, or use"
                + " Lua scripts to group multiple operations into a single EVALSHA call.\n"),
        HZ("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration"
                + " parameter to 100 using 'CONFIG SET hz 100'.\n"),
        LARGE_OBJECTS("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking"
                + " operation. If you have very large objects that are often deleted, expired, or evicted, try to"
                + " fragment those objects into multiple smaller objects.\n"),
        MASS_EVICTION("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via"
                + " sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations"
                + " (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict"
                + " keys. \n"),
        DISABLE_THP("- I detected a non zero amount of anonymous huge pages used by your process. This creates very"
                + " serious latency events in different conditions, especially when Redis is persisting on disk. To"
                + " disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled',"
                + " make sure to also add it into /etc/rc.local so that the command will be executed again after a"
                + " reboot. Note that even if you have already disabled THP, you still need to restart the Redis process"
                + " to get rid of the huge pages already created.\n");

        final String text;

        Advice(String text) {
            this.text = text;
        }
    }

    private LatencyReport() {
    }

    /** LATENCY GRAPH: the event's chart, or null when it has no samples. */
    public static String graph(LatencyMonitor monitor, String event, long nowSeconds) {
        List<LatencyMonitor.Sample> samples = monitor.history(event);
        if (samples.isEmpty()) {
            return null;
        }
        Sparkline sparkline = new Sparkline();
        long low = samples.get(0).millis();
        long high = low;
        for (LatencyMonitor.Sample sample : samples) {
            low = Math.min(low, sample.millis());
            high = Math.max(high, sample.millis());
            sparkline.add(sample.millis(), ago(nowSeconds - sample.unixSeconds()));
        }
        StringBuilder out = new StringBuilder();
        out.append(event).append(" - high ").append(high).append(" ms, low ").append(low)
                .append(" ms (all time high ").append(monitor.max(event)).append(" ms)\n");
        out.append("-".repeat(GRAPH_COLUMNS)).append('\n');
        sparkline.render(out, GRAPH_COLUMNS, GRAPH_ROWS);
        return out.toString();
    }

    /** A sample's label: how long ago, in the largest whole unit ("12s", "3m", "5h", "2d"). */
    private static String ago(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        } else if (seconds < 3600) {
            return seconds / 60 + "m";
        } else if (seconds < 3600 * 24) {
            return seconds / 3600 + "h";
        }
        return seconds / (3600 * 24) + "d";
    }

    /** LATENCY DOCTOR. */
    public static String doctor(LatencyMonitor monitor, ServerConfig config, long nowSeconds) {
        long threshold = config.monitoring.latencyMonitorThreshold.value();
        List<String> events = monitor.events();
        StringBuilder report = new StringBuilder();
        if (events.isEmpty() && threshold == 0) {
            return report.append("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance."
                    + " You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we"
                    + " weren't in a deep space mission I'd suggest to take a look at"
                    + " https://redis.io/topics/latency-monitor.\n").toString();
        }
        Set<Advice> advices = EnumSet.noneOf(Advice.class);
        int eventNumber = 0;
        for (String event : events) {
            List<LatencyMonitor.Sample> samples = monitor.history(event);
            if (samples.isEmpty()) {
                continue;
            }
            eventNumber++;
            if (eventNumber == 1) {
                report.append("Dave, I have observed latency spikes in this Redis instance."
                        + " You don't mind talking about it, do you Dave?\n\n");
            }
            eventFigures(report, eventNumber, event, samples, monitor.max(event), nowSeconds);
            adviseFor(event, config, advices);
            report.append('\n');
        }
        if (anonymousHugePagesKilobytes() > 0) {
            advices.add(Advice.DISABLE_THP);
        }
        if (eventNumber == 0 && advices.isEmpty()) {
            report.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the"
                    + " slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think"
                    + " things over.\n");
        } else if (eventNumber > 0 && advices.isEmpty()) {
            report.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the"
                    + " Redis community to get some help, providing this report in your help request.\n");
        } else {
            report.append("\nI have a few advices for you:\n\n");
            // Decided before these two are dropped: Redis counts them as advice given even when
            // the configuration makes it moot, and then prints the heading with what remains.
            if (!"always".equals(config.persistence.appendfsync.value())) {
                advices.remove(Advice.RELAX_FSYNC_POLICY);
            }
            if (config.hz.value() >= 100) {
                advices.remove(Advice.HZ);
            }
            for (Advice advice : advices) {
                report.append(advice == Advice.SLOWLOG_ENABLED || advice == Advice.SLOWLOG_TUNING
                        ? String.format(Locale.ROOT, advice.text, threshold * 1000) : advice.text);
            }
        }
        return report.toString();
    }

    /**
     * "1. command: 3 latency spikes (average 333ms, mean deviation 111ms, period 1.00 sec). Worst all
     * time event 500ms." The average and the mean absolute deviation are whole milliseconds,
     * truncated; the period is the seconds since the oldest sample (at least 1) per sample.
     */
    private static void eventFigures(StringBuilder report, int number, String event, List<LatencyMonitor.Sample> samples,
                                     long allTimeHigh, long nowSeconds) {
        long sum = 0;
        long oldest = Long.MAX_VALUE;
        for (LatencyMonitor.Sample sample : samples) {
            sum += sample.millis();
            oldest = Math.min(oldest, sample.unixSeconds());
        }
        long average = sum / samples.size();
        long deviations = 0;
        for (LatencyMonitor.Sample sample : samples) {
            deviations += Math.abs(average - sample.millis());
        }
        long period = Math.max(1, nowSeconds - oldest);
        report.append(number).append(". ").append(event).append(": ").append(samples.size())
                .append(" latency spikes (average ").append(average).append("ms, mean deviation ")
                .append(deviations / samples.size()).append("ms, period ")
                .append(String.format(Locale.ROOT, "%.2f", (double) period / samples.size()))
                .append(" sec). Worst all time event ").append(allTimeHigh).append("ms.");
    }

    private static void adviseFor(String event, ServerConfig config, Set<Advice> advices) {
        switch (event.toLowerCase(Locale.ROOT)) {
            case "command" -> {
                long slowerThan = config.monitoring.slowlogLogSlowerThan.value();
                if (slowerThan < 0) {
                    advices.add(Advice.SLOWLOG_ENABLED);
                } else if (slowerThan / 1000 > config.monitoring.latencyMonitorThreshold.value()) {
                    advices.add(Advice.SLOWLOG_TUNING);
                }
                advices.add(Advice.SLOWLOG_INSPECT);
                advices.add(Advice.LARGE_OBJECTS);
            }
            case "fast-command" -> advices.add(Advice.SCHEDULER);
            case "aof-write-pending-fsync" ->
                    advices.addAll(List.of(Advice.LOCAL_DISK, Advice.DISK_CONTENTION, Advice.SSD, Advice.DATA_WRITEBACK));
            case "aof-write-active-child" -> advices.addAll(List.of(Advice.NO_APPENDFSYNC, Advice.DATA_WRITEBACK, Advice.SSD));
            case "aof-write-alone" -> advices.addAll(List.of(Advice.LOCAL_DISK, Advice.DATA_WRITEBACK, Advice.SSD));
            case "aof-fsync-always" -> advices.add(Advice.RELAX_FSYNC_POLICY);
            case "aof-fstat", "rdb-unlink-temp-file" -> advices.addAll(List.of(Advice.DISK_CONTENTION, Advice.LOCAL_DISK));
            case "aof-rewrite-diff-write", "aof-rename" ->
                    advices.addAll(List.of(Advice.WRITE_LOAD_INFO, Advice.DATA_WRITEBACK, Advice.SSD, Advice.LOCAL_DISK));
            case "expire-cycle" -> advices.addAll(List.of(Advice.HZ, Advice.LARGE_OBJECTS));
            case "eviction-del" -> advices.add(Advice.LARGE_OBJECTS);
            case "eviction-cycle" -> advices.add(Advice.MASS_EVICTION);
            default -> { }
        }
    }

    /** AnonHugePages of this process, as Redis reads its own from /proc (0 when unreadable). */
    private static long anonymousHugePagesKilobytes() {
        Path rollup = Path.of("/proc/self/smaps_rollup");
        try {
            for (String line : Files.readAllLines(rollup)) {
                if (line.startsWith("AnonHugePages:")) {
                    return Long.parseLong(line.substring("AnonHugePages:".length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // No /proc (not Linux, or a kernel before 4.14): no advice about huge pages.
        }
        return 0;
    }
}
