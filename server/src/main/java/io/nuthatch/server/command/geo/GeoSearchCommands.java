package io.nuthatch.server.command.geo;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.command.zset.SortedSetAccess;
import io.nuthatch.server.type.geo.GeoHash;
import io.nuthatch.server.type.geo.GeoPoint;
import io.nuthatch.server.type.geo.GeoSearch;
import io.nuthatch.server.type.geo.GeoShape;
import io.nuthatch.server.type.sortedset.SortedSet;

import java.util.List;

/**
 * Searching a geo set by area: GEOSEARCH and GEOSEARCHSTORE, and the older GEORADIUS,
 * GEORADIUSBYMEMBER and their read-only forms. One parser serves them all, as in Redis
 * (georadiusGeneric), with its order of checks: the key's type first, then the center and radius
 * of the older forms, then each option as it comes, then the combinations, and only then a missing
 * key. (GEORADIUSBYMEMBER of a missing key reads neither its member nor its radius.)
 *
 * <p>The search itself is {@link GeoSearch}. Results come in the order found unless ASC or DESC
 * asks (COUNT without ANY implies ASC); a STORE writes members with their geohash scores, or with
 * their distances in the unit asked for (STOREDIST).
 */
public final class GeoSearchCommands {
    private static final byte[] WITHDIST = CommandContext.keyword("WITHDIST");
    private static final byte[] WITHHASH = CommandContext.keyword("WITHHASH");
    private static final byte[] WITHCOORD = CommandContext.keyword("WITHCOORD");
    private static final byte[] ANY = CommandContext.keyword("ANY");
    private static final byte[] ASC = CommandContext.keyword("ASC");
    private static final byte[] DESC = CommandContext.keyword("DESC");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");
    private static final byte[] STORE = CommandContext.keyword("STORE");
    private static final byte[] STOREDIST = CommandContext.keyword("STOREDIST");
    private static final byte[] FROMMEMBER = CommandContext.keyword("FROMMEMBER");
    private static final byte[] FROMLONLAT = CommandContext.keyword("FROMLONLAT");
    private static final byte[] BYRADIUS = CommandContext.keyword("BYRADIUS");
    private static final byte[] BYBOX = CommandContext.keyword("BYBOX");

    private static final CommandError NO_MEMBER = new CommandError("ERR could not decode requested zset member");
    private static final CommandError RADIUS_NOT_NUMERIC = new CommandError("ERR need numeric radius");
    private static final CommandError NEGATIVE_RADIUS = new CommandError("ERR radius cannot be negative");
    private static final CommandError WIDTH_NOT_NUMERIC = new CommandError("ERR need numeric width");
    private static final CommandError HEIGHT_NOT_NUMERIC = new CommandError("ERR need numeric height");
    private static final CommandError NEGATIVE_BOX = new CommandError("ERR height or width cannot be negative");
    private static final CommandError COUNT_NOT_POSITIVE = new CommandError("ERR COUNT must be > 0");
    private static final CommandError ANY_NEEDS_COUNT = new CommandError("ERR the ANY argument requires COUNT argument");

    /** What the command is: where its center comes from, and whether it may or must store. */
    private static final int AROUND_COORDINATES = 1;
    private static final int AROUND_MEMBER = 2;
    private static final int NO_STORE = 4;
    private static final int SEARCH = 8;
    private static final int SEARCH_STORE = 16;

    private static final int UNSORTED = 0;
    private static final int ASCENDING = 1;
    private static final int DESCENDING = 2;

    private GeoSearchCommands() {
    }

    static void register(CommandTable.Registry table) {
        table.command("geosearch", "Returns the members of a geo set within a circle or a box.",
                "O(N+log(M)), N the members in the squares searched, M those inside", c -> search(c, 1, SEARCH));
        table.command("geosearchstore", "Stores the members of a geo set within a circle or a box in a key.",
                "O(N+log(M)), N the members in the squares searched, M those inside",
                c -> search(c, 2, SEARCH | SEARCH_STORE));
        table.command("georadius", "Returns or stores the members of a geo set within a radius of a point.",
                "O(N+log(M)), N the members in the squares searched, M those inside",
                c -> search(c, 1, AROUND_COORDINATES));
        table.command("georadius_ro", "Returns the members of a geo set within a radius of a point.",
                "O(N+log(M)), N the members in the squares searched, M those inside",
                c -> search(c, 1, AROUND_COORDINATES | NO_STORE));
        table.command("georadiusbymember", "Returns or stores the members of a geo set within a radius of a member.",
                "O(N+log(M)), N the members in the squares searched, M those inside",
                c -> search(c, 1, AROUND_MEMBER));
        table.command("georadiusbymember_ro", "Returns the members of a geo set within a radius of a member.",
                "O(N+log(M)), N the members in the squares searched, M those inside",
                c -> search(c, 1, AROUND_MEMBER | NO_STORE));
    }

    /** A radius argument and its unit: {radius, meters per unit}. */
    private static double[] radius(CommandContext c, int index) {
        double radius = GeoArguments.number(c, index, RADIUS_NOT_NUMERIC);
        if (radius < 0) {
            throw NEGATIVE_RADIUS;
        }
        return new double[] {radius, GeoArguments.unit(c, index + 1)};
    }

    /** A member's position, or "could not decode requested zset member". */
    private static double[] position(CommandContext c, SortedSet set, int index) {
        double score = set.score(c.arguments().array(index), c.arguments().offset(index), c.arguments().length(index));
        if (Double.isNaN(score)) {
            throw NO_MEMBER;
        }
        double[] point = new double[2];
        GeoHash.decodeScore(score, point);
        return point;
    }

    private static void search(CommandContext c, int sourceIndex, int kind) {
        SortedSet set = GeoCommands.geoSet(c.database().lookupRead(c.arguments(), sourceIndex));
        int first;
        int storeIndex = -1;
        double[] center = null;
        double[] radius = null;
        double[] box = null;
        if ((kind & AROUND_COORDINATES) != 0) {
            first = 6;
            center = GeoArguments.coordinates(c, 2);
            radius = radius(c, 4);
        } else if ((kind & AROUND_MEMBER) != 0) {
            first = 5;
            if (set != null) {
                center = position(c, set, 2);
                radius = radius(c, 3);
            }
        } else {
            first = (kind & SEARCH_STORE) != 0 ? 3 : 2;
            if ((kind & SEARCH_STORE) != 0) {
                storeIndex = 1;
            }
        }
        boolean withDistance = false;
        boolean withHash = false;
        boolean withCoordinates = false;
        boolean fromMember = false;
        boolean fromCoordinates = false;
        boolean storeDistance = false;
        boolean any = false;
        int sort = UNSORTED;
        long count = 0;
        int arguments = c.argumentCount();
        for (int i = first; i < arguments; i++) {
            int remaining = arguments - i - 1;
            boolean search = (kind & SEARCH) != 0;
            boolean mayStore = (kind & NO_STORE) == 0 && !search;
            if (c.isKeyword(i, WITHDIST)) {
                withDistance = true;
            } else if (c.isKeyword(i, WITHHASH)) {
                withHash = true;
            } else if (c.isKeyword(i, WITHCOORD)) {
                withCoordinates = true;
            } else if (c.isKeyword(i, ANY)) {
                any = true;
            } else if (c.isKeyword(i, ASC)) {
                sort = ASCENDING;
            } else if (c.isKeyword(i, DESC)) {
                sort = DESCENDING;
            } else if (c.isKeyword(i, COUNT) && remaining >= 1) {
                count = c.longArgument(i + 1);
                if (count <= 0) {
                    throw COUNT_NOT_POSITIVE;
                }
                i++;
            } else if (c.isKeyword(i, STORE) && remaining >= 1 && mayStore) {
                storeIndex = i + 1;
                storeDistance = false;
                i++;
            } else if (c.isKeyword(i, STOREDIST) && remaining >= 1 && mayStore) {
                storeIndex = i + 1;
                storeDistance = true;
                i++;
            } else if (c.isKeyword(i, STOREDIST) && search && (kind & SEARCH_STORE) != 0) {
                storeDistance = true;
            } else if (c.isKeyword(i, FROMMEMBER) && remaining >= 1 && search && !fromCoordinates) {
                if (set != null) {
                    center = position(c, set, i + 1);
                }
                fromMember = true;
                i++;
            } else if (c.isKeyword(i, FROMLONLAT) && remaining >= 2 && search && !fromMember) {
                center = GeoArguments.coordinates(c, i + 1);
                fromCoordinates = true;
                i += 2;
            } else if (c.isKeyword(i, BYRADIUS) && remaining >= 2 && search && box == null) {
                radius = radius(c, i + 1);
                i += 2;
            } else if (c.isKeyword(i, BYBOX) && remaining >= 3 && search && radius == null) {
                double width = GeoArguments.number(c, i + 1, WIDTH_NOT_NUMERIC);
                double height = GeoArguments.number(c, i + 2, HEIGHT_NOT_NUMERIC);
                if (height < 0 || width < 0) {
                    throw NEGATIVE_BOX;
                }
                box = new double[] {width, height, GeoArguments.unit(c, i + 3)};
                i += 3;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (storeIndex >= 0 && (withDistance || withHash || withCoordinates)) {
            throw new CommandError("ERR " + ((kind & SEARCH_STORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if ((kind & SEARCH) != 0 && !(fromMember || fromCoordinates)) {
            throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for "
                    + c.argumentText(0));
        }
        if ((kind & SEARCH) != 0 && radius == null && box == null) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + c.argumentText(0));
        }
        if (any && count == 0) {
            throw ANY_NEEDS_COUNT;
        }
        if (set == null) {
            if (storeIndex >= 0) {
                c.reply().integer(SortedSetAccess.store(c, storeIndex, null, storeEvent(kind)));
            } else {
                c.reply().arrayHeader(0);
            }
            return;
        }
        if (count != 0 && sort == UNSORTED && !any) {
            sort = ASCENDING;
        }
        GeoShape shape = box != null ? GeoShape.box(center[0], center[1], box[0], box[1], box[2])
                : GeoShape.circle(center[0], center[1], radius[0], radius[1]);
        List<GeoPoint> found = GeoSearch.search(set, shape, any ? count : 0);
        if (found.isEmpty() && storeIndex < 0) {
            c.reply().arrayHeader(0);
            return;
        }
        int returned = count == 0 || found.size() < count ? found.size() : (int) count;
        if (sort != UNSORTED) {
            GeoSearch.sort(found, sort == DESCENDING, returned);
        }
        double perUnit = shape.conversion();
        if (storeIndex >= 0) {
            c.reply().integer(SortedSetAccess.store(c, storeIndex,
                    GeoStore.result(c, found, returned, storeDistance, perUnit), storeEvent(kind)));
            return;
        }
        ReplyWriter reply = c.reply();
        int options = (withDistance ? 1 : 0) + (withHash ? 1 : 0) + (withCoordinates ? 1 : 0);
        reply.arrayHeader(returned);
        for (int i = 0; i < returned; i++) {
            GeoPoint point = found.get(i);
            if (options > 0) {
                reply.arrayHeader(options + 1);
            }
            reply.bulk(point.member());
            if (withDistance) {
                GeoArguments.distance(reply, point.distance() / perUnit);
            }
            if (withHash) {
                reply.integer(GeoHash.signed64(point.score()));
            }
            if (withCoordinates) {
                reply.arrayHeader(2);
                GeoArguments.coordinate(reply, point.longitude());
                GeoArguments.coordinate(reply, point.latitude());
            }
        }
    }

    /** GEOSEARCHSTORE reports itself by its name; GEORADIUS and GEORADIUSBYMEMBER with STORE as one. */
    private static byte[] storeEvent(int kind) {
        return (kind & SEARCH_STORE) != 0 ? EventNames.GEOSEARCHSTORE : EventNames.GEORADIUSSTORE;
    }

}
