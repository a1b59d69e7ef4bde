package io.nuthatch.server.type.geo;

/**
 * Distances on the Earth as Redis computes them: the haversine formula on a sphere of radius
 * 6372797.560856 m, and, for two points of the same longitude, the arc of their latitudes alone
 * (what the formula reduces to, which Redis 7.0.6 and later use).
 *
 * <p><b>Which sine and arcsine.</b> redis-server uses glibc's, and STOREDIST shows a distance to
 * seventeen digits, so the last bit matters. Measured on 100,000 random pairs of points against
 * glibc 2.36 (the Debian 12 build the tests compare with): StrictMath throughout gives a different
 * double for 3.1% of the pairs; HotSpot's Math.sin and Math.cos with a correctly rounded arcsine
 * ({@link RoundedMath}) for 0.22%, one pair in 450, each then one unit in the last place apart.
 * That is what is used. A reply shows four decimals, which such a difference changes about once in
 * ten million. (redis-server itself answers differently on another C library.)
 */
public final class GeoDistance {
    public static final double EARTH_RADIUS_METERS = 6372797.560856;
    private static final double DEGREES_TO_RADIANS = Math.PI / 180.0;

    private GeoDistance() {
    }

    static double radians(double degrees) {
        return degrees * DEGREES_TO_RADIANS;
    }

    static double degrees(double radians) {
        return radians / DEGREES_TO_RADIANS;
    }

    /** The distance in meters along a meridian between two latitudes. */
    public static double latitudeDistance(double latitude1, double latitude2) {
        return EARTH_RADIUS_METERS * Math.abs(radians(latitude2) - radians(latitude1));
    }

    /** The great-circle distance in meters between two points. */
    public static double between(double longitude1, double latitude1, double longitude2, double latitude2) {
        double v = Math.sin((radians(longitude2) - radians(longitude1)) / 2);
        if (v == 0.0) {
            return latitudeDistance(latitude1, latitude2);
        }
        double latitude1Radians = radians(latitude1);
        double latitude2Radians = radians(latitude2);
        double u = Math.sin((latitude2Radians - latitude1Radians) / 2);
        double a = u * u + Math.cos(latitude1Radians) * Math.cos(latitude2Radians) * v * v;
        return 2.0 * EARTH_RADIUS_METERS * RoundedMath.asin(Math.sqrt(a));
    }
}
