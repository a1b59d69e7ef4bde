/**
 * The pub/sub commands: argument handling and the confirmations and counts they reply. The
 * subscriptions and the delivery of messages belong to {@link io.nuthatch.server.pubsub}; the
 * RESP2 subscriber-mode check runs in the dispatcher, which asks
 * {@link io.nuthatch.server.command.pubsub.PubSubCommands#allowedInSubscriberMode}.
 */
package io.nuthatch.server.command.pubsub;
