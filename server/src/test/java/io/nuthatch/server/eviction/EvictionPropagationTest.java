package io.nuthatch.server.eviction;

import io.nuthatch.server.Engine;
import io.nuthatch.server.propagation.PropagatedUnit;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an eviction tells the rest of the server: a DEL record (UNLINK with lazyfree-lazy-eviction)
 * per key, each unwrapped as Redis writes them to its AOF, before the command that made room; the
 * eviction listeners (notifications, WATCH, tracking) hear of the same keys; and no eviction counts
 * as a change for the save rules (rdb_changes_since_last_save).
 */
class EvictionPropagationTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    private final List<String> records = new CopyOnWriteArrayList<>();
    private final List<Boolean> deletionUnitsWrapped = new CopyOnWriteArrayList<>();
    private final Set<String> heard = new HashSet<>();
    private final WritePropagation.UnitListener unitListener = this::unitPropagated;
    private RawConnection connection;

    private void unitPropagated(PropagatedUnit unit) {
        boolean deletions = false;
        for (int record = 0; record < unit.recordCount(); record++) {
            StringBuilder words = new StringBuilder().append(unit.database(record));
            for (int argument = 0; argument < unit.argumentCount(record); argument++) {
                words.append(' ').append(new String(unit.copyArgument(record, argument), StandardCharsets.ISO_8859_1));
            }
            records.add(words.toString());
            String verb = new String(unit.copyArgument(record, 0), StandardCharsets.ISO_8859_1);
            deletions |= verb.equals("DEL") || verb.equals("UNLINK");
        }
        if (deletions) {
            deletionUnitsWrapped.add(unit.isWrapped());
        }
    }

    @BeforeEach
    void listen() throws IOException {
        Engine engine = nuthatch.server().engine();
        engine.lock().lock();
        try {
            engine.propagation().addListener(unitListener);
        } finally {
            engine.lock().unlock();
        }
        connection = nuthatch.connect();
        call("FLUSHALL");
        records.clear();
    }

    @AfterEach
    void stop() throws IOException {
        call("CONFIG", "SET", "maxmemory", "0");
        call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        call("CONFIG", "SET", "lazyfree-lazy-eviction", "no");
        nuthatch.server().engine().propagation().removeListener(unitListener);
        connection.close();
    }

    private Object call(String... arguments) throws IOException {
        return RespValue.parse(connection.call(arguments));
    }

    private long infoField(String section, String field) throws IOException {
        for (String line : ((String) call("INFO", section)).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError(field);
    }

    private List<String> recordsStartingWith(String prefix) {
        List<String> matching = new ArrayList<>();
        for (String record : records) {
            if (record.startsWith(prefix)) {
                matching.add(record);
            }
        }
        return matching;
    }

    @Test
    void eachEvictedKeyIsPropagatedAsADelOfItsOwnAndHeardByTheListeners() throws IOException {
        nuthatch.server().engine().eviction().addListener((database, entry) -> heard.add(database.index() + " "
                + new String(entry.key(), StandardCharsets.ISO_8859_1)));
        call("SELECT", "3");
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        call("CONFIG", "RESETSTAT");
        call("CONFIG", "SET", "maxmemory", Long.toString(infoField("memory", "used_memory") + (1 << 20)));
        long changesBefore = infoField("persistence", "rdb_changes_since_last_save");
        for (int i = 0; i < 2000; i++) {
            call("SET", "k" + i, "v".repeat(1000));
        }
        long evicted = infoField("stats", "evicted_keys");
        assertTrue(evicted > 0);
        List<String> deletions = recordsStartingWith("3 DEL ");
        assertEquals(evicted, deletions.size());
        Set<String> deleted = new HashSet<>();
        for (String record : deletions) {
            deleted.add("3 " + record.substring("3 DEL ".length()));
        }
        assertEquals(deleted, heard, "the listeners heard of exactly the keys propagated");
        assertFalse(deletionUnitsWrapped.contains(true), "evictions are not wrapped in MULTI/EXEC");
        assertEquals(2000, infoField("persistence", "rdb_changes_since_last_save") - changesBefore,
                "the SETs count as changes, the evictions do not");
        // Each DEL comes before the SET whose room it made: no key is written after its own deletion.
        int lastSet = records.lastIndexOf("3 SET k1999 " + "v".repeat(1000));
        assertTrue(lastSet > records.indexOf(deletions.get(0)));
    }

    @Test
    void lazyfreeLazyEvictionPropagatesUnlink() throws IOException {
        call("CONFIG", "SET", "lazyfree-lazy-eviction", "yes");
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        call("SET", "a", "1");
        call("SET", "b", "2");
        records.clear();
        call("CONFIG", "SET", "maxmemory", "1");
        assertEquals(List.of("0 UNLINK a", "0 UNLINK b"), records.stream().sorted().toList());
        assertFalse(deletionUnitsWrapped.contains(true), "evictions during CONFIG SET are not wrapped either");
    }
}
