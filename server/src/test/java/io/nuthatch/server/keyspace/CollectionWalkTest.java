package io.nuthatch.server.keyspace;

import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.type.HashValue;
import io.nuthatch.server.type.SetValue;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hashes and sets keep the change contract: while clients change them over a socket with every
 * hash and set command that writes, between the slices of a point-in-time walk, the walk gives
 * each one exactly as it was when the walk started (members, fields, values and encoding), and
 * the database's memory total stays exact. Small values (listpacks, intsets) and large ones (hash
 * tables that grow and migrate meanwhile) both take part.
 */
class CollectionWalkTest {
    private static final int KEYS = 60;

    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch("hash-max-listpack-entries", "16",
            "set-max-intset-entries", "16");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void aWalkGivesEveryHashAndSetAsItWasAtItsStart(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (RawConnection client = nuthatch.connect()) {
            client.call("FLUSHALL");
            for (int i = 0; i < KEYS; i++) {
                for (int n = random.nextInt(1 + (i % 3 == 0 ? 400 : 12)); n >= 0; n--) {
                    change(client, random, i);
                }
            }
            Map<String, String> expected = new TreeMap<>();
            KeyspaceWalk walk = nuthatch.underLock(() -> {
                KeyspaceWalk started = keyspace().startWalk();
                keyspace().database(0).forEach(entry -> expected.put(name(entry), describe(entry)));
                return started;
            });
            Map<String, String> given = new TreeMap<>();
            int changes = 0;
            boolean more;
            do {
                int slice = 1 + random.nextInt(3);
                more = nuthatch.underLock(() -> walk.advance(slice, (database, entry) ->
                        assertNull(given.put(name(entry), describe(entry)), "given twice: " + name(entry))));
                for (int n = random.nextInt(40); n > 0; n--) {
                    change(client, random, random.nextInt(KEYS));
                    changes++;
                }
            } while (more);
            assertTrue(changes > 300, "only " + changes + " changes ran during the walk");
            assertEquals(expected, given);
            nuthatch.underLock(() -> {
                Database database = keyspace().database(0);
                assertEquals(database.countMemory(), database.datasetMemory(), "the memory total drifted");
                return null;
            });
        }
    }

    /** One write to a hash or a set, chosen at random. */
    private static void change(RawConnection client, SplittableRandom random, int keyNumber) throws IOException {
        String hash = "h" + keyNumber;
        String set = "s" + keyNumber;
        String other = "s" + random.nextInt(KEYS);
        String member = random.nextInt(3) == 0 ? "m" + random.nextInt(500) : Integer.toString(random.nextInt(500));
        switch (random.nextInt(16)) {
            case 0, 1, 2 -> client.call("HSET", hash, "f" + random.nextInt(500), text(random, 1 + random.nextInt(20)));
            case 3 -> client.call("HDEL", hash, "f" + random.nextInt(500), "f" + random.nextInt(500));
            case 4 -> client.call("HINCRBY", hash, "n" + random.nextInt(5), "3");
            case 5 -> client.call("HINCRBYFLOAT", hash, "x" + random.nextInt(5), "0.5");
            case 6 -> client.call("HSETNX", hash, "f" + random.nextInt(500), "nx");
            case 7, 8, 9 -> client.call("SADD", set, member, Integer.toString(random.nextInt(500)));
            case 10 -> client.call("SREM", set, member, Integer.toString(random.nextInt(500)));
            case 11 -> client.call("SPOP", set, Integer.toString(random.nextInt(4)));
            case 12 -> client.call("SMOVE", set, other, member);
            case 13 -> client.call(random.nextBoolean() ? "SUNIONSTORE" : "SINTERSTORE", other, set, other);
            case 14 -> client.call("SDIFFSTORE", other, set, "s" + random.nextInt(KEYS));
            default -> client.call(random.nextBoolean() ? "DEL" : "UNLINK", random.nextBoolean() ? hash : set);
        }
    }

    private static String name(KeyEntry entry) {
        return new String(entry.keyArray(), entry.keyOffset(), entry.keyLength(), StandardCharsets.ISO_8859_1);
    }

    /** The value in full, in an order that does not depend on the layout. */
    private static String describe(KeyEntry entry) {
        if (entry.value() instanceof SetValue set) {
            TreeSet<String> members = new TreeSet<>();
            for (int p = set.first(); p != SetValue.NONE; p = set.next(p)) {
                members.add(new String(set.copyOfMemberAt(p), StandardCharsets.ISO_8859_1));
            }
            return set.encoding() + " " + members;
        }
        HashValue hash = (HashValue) entry.value();
        List<String> pairs = new ArrayList<>();
        for (int p = hash.first(); p != HashValue.NONE; p = hash.next(p)) {
            pairs.add(new String(hash.fieldArray(p), hash.fieldOffset(p), hash.fieldLength(p), StandardCharsets.ISO_8859_1)
                    + "=" + new String(hash.valueArray(p), hash.valueOffset(p), hash.valueLength(p),
                    StandardCharsets.ISO_8859_1));
        }
        pairs.sort(null);
        return hash.encoding() + " " + pairs;
    }

    private static String text(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static Keyspace keyspace() {
        return nuthatch.server().engine().keyspace();
    }
}
