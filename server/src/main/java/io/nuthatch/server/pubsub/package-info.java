/**
 * Messages to clients other than the one whose command runs: pub/sub (channels, patterns, shard
 * channels), keyspace notifications, and the delivery path that invalidations and MONITOR are to
 * share.
 *
 * <p>{@link io.nuthatch.server.pubsub.PubSub} owns the registries of subscriptions and
 * {@link io.nuthatch.server.pubsub.PubSub#deliver}, the one way a message enters another client's
 * output: into the running client's reply buffer when the receiver is the client running the command
 * (the message then comes before that command's reply, as in Redis), otherwise into the receiver's
 * connection queue, which any thread may fill without a turn at the engine's gate and which counts
 * against the receiver's client-output-buffer-limit (network.Outbox; the connection's
 * {@code queuedOutputBytes()} is the one figure of what is queued for it). Publishing encodes a
 * message once per protocol and copies it to each receiver.
 *
 * <p>{@link io.nuthatch.server.pubsub.KeyspaceEvents} publishes keyspace and keyevent notifications.
 * Commands call it right after each change with the names of {@link io.nuthatch.server.pubsub.EventNames};
 * the engine calls it for expired keys, new keys and key misses (keyspace hooks). Eviction reports an
 * evicted key with {@code engine.keyspaceEvents().notify(KeyspaceEvents.EVICTED, EventNames.EVICTED,
 * database, key, offset, length)}, right after deleting it. Inside EXEC or a script the events fire
 * as each command runs, in order, as Redis fires them: nothing here defers them.
 *
 * <p>This package runs with the engine held; it must never wait for a receiver (a subscriber that
 * does not read is closed at its limit, never waited for), never keep a reference to a request's
 * arguments beyond the command, and never turn a channel name into a String on the publish path.
 */
package io.nuthatch.server.pubsub;
