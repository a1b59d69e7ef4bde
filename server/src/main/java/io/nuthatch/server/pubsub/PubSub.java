package io.nuthatch.server.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.Engine;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.Subscriptions;
import io.nuthatch.server.keyspace.GlobPattern;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is subscribed to what, server-wide, and the delivery of messages to them.
 *
 * <p>Three registries, as in Redis 7.0: channels, patterns and shard channels, each a name mapped
 * to its subscribers in the order they subscribed (a message reaches them in that order). Every
 * method runs with the engine held. A published message is encoded once per protocol into a
 * scratch buffer and copied into each receiver's queue ({@link #deliver}), so publishing allocates
 * nothing per receiver; a channel is found in place, inside the request, through a probe name.
 */
public final class PubSub {
    /** The three kinds of subscription; each has its own registry and its own reply words. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        PATTERN("psubscribe", "punsubscribe", "pmessage"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final byte[] subscribed;
        final byte[] unsubscribed;
        final byte[] message;

        Kind(String subscribed, String unsubscribed, String message) {
            this.subscribed = subscribed.getBytes(StandardCharsets.US_ASCII);
            this.unsubscribed = unsubscribed.getBytes(StandardCharsets.US_ASCII);
            this.message = message.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Above this, the scratch buffers are let go after a message rather than kept for the next. */
    private static final int SCRATCH_KEPT_CAPACITY = 64 * 1024;

    private final Engine engine;
    private final Map<ChannelName, List<ClientSession>> channels = new HashMap<>();
    private final Map<ChannelName, List<ClientSession>> patterns = new LinkedHashMap<>();
    private final Map<ChannelName, List<ClientSession>> shardChannels = new HashMap<>();
    private final ChannelName probe = ChannelName.probe();
    private final ReplyWriter resp2 = new ReplyWriter();
    private final ReplyWriter resp3 = new ReplyWriter();

    public PubSub(Engine engine) {
        this.engine = engine;
        resp2.protocol(ReplyWriter.RESP2);
        resp3.protocol(ReplyWriter.RESP3);
        resp2.target(Unpooled.buffer(256));
        resp3.target(Unpooled.buffer(256));
    }

    // ---------------------------------------------------------------- subscriptions

    /**
     * Subscribes the client to a channel, pattern or shard channel (bytes {@code offset} to
     * {@code offset + length} of {@code name}, copied if kept); nothing when it already is.
     */
    public void subscribe(ClientSession client, Kind kind, byte[] name, int offset, int length) {
        Subscriptions subscriptions = client.subscriptions();
        if (subscriptions == null) {
            subscriptions = new Subscriptions();
            client.subscriptions(subscriptions);
        }
        ChannelName wanted = probe.point(name, offset, length);
        boolean added;
        ChannelName kept;
        if (kind == Kind.PATTERN) {
            added = !subscriptions.patterns().contains(wanted);
            kept = added ? wanted.keep() : null;
            if (added) {
                subscriptions.patterns().add(kept);
            }
        } else {
            Set<ChannelName> mine = kind == Kind.CHANNEL ? subscriptions.channels() : subscriptions.shardChannels();
            added = !mine.contains(wanted);
            kept = added ? wanted.keep() : null;
            if (added) {
                mine.add(kept);
            }
        }
        if (added) {
            registry(kind).computeIfAbsent(kept, absent -> new ArrayList<>(2)).add(client);
        }
    }

    /** Unsubscribes the client from one name; whether it was subscribed. */
    public boolean unsubscribe(ClientSession client, Kind kind, byte[] name, int offset, int length) {
        Subscriptions subscriptions = client.subscriptions();
        if (subscriptions == null) {
            return false;
        }
        ChannelName wanted = probe.point(name, offset, length);
        boolean removed = switch (kind) {
            case CHANNEL -> subscriptions.channels().remove(wanted);
            case PATTERN -> subscriptions.patterns().remove(wanted);
            case SHARD -> subscriptions.shardChannels().remove(wanted);
        };
        if (removed) {
            Map<ChannelName, List<ClientSession>> registry = registry(kind);
            List<ClientSession> subscribers = registry.get(wanted);
            subscribers.remove(client);
            if (subscribers.isEmpty()) {
                registry.remove(wanted);
            }
            if (subscriptions.isEmpty()) {
                client.subscriptions(null);
            }
        }
        return removed;
    }

    /** The client is gone, or RESET: every subscription of every kind ends, with no confirmation. */
    public void clientClosed(ClientSession client) {
        Subscriptions subscriptions = client.subscriptions();
        if (subscriptions == null) {
            return;
        }
        for (Kind kind : Kind.values()) {
            for (ChannelName name : names(subscriptions, kind).toArray(ChannelName[]::new)) {
                unsubscribe(client, kind, name.bytes(), 0, name.bytes().length);
            }
        }
    }

    /** The client's names of one kind (a live view). */
    public static Collection<ChannelName> names(Subscriptions subscriptions, Kind kind) {
        return switch (kind) {
            case CHANNEL -> subscriptions.channels();
            case PATTERN -> subscriptions.patterns();
            case SHARD -> subscriptions.shardChannels();
        };
    }

    // ---------------------------------------------------------------- publishing

    /**
     * PUBLISH: sends the message to the channel's subscribers, then to the subscribers of each
     * pattern that matches the channel.
     *
     * @return the number of receivers, a client counted once per subscription that reached it
     */
    public int publish(byte[] channel, int channelOffset, int channelLength,
                       byte[] message, int messageOffset, int messageLength) {
        int receivers = 0;
        List<ClientSession> subscribers = channels.get(probe.point(channel, channelOffset, channelLength));
        if (subscribers != null) {
            encode(Kind.CHANNEL, null, channel, channelOffset, channelLength, message, messageOffset, messageLength);
            receivers += deliverAll(subscribers);
        }
        if (!patterns.isEmpty()) {
            for (Map.Entry<ChannelName, List<ClientSession>> entry : patterns.entrySet()) {
                byte[] pattern = entry.getKey().bytes();
                if (GlobPattern.matches(pattern, channel, channelOffset, channelLength, false)) {
                    encode(Kind.PATTERN, pattern, channel, channelOffset, channelLength,
                            message, messageOffset, messageLength);
                    receivers += deliverAll(entry.getValue());
                }
            }
        }
        releaseLargeScratch();
        return receivers;
    }

    /** SPUBLISH: the shard channel's subscribers only; patterns do not see shard messages. */
    public int publishToShard(byte[] channel, int channelOffset, int channelLength,
                              byte[] message, int messageOffset, int messageLength) {
        List<ClientSession> subscribers = shardChannels.get(probe.point(channel, channelOffset, channelLength));
        if (subscribers == null) {
            return 0;
        }
        encode(Kind.SHARD, null, channel, channelOffset, channelLength, message, messageOffset, messageLength);
        int receivers = deliverAll(subscribers);
        releaseLargeScratch();
        return receivers;
    }

    private int deliverAll(List<ClientSession> subscribers) {
        ByteBuf asResp2 = resp2.buffer();
        ByteBuf asResp3 = resp3.buffer();
        for (int i = 0, n = subscribers.size(); i < n; i++) {
            ClientSession subscriber = subscribers.get(i);
            deliver(subscriber, subscriber.protocol() == ReplyWriter.RESP3 ? asResp3 : asResp2);
        }
        return subscribers.size();
    }

    /**
     * Sends a message that is not a reply to the receiver's own command (pub/sub, invalidations,
     * keyspace events, MONITOR): into the receiver's output, after everything queued for it so far.
     * The receiver whose command is running gets it in its reply buffer, where it comes before the
     * command's reply, as in Redis; any other receiver through its connection's queue. The readable
     * bytes of {@code message} are copied; the buffer is left as it was. Under the engine.
     */
    public void deliver(ClientSession receiver, ByteBuf message) {
        if (receiver == engine.currentClient()) {
            receiver.reply().buffer().writeBytes(message, message.readerIndex(), message.readableBytes());
        } else {
            receiver.transport().deliver(message);
        }
    }

    private void encode(Kind kind, byte[] pattern, byte[] channel, int channelOffset, int channelLength,
                        byte[] message, int messageOffset, int messageLength) {
        encode(resp2, kind, pattern, channel, channelOffset, channelLength, message, messageOffset, messageLength);
        encode(resp3, kind, pattern, channel, channelOffset, channelLength, message, messageOffset, messageLength);
    }

    private static void encode(ReplyWriter writer, Kind kind, byte[] pattern, byte[] channel, int channelOffset,
                               int channelLength, byte[] message, int messageOffset, int messageLength) {
        writer.buffer().clear();
        writer.pushHeader(pattern == null ? 3 : 4);
        writer.bulk(kind.message);
        if (pattern != null) {
            writer.bulk(pattern);
        }
        writer.bulk(channel, channelOffset, channelLength);
        writer.bulk(message, messageOffset, messageLength);
    }

    private void releaseLargeScratch() {
        if (resp2.buffer().capacity() > SCRATCH_KEPT_CAPACITY) {
            resp2.target(Unpooled.buffer(256));
        }
        if (resp3.buffer().capacity() > SCRATCH_KEPT_CAPACITY) {
            resp3.target(Unpooled.buffer(256));
        }
    }

    // ---------------------------------------------------------------- what PUBSUB and INFO show

    /** The active names of a kind: channels or shard channels with a subscriber, or the patterns. */
    public Collection<ChannelName> active(Kind kind) {
        return registry(kind).keySet();
    }

    /** Subscribers of a channel or shard channel, patterns not counted (PUBSUB NUMSUB). */
    public int subscriberCount(Kind kind, byte[] name, int offset, int length) {
        List<ClientSession> subscribers = registry(kind).get(probe.point(name, offset, length));
        return subscribers == null ? 0 : subscribers.size();
    }

    /** Channels, patterns or shard channels that have a subscriber (INFO pubsub_*, PUBSUB NUMPAT). */
    public int count(Kind kind) {
        return registry(kind).size();
    }

    private Map<ChannelName, List<ClientSession>> registry(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    /** Reply words of a kind, for the commands that confirm subscriptions. */
    public static byte[] subscribedWord(Kind kind) {
        return kind.subscribed;
    }

    public static byte[] unsubscribedWord(Kind kind) {
        return kind.unsubscribed;
    }
}
