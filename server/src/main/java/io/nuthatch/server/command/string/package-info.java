/**
 * The string commands: whole values (GET, SET and their variants), counters (INCR and friends),
 * ranges (GETRANGE, SETRANGE, APPEND, LCS), bitmaps and BITFIELD. Each family parses its
 * arguments, reads a string from its key's entry as (array, offset, length), writes through the
 * database (whole values with {@code setString} and {@code setInteger}, changes in place between
 * {@code writableString} and {@code changed}), uses the string rules in
 * {@code io.nuthatch.server.type} and writes the reply. It never writes into an entry's array
 * outside those calls.
 */
package io.nuthatch.server.command.string;
