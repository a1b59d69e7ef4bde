package io.nuthatch.server.type.geo;

import io.nuthatch.server.type.sortedset.ScoreRange;
import io.nuthatch.server.type.sortedset.SortedSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A search of a geo set for the members inside a shape, Redis's way (geohashCalculateAreasByShape,
 * membersOfAllNeighbors), so that the same members come back in the same order.
 *
 * <p><b>The algorithm.</b> Pick the grid step whose squares are about as large as the search
 * radius (each step halves a square's side; the step shrinks further near the poles), so that the
 * square holding the center and its eight neighbours cover the shape; if one of the four side
 * neighbours does not reach the shape's bounding box, take one step coarser. Drop the neighbours
 * on a side where the center square already passes the bounding box. Each remaining square is one
 * range of scores of the set, [its hash, its hash + 1) aligned to 52 bits; the members in those
 * ranges, in the order center, north, south, east, west, north-east, north-west, south-east,
 * south-west, and by score within each, are decoded and kept when inside the shape. A square equal
 * to the one searched just before it is skipped (huge radii make neighbours coincide).
 *
 * <p>Results can then be put in order of distance: wholly by a stable sort, as glibc's qsort
 * (a merge sort) sorts them, or, when fewer than all are asked for, by {@link PartialSort}, Redis's
 * partial quicksort, whose order for equal distances differs.
 */
public final class GeoSearch {
    private static final double MERCATOR_MAX = 20037726.37;

    private GeoSearch() {
    }

    /**
     * The members of {@code set} inside {@code shape}, in the order Redis finds them; at most
     * {@code limit} (0: all) when the search may stop early (ANY).
     */
    public static List<GeoPoint> search(SortedSet set, GeoShape shape, long limit) {
        double[] bounds = shape.bounds();
        int step = estimateStep(shape.searchRadiusMeters(), shape.latitude);
        long center = GeoHash.encode(shape.longitude, shape.latitude, step);
        long[] squares = neighbourhood(center, step);
        double[] area = new double[4];
        boolean coarser = false;
        GeoHash.decode(squares[1], step, area);
        coarser |= area[3] < bounds[3];
        GeoHash.decode(squares[2], step, area);
        coarser |= area[2] > bounds[1];
        GeoHash.decode(squares[3], step, area);
        coarser |= area[1] < bounds[2];
        GeoHash.decode(squares[4], step, area);
        coarser |= area[0] > bounds[0];
        if (step > 1 && coarser) {
            step--;
            center = GeoHash.encode(shape.longitude, shape.latitude, step);
            squares = neighbourhood(center, step);
        }
        boolean[] excluded = new boolean[9];
        if (step >= 2) {
            GeoHash.decode(center, step, area);
            if (area[2] < bounds[1]) {
                excluded[2] = excluded[8] = excluded[7] = true;
            }
            if (area[3] > bounds[3]) {
                excluded[1] = excluded[5] = excluded[6] = true;
            }
            if (area[0] < bounds[0]) {
                excluded[4] = excluded[8] = excluded[6] = true;
            }
            if (area[1] > bounds[2]) {
                excluded[3] = excluded[7] = excluded[5] = true;
            }
        }
        List<GeoPoint> found = new ArrayList<>();
        int lastSearched = 0;
        ScoreRange range = new ScoreRange();
        double[] point = new double[2];
        for (int i = 0; i < squares.length; i++) {
            if (excluded[i]) {
                continue;
            }
            // Index 0 doubles as "none yet", so a neighbour equal to the center is searched again, as in Redis.
            if (lastSearched != 0 && squares[i] == squares[lastSearched]) {
                continue;
            }
            if (limit != 0 && found.size() >= limit) {
                break;
            }
            double min = GeoHash.align52(squares[i], step);
            double max = GeoHash.align52(squares[i] + 1, step);
            set.visit(range.set(min, false, max, true), false, 0, -1, (member, offset, length, score) -> {
                if (limit != 0 && found.size() >= limit) {
                    return;
                }
                GeoHash.decodeScore(score, point);
                double distance = shape.distanceIfInside(point[0], point[1]);
                if (distance >= 0) {
                    found.add(new GeoPoint(Arrays.copyOfRange(member, offset, offset + length), score, point[0],
                            point[1], distance));
                }
            });
            lastSearched = i;
        }
        return found;
    }

    /** The center square and its eight neighbours, in Redis's order of search. */
    private static long[] neighbourhood(long center, int step) {
        long east = GeoHash.moveLongitude(center, step, 1);
        long west = GeoHash.moveLongitude(center, step, -1);
        return new long[] {
            center,
            GeoHash.moveLatitude(center, step, 1),
            GeoHash.moveLatitude(center, step, -1),
            east,
            west,
            GeoHash.moveLatitude(east, step, 1),
            GeoHash.moveLatitude(west, step, 1),
            GeoHash.moveLatitude(east, step, -1),
            GeoHash.moveLatitude(west, step, -1),
        };
    }

    /** The grid step whose squares are about as wide as the radius (geohashEstimateStepsByRadius). */
    static int estimateStep(double radiusMeters, double latitude) {
        if (radiusMeters == 0) {
            return GeoHash.STEP_MAX;
        }
        int step = 1;
        while (radiusMeters < MERCATOR_MAX) {
            radiusMeters *= 2;
            step++;
        }
        step -= 2;
        if (latitude > 66 || latitude < -66) {
            step--;
            if (latitude > 80 || latitude < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(GeoHash.STEP_MAX, step));
    }

    /**
     * Puts results in order of distance, nearest first or last: all of them with a stable sort,
     * or, when only the first {@code count} are wanted, enough for those (Redis's pqsort).
     */
    public static void sort(List<GeoPoint> points, boolean descending, long count) {
        Comparator<GeoPoint> ascending = (a, b) -> a.distance() > b.distance() ? 1
                : a.distance() == b.distance() ? 0 : -1;
        Comparator<GeoPoint> order = descending ? (a, b) -> -ascending.compare(a, b) : ascending;
        if (count == 0 || count >= points.size()) {
            points.sort(order);
        } else {
            PartialSort.sort(points, order, 0, (int) count - 1);
        }
    }
}
