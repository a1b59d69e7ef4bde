package io.nuthatch.server.type.geo;

/**
 * The area a geo search covers: a circle of a radius, or an axis-aligned box of a width and a
 * height, around a center, in a unit ({@code conversion} meters per unit: 1, 1000, 0.3048,
 * 1609.34). Sizes are kept in the unit given, and multiplied by the conversion where Redis
 * multiplies them, so that the arithmetic, and so the points at the edges, are the same.
 */
public final class GeoShape {
    final boolean box;
    final double longitude;
    final double latitude;
    final double conversion;
    final double radius;
    final double width;
    final double height;

    private GeoShape(boolean box, double longitude, double latitude, double conversion, double radius, double width,
            double height) {
        this.box = box;
        this.longitude = longitude;
        this.latitude = latitude;
        this.conversion = conversion;
        this.radius = radius;
        this.width = width;
        this.height = height;
    }

    public static GeoShape circle(double longitude, double latitude, double radius, double conversion) {
        return new GeoShape(false, longitude, latitude, conversion, radius, 0, 0);
    }

    public static GeoShape box(double longitude, double latitude, double width, double height, double conversion) {
        return new GeoShape(true, longitude, latitude, conversion, 0, width, height);
    }

    /** Meters per unit of the sizes, and of the distances a search replies. */
    public double conversion() {
        return conversion;
    }

    /**
     * The distance in meters from the center to a point inside the shape, or -1 for a point
     * outside. A box is tested on its latitude distance first, then on the distance along the
     * point's parallel, as Redis tests it.
     */
    double distanceIfInside(double pointLongitude, double pointLatitude) {
        if (!box) {
            double distance = GeoDistance.between(longitude, latitude, pointLongitude, pointLatitude);
            return distance > radius * conversion ? -1 : distance;
        }
        double widthMeters = width * conversion;
        double heightMeters = height * conversion;
        if (GeoDistance.latitudeDistance(pointLatitude, latitude) > heightMeters / 2) {
            return -1;
        }
        if (GeoDistance.between(pointLongitude, pointLatitude, longitude, pointLatitude) > widthMeters / 2) {
            return -1;
        }
        return GeoDistance.between(longitude, latitude, pointLongitude, pointLatitude);
    }

    /**
     * The bounding box of the shape: {longitude min, latitude min, longitude max, latitude max}.
     * The longitude span is taken at the edge nearer the pole, where a distance covers more
     * degrees.
     */
    double[] bounds() {
        double heightMeters = conversion * (box ? height / 2 : radius);
        double widthMeters = conversion * (box ? width / 2 : radius);
        double latitudeDelta = GeoDistance.degrees(heightMeters / GeoDistance.EARTH_RADIUS_METERS);
        double longitudeDeltaTop = GeoDistance.degrees(widthMeters / GeoDistance.EARTH_RADIUS_METERS
                / Math.cos(GeoDistance.radians(latitude + latitudeDelta)));
        double longitudeDeltaBottom = GeoDistance.degrees(widthMeters / GeoDistance.EARTH_RADIUS_METERS
                / Math.cos(GeoDistance.radians(latitude - latitudeDelta)));
        boolean southern = latitude < 0;
        return new double[] {
            southern ? longitude - longitudeDeltaBottom : longitude - longitudeDeltaTop,
            latitude - latitudeDelta,
            southern ? longitude + longitudeDeltaBottom : longitude + longitudeDeltaTop,
            latitude + latitudeDelta,
        };
    }

    /** The radius Redis sizes the grid by: the circle's, or the box's half diagonal; in meters. */
    double searchRadiusMeters() {
        double meters = box ? Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2)) : radius;
        return meters * conversion;
    }
}
