package io.nuthatch.server.pubsub;

import io.nuthatch.server.config.NotifyKeyspaceEventsDirective;

import java.nio.charset.StandardCharsets;

/**
 * Keyspace and keyevent notifications (notify-keyspace-events): an event about a key is published
 * as Redis publishes it, the event name to {@code __keyspace@<db>__:<key>} and the key to
 * {@code __keyevent@<db>__:<event>}, each only when its letter (K, E) and the event's class are
 * set.
 *
 * <p>Commands call {@link #notify} right after each change, with the event name Redis emits at
 * that point (so several events of one command come in Redis's order); the keyspace calls it for
 * expired keys, and eviction for evicted ones. With notifications off (the default) a call costs
 * one volatile read. The channel name is built in a scratch array kept here, so an event
 * allocates nothing but what the receivers' queues copy.
 */
public final class KeyspaceEvents {
    public static final int GENERIC = NotifyKeyspaceEventsDirective.GENERIC;
    public static final int STRING = NotifyKeyspaceEventsDirective.STRING;
    public static final int LIST = NotifyKeyspaceEventsDirective.LIST;
    public static final int SET = NotifyKeyspaceEventsDirective.SET;
    public static final int HASH = NotifyKeyspaceEventsDirective.HASH;
    public static final int ZSET = NotifyKeyspaceEventsDirective.ZSET;
    public static final int EXPIRED = NotifyKeyspaceEventsDirective.EXPIRED;
    public static final int EVICTED = NotifyKeyspaceEventsDirective.EVICTED;
    public static final int STREAM = NotifyKeyspaceEventsDirective.STREAM;
    public static final int KEY_MISS = NotifyKeyspaceEventsDirective.KEY_MISS;
    public static final int NEW = NotifyKeyspaceEventsDirective.NEW;

    private static final byte[] KEYSPACE_PREFIX = bytes("__keyspace@");
    private static final byte[] KEYEVENT_PREFIX = bytes("__keyevent@");
    private static final byte[] PREFIX_END = bytes("__:");

    private final PubSub pubsub;
    private final NotifyKeyspaceEventsDirective settings;
    private byte[] channel = new byte[128];

    public KeyspaceEvents(PubSub pubsub, NotifyKeyspaceEventsDirective settings) {
        this.pubsub = pubsub;
        this.settings = settings;
    }

    /** An event name as the bytes commands pass to {@link #notify}. */
    public static byte[] name(String event) {
        return bytes(event);
    }

    /** Whether any event is published at all (notify-keyspace-events is not empty). */
    public boolean anyEnabled() {
        return settings.flags() != 0;
    }

    /** Whether events of the class are published at all: callers may skip work to build one. */
    public boolean enabled(int type) {
        return (settings.flags() & type) != 0;
    }

    /**
     * Publishes an event of class {@code type} about a key of database {@code database} (bytes
     * {@code offset} to {@code offset + length} of {@code key}), if notify-keyspace-events asks for
     * it. Under the engine.
     */
    public void notify(int type, byte[] event, int database, byte[] key, int offset, int length) {
        int flags = settings.flags();
        if ((flags & type) == 0) {
            return;
        }
        if ((flags & NotifyKeyspaceEventsDirective.KEYSPACE) != 0) {
            int channelLength = channel(KEYSPACE_PREFIX, database, key, offset, length);
            pubsub.publish(channel, 0, channelLength, event, 0, event.length);
        }
        if ((flags & NotifyKeyspaceEventsDirective.KEYEVENT) != 0) {
            int channelLength = channel(KEYEVENT_PREFIX, database, event, 0, event.length);
            pubsub.publish(channel, 0, channelLength, key, offset, length);
        }
    }

    /** Writes prefix, database number, "__:" and the suffix into the scratch array; its length. */
    private int channel(byte[] prefix, int database, byte[] suffix, int offset, int length) {
        int digits = database < 10 ? 1 : Integer.toString(database).length();
        int total = prefix.length + digits + PREFIX_END.length + length;
        if (channel.length < total) {
            channel = new byte[Math.max(total, channel.length * 2)];
        }
        System.arraycopy(prefix, 0, channel, 0, prefix.length);
        int at = prefix.length;
        for (int i = digits - 1, n = database; i >= 0; i--, n /= 10) {
            channel[at + i] = (byte) ('0' + n % 10);
        }
        at += digits;
        System.arraycopy(PREFIX_END, 0, channel, at, PREFIX_END.length);
        at += PREFIX_END.length;
        System.arraycopy(suffix, offset, channel, at, length);
        return at + length;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
