package io.nuthatch.server.command.geo;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.ValueType;
import io.nuthatch.server.type.geo.GeoDistance;
import io.nuthatch.server.type.geo.GeoHash;
import io.nuthatch.server.type.sortedset.SortedSet;

/**
 * Geo sets, which are sorted sets whose scores are 52-bit geohashes ({@link GeoHash}): GEOADD,
 * GEODIST, GEOHASH, GEOPOS; {@link #register} also registers the searches ({@link
 * GeoSearchCommands}). Any sorted-set command works on a geo set, and these on any sorted set.
 *
 * <p>GEOADD is a ZADD of the computed scores, and is propagated as that ZADD, as Redis 7.0 does.
 */
public final class GeoCommands {
    private static final byte[] NX = CommandContext.keyword("NX");
    private static final byte[] XX = CommandContext.keyword("XX");
    private static final byte[] CH = CommandContext.keyword("CH");
    private static final byte[] ZADD = "zadd".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private GeoCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("geoadd", "Adds members with their coordinates to a geo set, or moves them.",
                "O(log(N)) for each member added, N the size of the set", GeoCommands::geoadd);
        table.command("geodist", "Returns the distance between two members of a geo set.", "O(1)",
                GeoCommands::geodist);
        table.command("geohash", "Returns the standard geohash strings of members of a geo set.",
                "O(1) for each member", GeoCommands::geohash);
        table.command("geopos", "Returns the longitude and latitude of members of a geo set.",
                "O(1) for each member", GeoCommands::geopos);
        GeoSearchCommands.register(table);
    }

    /** The sorted set of an entry, null for a missing key, WRONGTYPE for another type. */
    static SortedSet geoSet(KeyEntry entry) {
        if (entry == null) {
            return null;
        }
        if (entry.type() != ValueType.ZSET) {
            throw Errors.WRONG_TYPE;
        }
        return (SortedSet) entry.value();
    }

    /** GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...] */
    static void geoadd(CommandContext c) {
        int first = 2;
        boolean nx = false;
        boolean xx = false;
        boolean changedCount = false;
        int count = c.argumentCount();
        for (; first < count; first++) {
            if (c.isKeyword(first, NX)) {
                nx = true;
            } else if (c.isKeyword(first, XX)) {
                xx = true;
            } else if (c.isKeyword(first, CH)) {
                changedCount = true;
            } else {
                break;
            }
        }
        if ((count - first) % 3 != 0 || (xx && nx)) {
            throw Errors.SYNTAX;
        }
        int elements = (count - first) / 3;
        long[] scores = new long[elements];
        for (int i = 0; i < elements; i++) {
            double[] point = GeoArguments.coordinates(c, first + 3 * i);
            scores[i] = GeoHash.score(point[0], point[1]);
        }
        int flags = (nx ? SortedSet.NX : 0) | (xx ? SortedSet.XX : 0);
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        SortedSet set = geoSet(entry);
        long maxEntries = c.config().encoding.zsetMaxListpackEntries.value();
        long maxValue = c.config().encoding.zsetMaxListpackValue.value();
        int added = 0;
        int updated = 0;
        if (set == null) {
            if (xx) {
                c.reply().integer(0);
                return;
            }
            set = SortedSet.create(arguments.length(first + 2), maxEntries, maxValue);
            for (int i = 0; i < elements; i++) {
                int outcome = add(set, arguments, first + 3 * i + 2, scores[i], flags, maxEntries, maxValue);
                added += outcome == SortedSet.ADDED ? 1 : 0;
                updated += outcome == SortedSet.UPDATED ? 1 : 0;
            }
            database.add(arguments, 1, set);
        } else {
            boolean opened = false;
            for (int i = 0; i < elements; i++) {
                int member = first + 3 * i + 2;
                if (!opened) {
                    int outcome = set.outcomeOf(arguments.array(member), arguments.offset(member),
                            arguments.length(member), scores[i], flags);
                    if (outcome != SortedSet.ADDED && outcome != SortedSet.UPDATED) {
                        continue;
                    }
                    database.writableValue(entry);
                    opened = true;
                }
                int outcome = add(set, arguments, member, scores[i], flags, maxEntries, maxValue);
                added += outcome == SortedSet.ADDED ? 1 : 0;
                updated += outcome == SortedSet.UPDATED ? 1 : 0;
            }
            if (opened) {
                database.changed(entry);
            }
        }
        c.reply().integer(changedCount ? added + updated : added);
        if (added > 0 || updated > 0) {
            // A geo set is a sorted set: GEOADD reports itself as ZADD does.
            c.notifyKeyspaceEvent(KeyspaceEvents.ZSET, EventNames.ZADD, 1);
        }
        if ((added > 0 || updated > 0) && c.isPropagating()) {
            var record = c.rewrite().word(ZADD);
            for (int i = 1; i < first; i++) {
                record.argument(i);
            }
            for (int i = 0; i < elements; i++) {
                record.number(scores[i]).argument(first + 3 * i + 2);
            }
            record.end();
        }
    }

    private static int add(SortedSet set, RequestArguments arguments, int member, long score, int flags,
            long maxEntries, long maxValue) {
        return set.add(arguments.array(member), arguments.offset(member), arguments.length(member), score, flags,
                maxEntries, maxValue);
    }

    /** GEODIST key member1 member2 [M|KM|FT|MI]: the unit is checked before the key, as in Redis. */
    static void geodist(CommandContext c) {
        double perUnit = 1;
        if (c.argumentCount() == 5) {
            perUnit = GeoArguments.unit(c, 4);
        } else if (c.argumentCount() > 5) {
            throw Errors.SYNTAX;
        }
        SortedSet set = geoSet(c.database().lookupRead(c.arguments(), 1));
        RequestArguments arguments = c.arguments();
        double first = set == null ? Double.NaN : set.score(arguments.array(2), arguments.offset(2), arguments.length(2));
        double second = set == null ? Double.NaN : set.score(arguments.array(3), arguments.offset(3), arguments.length(3));
        if (Double.isNaN(first) || Double.isNaN(second)) {
            c.reply().nullBulk();
            return;
        }
        double[] a = new double[2];
        double[] b = new double[2];
        GeoHash.decodeScore(first, a);
        GeoHash.decodeScore(second, b);
        GeoArguments.distance(c.reply(), GeoDistance.between(a[0], a[1], b[0], b[1]) / perUnit);
    }

    /** GEOHASH key [member ...]: a null for each member absent, or for every one of a missing key. */
    static void geohash(CommandContext c) {
        SortedSet set = geoSet(c.database().lookupRead(c.arguments(), 1));
        RequestArguments arguments = c.arguments();
        ReplyWriter reply = c.reply();
        reply.arrayHeader(arguments.count() - 2);
        double[] point = new double[2];
        for (int i = 2; i < arguments.count(); i++) {
            double score = set == null ? Double.NaN : set.score(arguments.array(i), arguments.offset(i), arguments.length(i));
            if (Double.isNaN(score)) {
                reply.nullBulk();
                continue;
            }
            GeoHash.decodeScore(score, point);
            reply.bulk(GeoHash.standardText(point[0], point[1]));
        }
    }

    /** GEOPOS key [member ...]: [longitude, latitude] per member, a null array for each absent. */
    static void geopos(CommandContext c) {
        SortedSet set = geoSet(c.database().lookupRead(c.arguments(), 1));
        RequestArguments arguments = c.arguments();
        ReplyWriter reply = c.reply();
        reply.arrayHeader(arguments.count() - 2);
        double[] point = new double[2];
        for (int i = 2; i < arguments.count(); i++) {
            double score = set == null ? Double.NaN : set.score(arguments.array(i), arguments.offset(i), arguments.length(i));
            if (Double.isNaN(score)) {
                reply.nullArray();
                continue;
            }
            GeoHash.decodeScore(score, point);
            reply.arrayHeader(2);
            GeoArguments.coordinate(reply, point[0]);
            GeoArguments.coordinate(reply, point[1]);
        }
    }
}
