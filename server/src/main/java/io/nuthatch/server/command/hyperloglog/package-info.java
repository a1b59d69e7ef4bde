/**
 * The HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, and Redis's tools PFDEBUG and PFSELFTEST.
 * An HLL is a string value in Redis's byte format ({@link io.nuthatch.server.type.HyperLogLog}), so
 * the string commands read and write it as any other string, and it moves to and from Redis as is.
 *
 * <p>This package reads strings from their entries and writes them only through the database
 * (whole values with {@code setString}, registers changed in place between {@code writableString}
 * and {@code changed}). It never keeps an entry's array past the command.
 */
package io.nuthatch.server.command.hyperloglog;
