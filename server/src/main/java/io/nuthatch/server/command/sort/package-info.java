/**
 * SORT and SORT_RO ({@code SortCommands}): the elements of a list, a set or a sorted set sorted,
 * ranged and replied or stored as a list, with the BY and GET patterns that name other keys
 * ({@code SortPattern}) and Redis 7.0's comparison, ties included ({@code SortElement}).
 *
 * <p>What it owns: the options and the order of Redis's checks, the patterns as the C strings Redis
 * reads, the numeric scores as strtod reads them, the order of the result (stable where glibc's
 * qsort is), the stored list and the deletion of an empty result.
 *
 * <p>What it must never do: change the value it sorts (the one exception, Redis's own, is turning a
 * listpack sorted set into a skiplist, a change of layout closed with {@code relaidOut} and
 * signalled to nobody), keep an element's bytes in a value's array past the command, or store
 * anything when a score fails.
 */
package io.nuthatch.server.command.sort;
