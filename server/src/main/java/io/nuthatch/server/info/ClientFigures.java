package io.nuthatch.server.info;

import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.ClientRegistry;

/**
 * The figures about clients that only a walk of every client can give (their memory, the largest
 * query and reply buffers), kept by the cron so that INFO and a Prometheus scrape read them in
 * O(1) however many clients are connected. Redis does the same: its clientsCron folds each client's
 * buffers into per-second peaks and INFO reads the peaks.
 *
 * <p><b>Recent peaks.</b> client_recent_max_input_buffer and client_recent_max_output_buffer are the
 * largest buffers seen in the last {@link #SLOTS} seconds, as in Redis: one slot per second of the
 * clock, used round-robin. Each walk raises the slot of the current second, and clears the slot of
 * the next second so that it starts from nothing when its second comes; INFO reports the largest
 * slot. A buffer that grew and drained between two walks is missed, as it is by Redis, which visits
 * each client about once a second.
 *
 * <p>Everything here runs under the engine lock: the cron writes, INFO reads.
 */
final class ClientFigures {
    /** Seconds of history the recent peaks cover (Redis's CLIENTS_PEAK_MEM_USAGE_SLOTS). */
    static final int SLOTS = 8;

    private final ClientRegistry clients;
    private final long[] inputPeaks = new long[SLOTS];
    private final long[] outputPeaks = new long[SLOTS];
    private long memory;
    private volatile long lastWalkNanos;

    ClientFigures(ClientRegistry clients) {
        this.clients = clients;
    }

    /** One walk of every client: their memory and this second's peaks. Called by the cron. */
    void refresh(long nowMillis) {
        long started = System.nanoTime();
        long total = 0;
        long maxInput = 0;
        long maxOutput = 0;
        for (ClientSession client : clients.all()) {
            long input = client.transport().queryBufferBytes();
            long output = client.transport().outputBufferBytes();
            total += MemoryInfo.CLIENT_BYTES + input + output;
            maxInput = Math.max(maxInput, input);
            maxOutput = Math.max(maxOutput, output);
        }
        int slot = (int) ((nowMillis / 1000) % SLOTS);
        int next = (slot + 1) % SLOTS;
        inputPeaks[next] = 0;
        outputPeaks[next] = 0;
        inputPeaks[slot] = Math.max(inputPeaks[slot], maxInput);
        outputPeaks[slot] = Math.max(outputPeaks[slot], maxOutput);
        memory = total;
        lastWalkNanos = System.nanoTime() - started;
    }

    /** The clients' memory as the last walk found it (mem_clients_normal). */
    long memory() {
        return memory;
    }

    /** client_recent_max_input_buffer. */
    long recentMaxInput() {
        return max(inputPeaks);
    }

    /** client_recent_max_output_buffer. */
    long recentMaxOutput() {
        return max(outputPeaks);
    }

    /** How long the last walk took, in nanoseconds (the engine was held that long by it). */
    long lastWalkNanos() {
        return lastWalkNanos;
    }

    private static long max(long[] slots) {
        long max = 0;
        for (long value : slots) {
            max = Math.max(max, value);
        }
        return max;
    }
}
