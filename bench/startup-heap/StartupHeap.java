import io.nuthatch.server.NuthatchServer;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * The heap an idle server's own structures take, for MemoryInfo.STARTUP_BYTES (see
 * bench/startup-heap.sh): a server started, closed, then a second one started in the same JVM. The
 * first one's figure includes what loading the code leaves in the heap for good (class mirrors,
 * interned constants, caches of the JDK and Netty); the second one's is what a server allocates
 * for itself (databases, tables, engine, event loops, command table). The command catalog, parsed
 * once and shared by every server of the JVM, is measured alone.
 */
public class StartupHeap {
    private static long used() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static void main(String[] args) throws Exception {
        Class<?> reader = Class.forName("io.nuthatch.server.command.JsonReader");
        Method parse = reader.getDeclaredMethod("parse", String.class);
        parse.setAccessible(true);
        String text;
        try (var in = Class.forName("io.nuthatch.server.command.CommandTable")
                .getResourceAsStream("command-catalog.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        long beforeCatalog = used();
        Object catalog = parse.invoke(null, text);
        long catalogBytes = used() - beforeCatalog;

        long empty = used();
        NuthatchServer first = NuthatchServer.startOnFreePort();
        Thread.sleep(1500);
        long withFirst = used();
        first.close();
        Thread.sleep(500);
        long afterFirst = used();
        NuthatchServer second = NuthatchServer.startOnFreePort();
        Thread.sleep(1500);
        long withSecond = used();
        System.out.printf("catalog %d, first server %d, left by it after close %d, second server %d%n",
                catalogBytes, withFirst - empty, afterFirst - empty, withSecond - afterFirst);
        System.out.println(catalog.hashCode() == 0 ? "" : "server's own: second server + catalog = "
                + (withSecond - afterFirst + catalogBytes));
        second.close();
        System.exit(0);
    }
}
