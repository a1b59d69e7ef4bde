package io.nuthatch.server.network;

import io.nuthatch.server.log.ServerLog;

import java.nio.charset.StandardCharsets;

/**
 * What a connection does when the JVM cannot give it memory (a value too large for what is left of
 * the heap, a reply larger than the direct memory left): the client gets an -OOM error it can act
 * on instead of a reset, and the default log says so.
 *
 * <p>Under a shortage every client may hit it at once, so the log line is written at most once
 * every {@link #LOG_PERIOD_MILLIS}, with the number of shortages since the last line.
 */
final class MemoryShortage {
    /** The reply: Redis's OOM error code, so clients treat it as they treat maxmemory's refusal. */
    static final byte[] REPLY = "OOM the server is out of memory for this command".getBytes(StandardCharsets.US_ASCII);
    private static final long LOG_PERIOD_MILLIS = 10_000;

    private final ServerLog log;
    private long lastLoggedMillis;
    private long unlogged;

    MemoryShortage(ServerLog log) {
        this.log = log;
    }

    /** Counts one shortage and logs it at WARNING unless a line was written within the period. */
    synchronized void report(String client, String what, OutOfMemoryError error) {
        unlogged++;
        long now = System.currentTimeMillis();
        if (lastLoggedMillis != 0 && now - lastLoggedMillis < LOG_PERIOD_MILLIS) {
            return;
        }
        log.warning("Out of memory " + what + " for client " + client + " (" + error.getMessage()
                + "): replied -OOM; " + unlogged + " such shortage(s) since the last line like this one");
        lastLoggedMillis = now;
        unlogged = 0;
    }
}
