/**
 * The commands on keys whatever their type: existence, deletion, renaming, moving, copying,
 * whole-database commands, iteration (KEYS, SCAN), expiry (EXPIRE, TTL, PERSIST ...), OBJECT, and
 * DUMP/RESTORE (Redis's serialized form, through {@code io.nuthatch.server.codec}).
 */
package io.nuthatch.server.command.key;
