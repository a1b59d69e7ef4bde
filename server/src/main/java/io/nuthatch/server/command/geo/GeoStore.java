package io.nuthatch.server.command.geo;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.type.geo.GeoPoint;
import io.nuthatch.server.type.sortedset.SortedSet;

import java.util.List;

/** The STORE side of the geo searches: the result as a sorted set ({@code SortedSetAccess.store} writes it). */
final class GeoStore {
    private GeoStore() {
    }

    /**
     * The first {@code returned} points as a sorted set, scored by geohash or by distance in the
     * unit, built as a skiplist and packed when it fits the listpack limits, as Redis does.
     */
    static SortedSet result(CommandContext c, List<GeoPoint> found, int returned, boolean byDistance, double perUnit) {
        SortedSet result = SortedSet.createSkipList();
        for (int i = 0; i < returned; i++) {
            GeoPoint point = found.get(i);
            double score = byDistance ? point.distance() / perUnit : point.score();
            result.add(point.member(), 0, point.member().length, score, 0, 0, 0);
        }
        result.packIfFits(c.config().encoding.zsetMaxListpackEntries.value(),
                c.config().encoding.zsetMaxListpackValue.value());
        return result;
    }
}
