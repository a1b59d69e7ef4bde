/**
 * Geo sets: the arithmetic of Redis's geo commands, over sorted sets whose scores are geohashes.
 *
 * <p>What it owns: geohash encoding and decoding ({@link io.nuthatch.server.type.geo.GeoHash}),
 * distances on the sphere ({@link io.nuthatch.server.type.geo.GeoDistance}, with a correctly
 * rounded arcsine, {@code RoundedMath}), the shapes a search covers, the search of a set by grid
 * squares ({@link io.nuthatch.server.type.geo.GeoSearch}) and the ordering of its results,
 * Redis's partial quicksort included. Every step follows redis-server's own arithmetic, because
 * replies show it to the last digit; where the platform's math library decides a last bit, the
 * package documents how close it comes.
 *
 * <p>What it must never do: hold values of its own (a geo set is a
 * {@link io.nuthatch.server.type.sortedset.SortedSet}, read only), know of RESP or commands, or
 * format replies.
 */
package io.nuthatch.server.type.geo;
