package io.nuthatch.exporter;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process_* families of simpleclient_hotspot's StandardExports, by the same names, but for
 * process_open_fds: counting open descriptors lists /proc/self/fd, one entry per connection, so
 * with 10k clients it was most of a scrape's cost. redis_connected_clients says the same.
 */
final class ProcessCollector extends Collector {
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> families = new ArrayList<>();
        if (os instanceof com.sun.management.OperatingSystemMXBean process) {
            families.add(new CounterMetricFamily("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                    process.getProcessCpuTime() / 1e9));
        }
        families.add(new GaugeMetricFamily("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0));
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            families.add(new GaugeMetricFamily("process_max_fds", "Maximum number of open file descriptors.",
                    unix.getMaxFileDescriptorCount()));
        }
        addStatus(families);
        return families;
    }

    /** VmSize and VmRSS of /proc/self/status, in kB there. */
    private static void addStatus(List<MetricFamilySamples> families) {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmSize:")) {
                    families.add(new GaugeMetricFamily("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                            kilobytes(line) * 1024));
                } else if (line.startsWith("VmRSS:")) {
                    families.add(new GaugeMetricFamily("process_resident_memory_bytes", "Resident memory size in bytes.",
                            kilobytes(line) * 1024));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // As StandardExports: the figures are left out.
        }
    }

    private static double kilobytes(String line) {
        return Double.parseDouble(line.split("\\s+")[1]);
    }
}
