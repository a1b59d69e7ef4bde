package io.nuthatch.server.command.geo;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random points and searches, sent to redis-server and to Nuthatch, replies compared byte for
 * byte: the geohash arithmetic (GEOPOS's seventeen digits, GEOHASH's re-encoding), the haversine
 * distances and their four decimals, the squares a search visits and the order it finds and sorts
 * members in, ties included (several members at one place, where the partial sort of COUNT decides
 * the order). The seeds are fixed, so a failure repeats.
 */
class GeoRandomizedDifferentialTest {
    private static final String[] UNITS = {"m", "km", "ft", "mi", "KM"};

    @Test
    void positionsHashesAndDistances() throws IOException {
        SplittableRandom random = new SplittableRandom(31);
        try (Pair pair = Pair.open()) {
            for (int round = 0; round < 300; round++) {
                double[] a = point(random);
                double[] b = random.nextInt(4) == 0 ? near(random, a, 1e-3) : point(random);
                pair.compare("GEOADD", "g", text(a[0]), text(a[1]), "a", text(b[0]), text(b[1]), "b");
                pair.compare("GEOPOS", "g", "a", "b");
                pair.compare("GEOHASH", "g", "a", "b");
                pair.compare("GEODIST", "g", "a", "b", UNITS[random.nextInt(UNITS.length)]);
                pair.compare("ZSCORE", "g", "b");
            }
        }
    }

    @Test
    void searchesAroundRandomCenters() throws IOException {
        SplittableRandom random = new SplittableRandom(77);
        try (Pair pair = Pair.open()) {
            for (int set = 0; set < 12; set++) {
                pair.compare("DEL", "g");
                double[] center = point(random);
                // Spread over a few hundred km, with clusters of members at one place.
                List<String> add = new ArrayList<>(List.of("GEOADD", "g"));
                double spread = new double[] {0.01, 0.5, 3, 20}[set % 4];
                int members = set % 3 == 0 ? 200 : 40;
                for (int i = 0; i < members; i++) {
                    double[] p = i % 7 == 3 ? center : near(random, center, spread);
                    add.add(text(p[0]));
                    add.add(text(p[1]));
                    add.add("m" + i);
                }
                pair.compare(add.toArray(new String[0]));
                for (int query = 0; query < 25; query++) {
                    double[] from = random.nextBoolean() ? center : near(random, center, spread);
                    String unit = UNITS[random.nextInt(UNITS.length)];
                    String size = text(random.nextDouble() * spread * 150 * (unit.equalsIgnoreCase("m") ? 1000 : 1));
                    List<String> search = new ArrayList<>(List.of("GEOSEARCH", "g", "FROMLONLAT", text(from[0]),
                            text(from[1])));
                    if (random.nextBoolean()) {
                        search.addAll(List.of("BYRADIUS", size, unit));
                    } else {
                        search.addAll(List.of("BYBOX", size, text(random.nextDouble() * spread * 150), unit));
                    }
                    List<String> plain = new ArrayList<>(search);
                    plain.add("WITHDIST");
                    pair.compare(plain.toArray(new String[0]));
                    search.addAll(List.of("WITHDIST", "WITHHASH", "WITHCOORD"));
                    switch (random.nextInt(5)) {
                        case 0 -> search.add("ASC");
                        case 1 -> search.add("DESC");
                        case 2 -> search.addAll(List.of("COUNT", Integer.toString(1 + random.nextInt(10))));
                        case 3 -> search.addAll(List.of("COUNT", Integer.toString(1 + random.nextInt(10)), "DESC"));
                        default -> { }
                    }
                    pair.compare(search.toArray(new String[0]));
                    pair.compare("GEORADIUSBYMEMBER", "g", "m" + random.nextInt(members), size, unit, "WITHDIST",
                            "COUNT", Integer.toString(1 + random.nextInt(20)));
                    pair.compare("GEORADIUS", "g", text(from[0]), text(from[1]), size, unit, "STOREDIST", "d");
                    pair.compare("ZRANGE", "d", "0", "-1");
                    pair.compareScores("d");
                }
            }
        }
    }

    private static double[] point(SplittableRandom random) {
        return new double[] {random.nextDouble(-180, 180), random.nextDouble(-85, 85)};
    }

    private static double[] near(SplittableRandom random, double[] center, double degrees) {
        double longitude = Math.max(-180, Math.min(180, center[0] + random.nextDouble(-degrees, degrees)));
        double latitude = Math.max(-85, Math.min(85, center[1] + random.nextDouble(-degrees, degrees)));
        return new double[] {longitude, latitude};
    }

    private static String text(double value) {
        return Double.toString(value);
    }

    /** A connection to each server, flushed, comparing each reply. */
    private record Pair(RawConnection redis, RawConnection nuthatch) implements AutoCloseable {
        static Pair open() throws IOException {
            ReferencePair servers = ReferencePair.shared();
            Pair pair = new Pair(new RawConnection(servers.redisPort()), new RawConnection(servers.nuthatchPort()));
            for (RawConnection connection : List.of(pair.redis, pair.nuthatch)) {
                connection.call("FLUSHALL");
            }
            return pair;
        }

        /**
         * The scores of a STOREDIST result, to twelve significant digits: a distance's last bit
         * can differ between glibc's arithmetic and ours (see GeoDistance), about one in 450.
         */
        void compareScores(String key) throws IOException {
            List<?> expected = (List<?>) RespValue.parse(redis.call("ZRANGE", key, "0", "-1", "WITHSCORES"));
            List<?> actual = (List<?>) RespValue.parse(nuthatch.call("ZRANGE", key, "0", "-1", "WITHSCORES"));
            assertEquals(expected.size(), actual.size(), "ZRANGE " + key + " WITHSCORES");
            for (int i = 1; i < expected.size(); i += 2) {
                double a = Double.parseDouble(expected.get(i).toString());
                double b = Double.parseDouble(actual.get(i).toString());
                assertEquals(a, b, Math.abs(a) * 1e-12, "score " + i / 2 + " of " + key);
            }
        }

        void compare(String... command) throws IOException {
            assertEquals(Resp.escape(redis.call(command)), Resp.escape(nuthatch.call(command)), String.join(" ", command));
        }

        @Override
        public void close() throws IOException {
            redis.close();
            nuthatch.close();
        }
    }
}
