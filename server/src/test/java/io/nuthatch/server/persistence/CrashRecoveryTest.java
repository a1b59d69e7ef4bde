package io.nuthatch.server.persistence;

import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise of the append-only log under a killed process: writers send numbered writes and
 * record each acknowledged one; the server is killed with SIGKILL at a random moment, restarted on
 * the same directory, and must hold, for every writer, a prefix of what it sent that contains
 * everything acknowledged. Under every fsync policy: the process died, the kernel did not, and a
 * record reaches the kernel before its reply leaves. The server must start every time.
 *
 * Every other kill comes during or just after a BGSAVE or BGREWRITEAOF, so restarts also load
 * snapshots, with the segments after them, and skip half-written snapshot directories.
 *
 * <p>{@code -Dnuthatch.crash.kills=N} sets the kills per policy (20 by default, the figure).
 */
class CrashRecoveryTest {
    private static final int KILLS = Integer.getInteger("nuthatch.crash.kills", 20);
    private static final long READY_TIMEOUT_MILLIS = 60_000;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "appendfsync {0}")
    @ValueSource(strings = {"always", "everysec", "no"})
    void everyAcknowledgedWriteSurvivesSigkill(String policy) throws Exception {
        Path data = Files.createDirectories(directory.resolve("data"));
        Path log = directory.resolve("server.log");
        SplittableRandom random = new SplittableRandom(policy.hashCode());
        List<WrittenHistory> writers = new ArrayList<>();
        for (WrittenHistory.Kind kind : WrittenHistory.Kind.values()) {
            writers.add(new WrittenHistory(kind, kind.name().toLowerCase() + "-writer"));
        }
        long acknowledged = 0;
        for (int round = 0; round <= KILLS; round++) {
            String name = "appendfsync " + policy + ", start " + (round + 1);
            ServerProcess server = ServerProcess.start(data, log, "--appendonly", "yes", "--appendfsync", policy);
            try {
                server.awaitReady(READY_TIMEOUT_MILLIS);
                for (WrittenHistory writer : writers) {
                    writer.verify(server.port(), name);
                }
                if (round == KILLS) {
                    break;
                }
                List<Thread> threads = new ArrayList<>();
                for (WrittenHistory writer : writers) {
                    writer.port(server.port());
                    Thread thread = new Thread(writer, "writer-" + writer.kind());
                    thread.start();
                    threads.add(thread);
                }
                int pause = 150 + random.nextInt(750);
                if (round % 2 == 1) {
                    // Every other kill lands while a snapshot is written (or just after its manifest
                    // switch): a new segment, a half-written snapshot directory, retired files.
                    int before = random.nextInt(pause);
                    Thread.sleep(before);
                    try (RawConnection control = new RawConnection(server.port())) {
                        control.call(round % 4 == 1 ? "BGSAVE" : "BGREWRITEAOF");
                    }
                    pause -= before;
                }
                Thread.sleep(pause);
                server.kill();
                for (Thread thread : threads) {
                    thread.join(30_000);
                }
                for (WrittenHistory writer : writers) {
                    acknowledged += writer.lastAcknowledged() + 1;
                }
            } finally {
                server.close();
            }
        }
        assertTrue(acknowledged > KILLS * 10L, "the writers had too little time to write: " + acknowledged);
    }
}
