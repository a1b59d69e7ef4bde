package io.nuthatch.server.eviction;

import java.util.Locale;

/**
 * The eight maxmemory-policy values of Redis: which keys may be evicted (all, or only those with an
 * expiry) and how the one to go is chosen (least recently used, least frequently used, nearest
 * expiry, or at random).
 */
public enum EvictionPolicy {
    VOLATILE_LRU(Choice.LEAST_RECENT, true),
    VOLATILE_LFU(Choice.LEAST_FREQUENT, true),
    VOLATILE_RANDOM(Choice.RANDOM, true),
    VOLATILE_TTL(Choice.NEAREST_EXPIRY, true),
    ALLKEYS_LRU(Choice.LEAST_RECENT, false),
    ALLKEYS_LFU(Choice.LEAST_FREQUENT, false),
    ALLKEYS_RANDOM(Choice.RANDOM, false),
    NOEVICTION(Choice.NONE, false);

    /** How a policy picks the key to evict. */
    public enum Choice { LEAST_RECENT, LEAST_FREQUENT, NEAREST_EXPIRY, RANDOM, NONE }

    private static final EvictionPolicy[] ALL = values();

    private final Choice choice;
    private final boolean volatileOnly;
    private final String configName;

    EvictionPolicy(Choice choice, boolean volatileOnly) {
        this.choice = choice;
        this.volatileOnly = volatileOnly;
        this.configName = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Choice choice() {
        return choice;
    }

    /** Whether only keys with an expiry may be evicted (the volatile-* policies). */
    public boolean volatileOnly() {
        return volatileOnly;
    }

    /** Whether keys may be evicted at all. */
    public boolean evicts() {
        return choice != Choice.NONE;
    }

    /** Whether access clocks hold frequencies (AccessFrequency) rather than last-access seconds. */
    public boolean usesFrequency() {
        return choice == Choice.LEAST_FREQUENT;
    }

    /** The name maxmemory-policy takes. */
    public String configName() {
        return configName;
    }

    /** The policy of a maxmemory-policy value, ignoring case; null when there is none of that name. */
    public static EvictionPolicy named(String name) {
        for (EvictionPolicy policy : ALL) {
            if (policy.configName.equalsIgnoreCase(name)) {
                return policy;
            }
        }
        return null;
    }
}
