package io.nuthatch.server.propagation;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.AppendOnlyLogUnits;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The execution units Nuthatch propagates, compared with what redis-server 7.0.15 writes to its
 * append-only log for the same commands (appendonly yes, appendfsync always, so the log is written
 * before each reply). The log is read back into units: a MULTI ... EXEC block is one unit, any
 * other command a unit of its own, each record with the database its SELECTs put it in; Nuthatch's
 * units are rendered the same way. Absolute times (PXAT, PEXPIREAT) are compared as "a time".
 *
 * <p>What 7.0.15 showed, and these cases hold us to: a unit of one record is written bare and one
 * of several inside MULTI/EXEC; a command whose key lookups deleted expired keys propagates those
 * DELs in its unit, before itself (so a write over an expired key, or a read of two expired keys,
 * is wrapped); a read that deletes one expired key propagates a bare DEL; SCAN and RANDOMKEY,
 * which touch arbitrary keys, propagate their deletions unwrapped, as the active expiry does, one
 * key a unit.
 */
class ExecutionUnitDifferentialTest {
    private static RedisServerProcess redis;
    private static Path redisLog;
    private static RawConnection redisConnection;
    private static NuthatchServer nuthatch;
    private static RawConnection nuthatchConnection;
    private static final List<String> nuthatchUnits = new ArrayList<>();
    private static final WritePropagation.UnitListener RECORDER = unit -> {
        List<String> units = AppendOnlyLogUnits.of(unit, ExecutionUnitDifferentialTest::normalized);
        synchronized (nuthatchUnits) {
            nuthatchUnits.addAll(units);
        }
    };

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
        redisConnection = new RawConnection(redis.port());
        String dir = ((List<?>) RespValue.parse(redisConnection.call("CONFIG", "GET", "dir"))).get(1).toString();
        try (Stream<Path> files = Files.list(Path.of(dir, "appendonlydir"))) {
            redisLog = files.filter(file -> file.getFileName().toString().endsWith(".incr.aof")).findFirst()
                    .orElseThrow(() -> new AssertionError("redis-server wrote no incremental AOF file"));
        }
        nuthatch = ReferencePair.startNuthatch();
        nuthatch.engine().propagation().addListener(RECORDER);
        nuthatchConnection = new RawConnection(nuthatch.port());
        both("DEBUG", "SET-ACTIVE-EXPIRE", "0");
    }

    @AfterAll
    static void stop() throws IOException {
        redisConnection.close();
        nuthatchConnection.close();
        nuthatch.close();
        redis.close();
    }

    private static void both(String... command) throws IOException {
        String expected = new String(redisConnection.call(command), StandardCharsets.ISO_8859_1);
        String actual = new String(nuthatchConnection.call(command), StandardCharsets.ISO_8859_1);
        if (!command[0].equals("RANDOMKEY") && !command[0].equals("SCAN")) {
            assertEquals(expected, actual, String.join(" ", command));
        }
    }

    /**
     * Runs the steps on both servers ("sleep N" waits N ms) and compares the units they propagated
     * meanwhile, in order, or as a multiset when the order is the servers' own (hash order).
     */
    private static void assertSameUnits(boolean ordered, String... steps) throws Exception {
        int redisBefore = readRedisUnits().size();
        int nuthatchBefore;
        synchronized (nuthatchUnits) {
            nuthatchBefore = nuthatchUnits.size();
        }
        for (String step : steps) {
            if (step.startsWith("sleep ")) {
                Thread.sleep(Long.parseLong(step.substring(6)));
            } else {
                both(step.split(" "));
            }
        }
        List<String> redisUnits = readRedisUnits();
        List<String> expected = new ArrayList<>(redisUnits.subList(redisBefore, redisUnits.size()));
        List<String> actual;
        synchronized (nuthatchUnits) {
            actual = new ArrayList<>(nuthatchUnits.subList(nuthatchBefore, nuthatchUnits.size()));
        }
        if (!ordered) {
            expected.sort(null);
            actual.sort(null);
        }
        assertTrue(!expected.isEmpty(), "redis-server propagated nothing: the case shows nothing");
        assertEquals(expected, actual, String.join("; ", steps));
    }

    @Test
    void eachWriteIsAUnitOfItsOwnAndReadsPropagateNothing() throws Exception {
        assertSameUnits(true, "SET a 1", "INCR n", "GET a", "append a x", "MSET b 1 c 2", "STRLEN a");
    }

    @Test
    void aWriteThatDeletesAnExpiredKeyIsWrappedWithTheDeletionFirst() throws Exception {
        assertSameUnits(true, "SET gone v PX 20", "SET live v", "sleep 60", "DEL gone live");
        assertSameUnits(true, "SET gone v PX 20", "sleep 60", "SET gone new");
        assertSameUnits(true, "SET gone v PX 20", "sleep 60", "INCR gone");
        assertSameUnits(true, "SET gone v PX 20", "sleep 60", "SET gone v EX 100");
    }

    @Test
    void aReadThatDeletesOneExpiredKeyPropagatesABareDelAndTwoAreWrapped() throws Exception {
        assertSameUnits(true, "SET gone v PX 20", "sleep 60", "GET gone");
        assertSameUnits(true, "SET g1 v PX 20", "SET g2 v PX 20", "sleep 60", "MGET g1 g2", "EXISTS g1");
    }

    @Test
    void scanAndRandomkeyPropagateTheirDeletionsUnwrapped() throws Exception {
        assertSameUnits(false, "SET s1 v PX 20", "SET s2 v PX 20", "SET s3 v PX 20", "sleep 60", "SCAN 0 COUNT 100");
        assertSameUnits(false, "FLUSHALL", "SET r1 v PX 20", "SET r2 v PX 20", "sleep 60", "RANDOMKEY");
    }

    @Test
    void aUnitAcrossDatabasesKeepsEachRecordsDatabase() throws Exception {
        assertSameUnits(true, "SELECT 2", "SET k old PX 20", "SELECT 0", "SET k new", "sleep 60", "MOVE k 2",
                "SELECT 2", "GET k", "SELECT 0");
    }

    @Test
    void rewrittenCommandsAreUnitsOfOneRecord() throws Exception {
        assertSameUnits(true, "SET k v EX 100", "SETEX k 100 v", "INCRBYFLOAT f 1.5", "GETEX k PX 50000",
                "GETEX k PERSIST", "GETDEL k", "EXPIRE f 100", "EXPIRE f -1");
    }

    @Test
    void lazyfreeLazyExpireMakesTheDeletionsUnlink() throws Exception {
        try {
            assertSameUnits(true, "CONFIG SET lazyfree-lazy-expire yes", "SET gone v PX 20", "SET live v",
                    "sleep 60", "UNLINK gone live", "SET gone v PX 20", "sleep 60", "GET gone");
        } finally {
            both("CONFIG", "SET", "lazyfree-lazy-expire", "no");
        }
    }

    @Test
    void theActiveExpiryPropagatesEachKeyAsAUnit() throws Exception {
        try {
            assertSameUnits(false, "SET a1 v PX 20", "SELECT 5", "SET a2 v PX 20", "SET a3 v PX 20", "SELECT 0",
                    "DEBUG SET-ACTIVE-EXPIRE 1", "sleep 700");
        } finally {
            both("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        }
    }

    @Test
    void hyperLogLogCommandsPropagateWhenTheyChangeTheBytes() throws Exception {
        // PFADD of elements already counted, and PFCOUNT of a cached estimate, change nothing;
        // PFCOUNT that writes its estimate into the header, PFMERGE and a conversion to dense do.
        assertSameUnits(true, "PFADD h a b c", "PFADD h a", "PFCOUNT h", "PFCOUNT h", "PFADD h d",
                "PFCOUNT h x", "PFMERGE m h x", "PFMERGE m", "PFDEBUG ENCODING m", "PFDEBUG TODENSE m",
                "PFDEBUG TODENSE m", "PFDEBUG GETREG h", "PFDEBUG GETREG h", "PFADD n");
    }

    @Test
    void aTransactionIsOneUnitAndEXECItselfIsNotPropagated() throws Exception {
        assertSameUnits(true, "MULTI", "SET a 1", "GET a", "INCR n", "SET e v EX 100", "EXEC",
                "MULTI", "SET b 2", "GET b", "EXEC",
                "MULTI", "GET a", "EXEC",
                "MULTI", "SELECT 3", "SET c 1", "SELECT 0", "SET c 2", "INCR a", "EXEC",
                "MULTI", "INCR b", "LPUSH a x", "APPEND b x", "EXEC",
                "MULTI", "SET once 1", "DEL once", "SET once 2", "EXPIRE once 100", "EXEC");
    }

    @Test
    void aTransactionThatFailsPropagatesNothing() throws Exception {
        assertSameUnits(true, "SET w 1", "WATCH w", "SET w 2", "MULTI", "SET x 1", "EXEC",
                "MULTI", "SET y 1", "INCR y z", "EXEC", "MULTI", "SET z 1", "DISCARD", "SET done 1");
    }

    @Test
    void aTransactionWhoseLookupsDeleteExpiredKeysPropagatesTheDeletionsInItsUnit() throws Exception {
        assertSameUnits(true, "SET gone v PX 20", "sleep 60", "MULTI", "GET gone", "SET k v", "EXEC");
    }

    @Test
    void aScriptPropagatesItsEffectsAsOneUnit() throws Exception {
        assertSameUnits(true, "EVAL redis.call('SET','sa','1');redis.call('GET','sa');redis.call('INCR','sn');return(1) 0",
                "EVAL redis.call('SET','sb','2');return(1) 0",
                "EVAL return(redis.call('GET','sa')) 0",
                "EVAL redis.call('SET','se','v','EX','100');redis.call('INCRBYFLOAT','sf','1.5');return(1) 0",
                "EVAL redis.call('SELECT','4');redis.call('SET','s4','x');return(redis.call('DEL','s4')) 0",
                "EVAL redis.pcall('LPUSH','sa','x');redis.call('APPEND','sa','y');return(1) 0",
                "SET done 1");
    }

    @Test
    void aScriptWhoseLookupsDeleteExpiredKeysPropagatesTheDeletionsInItsUnit() throws Exception {
        assertSameUnits(true, "SET sgone v PX 20", "sleep 60",
                "EVAL redis.call('GET','sgone');redis.call('SET','sk','v');return(1) 0");
    }

    /**
     * The script writes on its caller's thread, then runs past the inline slice: what it changed,
     * the expired key its lookup deleted included, is taken back, and it runs again on the script's
     * thread. Only the second run's effects reach the log. (Tabs: steps are split on spaces.)
     */
    @Test
    void aScriptTakenBackAndRunAgainPropagatesItsEffectsOnce() throws Exception {
        assertSameUnits(true, "SET tb 1", "SET tgone v PX 20", "sleep 60",
                "EVAL redis.call('GET','tgone');redis.call('INCR','tb');redis.call('RPUSH','tl','a');"
                        + "local\tx=0;for\ti=1,1000000\tdo\tx=x+i\tend;return(1) 0",
                "EVAL redis.call('INCR','tb');for\ti=1,100\tdo\tredis.call('SET','tk'..i,i)\tend;return(1) 0");
        // A hundred keys more would keep SCAN 0 COUNT 100 of another case from reaching its keys.
        both("FLUSHDB");
    }

    @Test
    void redisSetReplLeavesTheScriptsLaterCommandsOutOfTheLogUntilTheScriptEnds() throws Exception {
        assertSameUnits(true,
                "EVAL redis.set_repl(redis.REPL_NONE);redis.call('SET','rn','1');redis.set_repl(redis.REPL_ALL);"
                        + "redis.call('SET','ra','2');redis.call('INCR','ri');return(1) 0",
                "EVAL redis.set_repl(redis.REPL_REPLICA);redis.call('SET','rr','1');return(1) 0",
                "EVAL redis.set_repl(redis.REPL_AOF);redis.call('SET','rf','1');return(1) 0",
                "EVAL redis.set_repl(redis.REPL_NONE);redis.call('SET','rx','1');return(1) 0",
                "EVAL redis.set_repl(redis.REPL_NONE);redis.call('SET','ry','1');error('stop') 0",
                "EVAL redis.call('SET','rz','1');return(1) 0",
                "SET done 1");
    }

    // ---------------------------------------------------------------- redis-server's log, read back

    /** The units of redis-server's incremental log so far. */
    private static List<String> readRedisUnits() throws IOException {
        return AppendOnlyLogUnits.read(redisLog, ExecutionUnitDifferentialTest::normalized);
    }

    /** A record with every Unix time in milliseconds within a day of now shown as "<time>". */
    private static String normalized(String record) {
        long now = System.currentTimeMillis();
        StringBuilder out = new StringBuilder();
        for (String word : record.split(" ", -1)) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            boolean time = word.length() == 13 && word.chars().allMatch(Character::isDigit)
                    && Math.abs(Long.parseLong(word) - now) < 86_400_000L;
            out.append(time ? "<time>" : word);
        }
        return out.toString();
    }
}
