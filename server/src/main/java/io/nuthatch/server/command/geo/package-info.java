/**
 * The geo command family: GEOADD, GEODIST, GEOHASH, GEOPOS, GEOSEARCH, GEOSEARCHSTORE and the
 * GEORADIUS forms. It parses arguments in Redis's order of checks, calls the geo arithmetic of
 * {@code io.nuthatch.server.type.geo} and writes replies; a geo set is a sorted set, changed and
 * stored through the sorted-set family's rules.
 */
package io.nuthatch.server.command.geo;
