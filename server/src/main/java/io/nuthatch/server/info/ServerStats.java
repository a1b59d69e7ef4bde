package io.nuthatch.server.info;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server-wide counters of INFO stats and errorstats. Fields changed by commands are updated
 * under the engine lock; the network byte counters are updated by the network threads directly.
 */
public final class ServerStats {
    /** Redis tracks at most this many distinct error codes in errorstats. */
    private static final int ERROR_CODES_LIMIT = 128;

    public long connectionsReceived;
    public long commandsProcessed;
    public long rejectedConnections;
    public long expiredKeys;
    public long evictedKeys;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long errorReplies;
    public long unexpectedErrorReplies;
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
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
        keyspaceHits = 0;
        keyspaceMisses = 0;
        errorReplies = 0;
        unexpectedErrorReplies = 0;
        netInputBytes.reset();
        netOutputBytes.reset();
        errorCounts.clear();
    }
}
