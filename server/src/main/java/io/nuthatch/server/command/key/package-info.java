/**
 * The commands on keys whatever their type: existence, deletion, renaming, moving, copying,
 * whole-database commands, iteration (KEYS, SCAN), expiry (EXPIRE, TTL, PERSIST ...) and OBJECT.
 */
package io.nuthatch.server.command.key;
