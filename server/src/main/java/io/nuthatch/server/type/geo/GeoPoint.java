package io.nuthatch.server.type.geo;

/** A member a geo search found: its name, score, position and distance from the center in meters. */
public record GeoPoint(byte[] member, double score, double longitude, double latitude, double distance) {
}
