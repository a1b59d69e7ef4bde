package io.nuthatch.server.info;

import io.nuthatch.server.eviction.MemoryBudget;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * What the operating system says about this process: resident memory, CPU time, the machine's
 * memory. Read from /proc on Linux (where Redis reads the same figures); elsewhere the JVM's
 * management beans give the nearest figure.
 */
final class ProcessMetrics {
    /** Linux reports CPU times in USER_HZ ticks, 100 a second on every architecture's ABI. */
    private static final long MICROS_PER_TICK = 10_000;
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private ProcessMetrics() {
    }

    /**
     * Resident set size in bytes: VmRSS of /proc/self/status (the figure statm gives in pages, in
     * kB, so no page size is needed); the JVM's committed memory where there is no /proc.
     */
    static long residentBytes() {
        long kilobytes = procField(STATUS, "VmRSS:");
        if (kilobytes >= 0) {
            return kilobytes * 1024;
        }
        var memory = ManagementFactory.getMemoryMXBean();
        return memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
    }

    /** Physical memory of the machine (Redis's total_system_memory), 0 when unknown. */
    static long totalSystemMemory() {
        long physical = physicalMemory();
        // In a container, the memory the server may use is the cgroup's limit, not the host's.
        long limit = MemoryBudget.containerLimit();
        return limit > 0 && (physical <= 0 || limit < physical) ? limit : physical;
    }

    private static long physicalMemory() {
        long kilobytes = procField(MEMINFO, "MemTotal:");
        if (kilobytes >= 0) {
            return kilobytes * 1024;
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /**
     * CPU time of the whole process, {user, system} in microseconds (Redis's getrusage
     * RUSAGE_SELF). Without /proc, the JVM's process CPU time counts as user time.
     */
    static long[] processCpuMicros() {
        try {
            String stat = Files.readString(STAT, StandardCharsets.US_ASCII);
            // The command name in parentheses may hold spaces: fields are counted after its ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            return new long[] {Long.parseLong(fields[11]) * MICROS_PER_TICK, Long.parseLong(fields[12]) * MICROS_PER_TICK};
        } catch (IOException | RuntimeException noProc) {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return new long[] {Math.max(0, os.getProcessCpuTime() / 1000), 0};
            }
            return new long[] {0, 0};
        }
    }

    /**
     * CPU time of the given threads, {user, system} in microseconds; threads that have ended
     * count no more. The system time is the total CPU time less the user time.
     */
    static long[] threadCpuMicros(Collection<Long> threadIds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
            return new long[] {0, 0};
        }
        long user = 0;
        long total = 0;
        for (long id : threadIds) {
            long cpu = threads.getThreadCpuTime(id);
            long userTime = threads.getThreadUserTime(id);
            if (cpu >= 0 && userTime >= 0) {
                total += cpu;
                user += userTime;
            }
        }
        return new long[] {user / 1000, Math.max(0, total - user) / 1000};
    }

    /** The heap in bytes: {used, max (-1 when unbounded), committed}. */
    static long[] heap() {
        var usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new long[] {usage.getUsed(), usage.getMax(), usage.getCommitted()};
    }

    /** Non-heap memory the JVM has committed (metaspace, code cache...), in bytes. */
    static long nonHeapCommitted() {
        return ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted();
    }

    /** The number after a "Name:" line of a /proc file (in kB for memory), or -1. */
    private static long procField(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split(" +");
                    return Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException noProc) {
            return -1;
        }
        return -1;
    }

    /** "sec.usec" as Redis prints CPU times ("%ld.%06ld"). */
    static String seconds(long micros) {
        return micros / 1_000_000 + "." + String.format(java.util.Locale.ROOT, "%06d", micros % 1_000_000);
    }
}
