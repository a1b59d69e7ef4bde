/**
 * Messages to clients other than the one whose command runs: pub/sub (channels, patterns, shard
 * channels) and the delivery path keyspace events, invalidations and MONITOR share.
 *
 * <p>{@link io.nuthatch.server.pubsub.PubSub} owns the registries of subscriptions and
 * {@link io.nuthatch.server.pubsub.PubSub#deliver}, the one way a message enters another client's
 * output: into the running client's reply buffer when the receiver is the client running the command
 * (the message then comes before that command's reply, as in Redis), otherwise into the receiver's
 * connection queue, which any thread may fill without a turn at the engine's gate and which counts
 * against the receiver's client-output-buffer-limit (see network.Outbox). Publishing encodes a
 * message once per protocol and copies it to each receiver.
 *
 * <p>This package runs with the engine held; it must never wait for a receiver (a subscriber that
 * does not read is closed at its limit, never waited for), never keep a reference to a request's
 * arguments beyond the command, and never turn a channel name into a String on the publish path.
 */
package io.nuthatch.server.pubsub;
