/**
 * The string commands: whole values (GET, SET and their variants), counters (INCR and friends),
 * ranges (GETRANGE, SETRANGE, APPEND, LCS), bitmaps and BITFIELD. Each family parses its
 * arguments, calls the string types in {@code io.nuthatch.server.type} and writes the reply.
 */
package io.nuthatch.server.command.string;
