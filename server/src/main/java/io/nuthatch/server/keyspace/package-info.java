/**
 * The keyspace: numbered databases of keys, each key an entry with its value, expiry, access clock
 * and version; lookups with lazy expiry; the active expiry cycle; SCAN's cursor.
 *
 * <p>Every change to a key goes through {@link io.nuthatch.server.keyspace.Database}, which keeps
 * memory accounting, entry versions and the expiry index right and reports each change through
 * {@link io.nuthatch.server.keyspace.KeyspaceHooks}. Nothing here knows of clients, replies or
 * the network.
 */
package io.nuthatch.server.keyspace;
