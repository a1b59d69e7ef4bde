package io.nuthatch.bench;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one Prometheus scrape costs the server, with many idle clients and every database in use,
 * measured as CPU time of the server's own threads rather than wall time, so that a loaded machine
 * (two cores shared by several builds) moves the figure far less than it moves a stopwatch.
 *
 * <p>It starts a server in this process (exporter on), fills each of 16 databases with KEYS keys
 * (half with a TTL), has a child python3 process hold CLIENTS idle connections (this process's
 * file limit would not hold both ends), and scrapes /metrics over HTTP. Per scrape it reports:
 * <ul>
 * <li>the CPU time of the exporter's thread (the scrape's whole server-side work: INFO, rendering,
 *     the JVM collectors, HTTP);</li>
 * <li>the time the scrape held the engine, from the scrape's own nuthatch_scrape_info_snapshot_seconds
 *     (the most a command could have waited behind it);</li>
 * </ul>
 * and, apart from scrapes, the CPU the cron thread spends a second with those clients idle, and the
 * time each cron tick's step of the clients walk held the engine.
 *
 * <pre>
 *   mvn -q -o -DskipTests package
 *   java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar io.nuthatch.bench.ScrapeCost [clients] [scrapes] [keys]
 * </pre>
 */
public final class ScrapeCost {
    private ScrapeCost() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int keys = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        ServerConfig config = new ServerConfig().useFreePort();
        config.find("bind").set("127.0.0.1");
        config.find("save").set("");
        config.find("maxclients").set(Integer.toString(clients + 100));
        config.find("loglevel").set("warning");
        try (NuthatchServer server = NuthatchServer.start(config)) {
            fill(server.port(), keys);
            Process holder = holdConnections(server.port(), clients);
            try {
                awaitClients(server, clients);
                run(server, scrapes);
            } finally {
                holder.destroy();
            }
        }
    }

    private static void run(NuthatchServer server, int scrapes) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String url = "http://127.0.0.1:" + server.exporterPort() + "/metrics";
        for (int i = 0; i < Math.max(50, scrapes / 2); i++) {
            scrape(url);
        }
        long exporter = threadId("nuthatch-exporter");
        long cron = threadId("nuthatch-cron");

        long cronBefore = threads.getThreadCpuTime(cron);
        long idleStarted = System.nanoTime();
        // The cron's clients walk per tick, read in-process (a volatile) rather than scraped, so the
        // reading costs the cron nothing; a reading each 50 ms, so each of hz 10 ticks is seen.
        double[] walk = new double[100];
        for (int i = 0; i < walk.length; i++) {
            Thread.sleep(50);
            walk[i] = server.engine().info().lastClientWalkNanos() / 1e6;
        }
        double cronPerSecond = (threads.getThreadCpuTime(cron) - cronBefore) / ((System.nanoTime() - idleStarted) / 1e9);

        double[] cpu = new double[scrapes];
        double[] held = new double[scrapes];
        double[] wall = new double[scrapes];
        for (int i = 0; i < scrapes; i++) {
            long cpuBefore = threads.getThreadCpuTime(exporter);
            long started = System.nanoTime();
            String text = scrape(url);
            wall[i] = (System.nanoTime() - started) / 1e6;
            cpu[i] = (threads.getThreadCpuTime(exporter) - cpuBefore) / 1e6;
            held[i] = gauge(text, "nuthatch_scrape_info_snapshot_seconds") * 1000;
        }
        String info = scrape(url);
        System.out.printf("connected_clients=%.0f databases=16 scrapes=%d load: %s%n",
                gauge(info, "redis_connected_clients"), scrapes,
                new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim());
        print("exporter thread CPU per scrape", cpu);
        print("engine held per scrape (nuthatch_scrape_info_snapshot_seconds)", held);
        print("wall time per scrape, HTTP included", wall);
        System.out.printf("cron thread CPU with the clients idle: %.3f ms per second%n", cronPerSecond / 1e6);
        print("engine held by the cron's clients walk per tick (nuthatch_clients_walk_seconds)", walk);
    }

    private static void print(String label, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n", label,
                sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.9)],
                sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))], sorted[sorted.length - 1]);
    }

    private static double gauge(String exposition, String name) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    private static long threadId(String name) {
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (thread.getThreadName().equals(name)) {
                return thread.getThreadId();
            }
        }
        throw new IllegalStateException("no thread " + name);
    }

    private static String scrape(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** KEYS keys in each of the 16 databases, half of them with a TTL, in one pipeline per database. */
    private static void fill(int port, int keys) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            int replies = 0;
            for (int db = 0; db < 16; db++) {
                ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
                pipeline.writeBytes(command("SELECT", Integer.toString(db)));
                for (int k = 0; k < keys; k++) {
                    String key = "key:" + db + ":" + k;
                    pipeline.writeBytes(k % 2 == 0 ? command("SET", key, "value", "EX", "3600") : command("SET", key, "value"));
                }
                out.write(pipeline.toByteArray());
                replies += keys + 1;
            }
            out.flush();
            // Every reply is "+OK\r\n", 5 bytes.
            in.readNBytes(replies * 5);
        }
    }

    private static byte[] command(String... words) {
        StringBuilder text = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            text.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static Process holdConnections(int port, int clients) throws IOException {
        String script = "import socket, sys, time\n"
                + "held = [socket.create_connection(('127.0.0.1', " + port + ")) for _ in range(" + clients + ")]\n"
                + "sys.stdin.read()\n";
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void awaitClients(NuthatchServer server, int clients) throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (server.engine().clients().count() < clients) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + server.engine().clients().count() + " clients connected");
            }
            Thread.sleep(100);
        }
    }
}
