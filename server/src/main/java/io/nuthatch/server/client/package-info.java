/**
 * Clients as the engine sees them: a connection's session (selected database, protocol, name,
 * authentication, reply mode), the registry of connected clients, the CLIENT LIST line, and
 * clients parked by a blocking command ({@link io.nuthatch.server.client.BlockedClient}) or held by
 * CLIENT PAUSE ({@link io.nuthatch.server.client.ClientPause}), whose request goes back to the
 * dispatcher, unchanged, once the pause ends.
 *
 * <p>What it must never do: touch sockets or Netty (a session reaches its connection only through
 * {@link io.nuthatch.server.client.ClientSession.Transport}), or run commands itself.
 */
package io.nuthatch.server.client;
