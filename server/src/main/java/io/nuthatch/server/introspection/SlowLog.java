package io.nuthatch.server.introspection;

import io.nuthatch.exporter.MetricsSource.SlowlogFigures;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.client.ClientSession;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The slow log: the commands that took at least slowlog-log-slower-than microseconds, newest
 * first, at most slowlog-max-len of them, as Redis keeps it. An entry keeps at most 32 arguments
 * (the 32nd says how many more there were) and at most 128 bytes of each (followed by how many
 * more there were), so a huge command costs the log little.
 *
 * <p>Ids count every entry ever made, also those slowlog-max-len 0 drops at once, as in Redis.
 * Only the engine's thread writes it (under the engine); the exporter reads the three figures it
 * needs from volatile copies.
 */
public final class SlowLog {
    static final int MAX_ARGUMENTS = 32;
    static final int MAX_ARGUMENT_BYTES = 128;

    /** One entry, as SLOWLOG GET replies it. */
    public record Entry(long id, long unixSeconds, long durationMicros, List<byte[]> arguments, String clientAddress,
                        String clientName) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;
    private volatile int length;
    private volatile long lastId;
    private volatile long lastDurationMicros;

    /** Adds an entry for the command unless it was faster than the threshold (negative: never). */
    public void consider(ClientSession client, RequestArguments arguments, long durationMicros, long thresholdMicros,
                         long maxLength) {
        if (thresholdMicros < 0 || durationMicros < thresholdMicros) {
            return;
        }
        Entry entry = new Entry(nextId++, System.currentTimeMillis() / 1000, durationMicros, keptArguments(arguments),
                client.transport().remoteAddress(), client.name() == null ? "" : client.name());
        entries.addFirst(entry);
        trim(maxLength);
        lastId = entry.id();
        lastDurationMicros = durationMicros;
    }

    /** Drops the oldest entries past the length (CONFIG SET slowlog-max-len takes effect at the next entry). */
    void trim(long maxLength) {
        while (entries.size() > maxLength) {
            entries.removeLast();
        }
        length = entries.size();
    }

    /** The newest {@code count} entries, newest first; all when count is negative. */
    public List<Entry> newest(long count) {
        List<Entry> newest = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && (count < 0 || newest.size() < count)) {
            newest.add(it.next());
        }
        return newest;
    }

    public int length() {
        return entries.size();
    }

    public void reset() {
        entries.clear();
        length = 0;
    }

    /** What the exporter reads: length, id and duration of the newest entry (0 and 0 when empty). */
    public SlowlogFigures figures() {
        int kept = length;
        return new SlowlogFigures(kept, kept == 0 ? 0 : lastId,
                kept == 0 ? 0 : lastDurationMicros);
    }

    private static List<byte[]> keptArguments(RequestArguments arguments) {
        int count = arguments.count();
        int kept = Math.min(count, MAX_ARGUMENTS);
        List<byte[]> copies = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            if (kept != count && i == kept - 1) {
                copies.add(("... (" + (count - kept + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII));
            } else if (arguments.length(i) > MAX_ARGUMENT_BYTES) {
                byte[] cut = new byte[MAX_ARGUMENT_BYTES];
                System.arraycopy(arguments.array(i), arguments.offset(i), cut, 0, MAX_ARGUMENT_BYTES);
                byte[] more = ("... (" + (arguments.length(i) - MAX_ARGUMENT_BYTES) + " more bytes)")
                        .getBytes(StandardCharsets.US_ASCII);
                byte[] text = new byte[cut.length + more.length];
                System.arraycopy(cut, 0, text, 0, cut.length);
                System.arraycopy(more, 0, text, cut.length, more.length);
                copies.add(text);
            } else {
                copies.add(arguments.copy(i));
            }
        }
        return copies;
    }
}
