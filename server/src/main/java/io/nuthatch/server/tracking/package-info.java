/**
 * Client-side caching (CLIENT TRACKING): the server-wide tables of what tracking clients read (the
 * default mode's keys, BCAST's prefixes) and the invalidation messages a change sends them, as
 * RESP3 pushes or, in RESP2, as messages of {@code __redis__:invalidate} to a redirect client.
 *
 * <p>{@link io.nuthatch.server.tracking.ClientTracking} is the one entry point: the dispatcher calls
 * it after each command call (remember a read-only command's keys) and after each client command
 * (send the client's own invalidations after its reply, broadcasts, the tracking-table-max-keys
 * limit); the engine's keyspace hooks call it for every change, expiry and eviction, and for
 * flushes; the cron after its expiry. Each client's own options live in
 * {@link io.nuthatch.server.client.TrackingMode}, which only this package changes.
 *
 * <p>This package runs with the engine held. It must never cost a client that does not track
 * anything beyond a null check per command and a boolean per change, never keep a reference to a
 * request's arguments (a remembered key is copied), and never wait for a receiver: messages go
 * through {@code PubSub.deliver}, whose output limits close a client that does not read.
 */
package io.nuthatch.server.tracking;
