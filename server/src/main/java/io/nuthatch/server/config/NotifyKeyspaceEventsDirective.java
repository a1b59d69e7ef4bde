package io.nuthatch.server.config;

import java.util.List;

/**
 * notify-keyspace-events: which keyspace notifications are published, as flag letters. The flags
 * are kept as a bit set and shown in Redis's canonical order ("KEA" shows as "AKE").
 */
public final class NotifyKeyspaceEventsDirective extends ConfigDirective {
    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 12;
    public static final int NEW = 1 << 13;
    /** What "A" stands for: every class of event but key misses and new keys. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** The letters of the classes in "A", in the order they are shown. */
    private static final String CLASS_LETTERS = "g$lshzxetdn";
    private static final int[] CLASS_FLAGS = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW};

    private volatile int flags;

    public NotifyKeyspaceEventsDirective() {
        super("notify-keyspace-events");
    }

    /** The flags, a combination of the constants of this class. */
    public int flags() {
        return flags;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        String text = ConfigSyntax.cString(single(arguments));
        int parsed = 0;
        for (int i = 0; i < text.length(); i++) {
            char letter = text.charAt(i);
            int index = CLASS_LETTERS.indexOf(letter);
            if (index >= 0) {
                parsed |= CLASS_FLAGS[index];
            } else {
                parsed |= switch (letter) {
                    case 'A' -> ALL;
                    case 'K' -> KEYSPACE;
                    case 'E' -> KEYEVENT;
                    case 'm' -> KEY_MISS;
                    default -> throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                };
            }
        }
        flags = parsed;
    }

    @Override
    public String get() {
        StringBuilder text = new StringBuilder();
        if ((flags & ALL) == ALL) {
            text.append('A');
        } else {
            for (int i = 0; i < CLASS_FLAGS.length; i++) {
                if ((flags & CLASS_FLAGS[i]) != 0) {
                    text.append(CLASS_LETTERS.charAt(i));
                }
            }
        }
        if ((flags & KEYSPACE) != 0) {
            text.append('K');
        }
        if ((flags & KEYEVENT) != 0) {
            text.append('E');
        }
        if ((flags & KEY_MISS) != 0) {
            text.append('m');
        }
        return text.toString();
    }

    @Override
    public boolean isDefault() {
        return flags == 0;
    }

    @Override
    protected String rewriteValue() {
        return ConfigSyntax.quote(get());
    }
}
