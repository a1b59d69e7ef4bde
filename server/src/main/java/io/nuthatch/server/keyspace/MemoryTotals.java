package io.nuthatch.server.keyspace;

/**
 * The keyspace's memory account as running totals over its databases: the entries with their keys
 * and values, and the arrays that index them. The maxmemory check reads both before every command,
 * so they are kept as each figure changes rather than summed over the sixteen databases each time.
 * Databases add their entries' changes; key tables and expiry indexes their arrays'.
 */
final class MemoryTotals {
    /** Bytes of the entries, keys and values of every database. */
    long dataset;
    /** Bytes of the key tables' bucket arrays and the expiry indexes' arrays. */
    long index;
}
