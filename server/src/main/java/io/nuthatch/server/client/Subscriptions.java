package io.nuthatch.server.client;

import io.nuthatch.server.pubsub.ChannelName;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The channels, patterns and shard channels one client is subscribed to. A client has none of
 * this until its first subscription and loses it with its last, so that "is it a subscriber" is
 * one null check on the path of every command.
 *
 * <p>Patterns are kept in the order they were subscribed, as Redis keeps them in a list (PUNSUBSCRIBE
 * without arguments confirms them in that order); channels in a set (Redis's order there is its
 * hash table's, which no client can rely on).
 */
public final class Subscriptions {
    private final Set<ChannelName> channels = new LinkedHashSet<>();
    private final List<ChannelName> patterns = new ArrayList<>();
    private final Set<ChannelName> shardChannels = new LinkedHashSet<>();

    public Set<ChannelName> channels() {
        return channels;
    }

    public List<ChannelName> patterns() {
        return patterns;
    }

    public Set<ChannelName> shardChannels() {
        return shardChannels;
    }

    /** What SUBSCRIBE and PSUBSCRIBE confirm: channels and patterns together. */
    public int count() {
        return channels.size() + patterns.size();
    }

    /** What SSUBSCRIBE confirms: shard channels are counted on their own. */
    public int shardCount() {
        return shardChannels.size();
    }

    public boolean isEmpty() {
        return channels.isEmpty() && patterns.isEmpty() && shardChannels.isEmpty();
    }
}
