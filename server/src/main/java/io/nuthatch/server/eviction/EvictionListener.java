package io.nuthatch.server.eviction;

import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;

/**
 * What must hear of a key evicted to free memory: the "evicted" keyspace notification, WATCH and
 * client tracking (Redis's signalModifiedKey), which an eviction triggers although no command
 * changed the key. Called with the engine held, after the key left its database and before its DEL
 * is propagated; the key is read from {@link KeyEntry#keyArray()}, and must be copied if kept.
 */
@FunctionalInterface
public interface EvictionListener {
    void keyEvicted(Database database, KeyEntry entry);
}
