package io.nuthatch.server.info;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server-wide counters of INFO stats and errorstats. Fields changed by commands are updated
 * under the engine lock; the counters of the network layer (bytes, reads, writes) are updated by
 * the network threads directly, hence the adders.
 */
public final class ServerStats {
    /** Redis tracks at most this many distinct error codes in errorstats. */
    private static final int ERROR_CODES_LIMIT = 128;

    public long connectionsReceived;
    public long commandsProcessed;
    public long rejectedConnections;
    public long expiredKeys;
    public long evictedKeys;
    /** Connections closed by maxmemory-clients. */
    public long evictedClients;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long errorReplies;
    public long unexpectedErrorReplies;
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    /** Read batches handled (total_reads_processed; also eventloop_cycles). */
    public final LongAdder readsProcessed = new LongAdder();
    /** Flushes of replies to a socket (total_writes_processed). */
    public final LongAdder writesProcessed = new LongAdder();
    /** Time spent decoding and running read batches (eventloop_duration_sum). */
    public final LongAdder readBatchNanos = new LongAdder();
    public final LongAdder queryBufferLimitDisconnections = new LongAdder();
    /** Clients closed for their output buffer limit: counted by the thread that delivered to them. */
    public final LongAdder outputBufferLimitDisconnections = new LongAdder();
    /** Connections on tls-port closed before their TLS handshake completed (failed or timed out). */
    public final LongAdder tlsHandshakeFailures = new LongAdder();
    /** Failed AUTH / HELLO AUTH (acl_access_denied_auth). */
    public long aclDeniedAuth;
    /** Running share of expired keys among those the active expiry cycle samples (0..1). */
    public double expiredStaleShare;
    public long expiredTimeCapReached;
    public long expireCycleNanos;
    public final InstantaneousMetrics instantaneous = new InstantaneousMetrics();
    /** Threads that run commands and cron work: Redis's "main thread" for INFO cpu. */
    private final Set<Long> commandThreads = ConcurrentHashMap.newKeySet();
    private final Map<String, long[]> errorCounts = new LinkedHashMap<>();

    /** Counts an error reply under its code, the text before the first space ("ERR", "WRONGTYPE"). */
    public void errorReplied(byte[] message) {
        errorReplies++;
        int end = 0;
        while (end < message.length && message[end] != ' ') {
            end++;
        }
        String code = new String(message, 0, end, StandardCharsets.ISO_8859_1);
        long[] count = errorCounts.get(code);
        if (count == null) {
            if (errorCounts.size() >= ERROR_CODES_LIMIT) {
                return;
            }
            count = new long[1];
            errorCounts.put(code, count);
        }
        count[0]++;
    }

    /** Records that the calling thread runs commands (once per connection, not per command). */
    public void commandThread(Thread thread) {
        commandThreads.add(thread.getId());
    }

    /** Ids of the threads that run commands. */
    public Set<Long> commandThreads() {
        return Collections.unmodifiableSet(commandThreads);
    }

    /** Accounts one read batch and the time it took to decode and run. */
    public void readProcessed(long nanos) {
        readsProcessed.increment();
        readBatchNanos.add(nanos);
    }

    /**
     * Accounts one run of the active expiry cycle. The stale share is Redis's moving average: each
     * cycle weighs 5%, so the figure follows the last few seconds of cycles.
     */
    public void expiryCycleRan(long sampled, long expired, boolean hitTimeLimit, long nanos) {
        double share = sampled == 0 ? 0 : (double) expired / sampled;
        expiredStaleShare = share * 0.05 + expiredStaleShare * 0.95;
        if (hitTimeLimit) {
            expiredTimeCapReached++;
        }
        expireCycleNanos += nanos;
    }

    /** Error code to count, in order of first occurrence. */
    public Map<String, long[]> errorCounts() {
        return Collections.unmodifiableMap(errorCounts);
    }

    /** CONFIG RESETSTAT. */
    public void reset() {
        connectionsReceived = 0;
        commandsProcessed = 0;
        rejectedConnections = 0;
        expiredKeys = 0;
        evictedKeys = 0;
        evictedClients = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        errorReplies = 0;
        unexpectedErrorReplies = 0;
        netInputBytes.reset();
        tlsHandshakeFailures.reset();
        netOutputBytes.reset();
        readsProcessed.reset();
        writesProcessed.reset();
        readBatchNanos.reset();
        queryBufferLimitDisconnections.reset();
        outputBufferLimitDisconnections.reset();
        aclDeniedAuth = 0;
        expiredStaleShare = 0;
        expiredTimeCapReached = 0;
        expireCycleNanos = 0;
        instantaneous.reset();
        errorCounts.clear();
    }
}
