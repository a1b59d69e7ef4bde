package io.nuthatch.server.command.zset;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What the sorted-set commands propagate, unit by unit and in order, compared with what
 * redis-server 7.0.15 writes to its own append-only log for the same commands (appendonly yes,
 * appendfsync always, so the log is written before each reply). Each server gets the same steps on
 * two connections; a unit is a record, or a MULTI ... EXEC block as one.
 *
 * <p>What 7.0.15 showed and these cases hold us to: a write that changes nothing (ZADD NX of an
 * existing member, ZADD of the same score, ZREM of absent members, a pop of a missing key or of
 * count 0, an empty range removal) is not propagated; ZMPOP, BZMPOP and BZPOPMIN are propagated as
 * the ZPOPMIN or ZPOPMAX of the key they popped, with the number popped for the M forms; a waiter
 * served by a ZADD is a unit of its own after the ZADD's; GEOADD goes as the ZADD of the scores it
 * computed.
 */
class SortedSetPropagationTest {
    private static RedisServerProcess redis;
    private static Path redisLog;
    private static RawConnection redisA;
    private static RawConnection redisB;
    private static NuthatchServer nuthatch;
    private static RawConnection nuthatchA;
    private static RawConnection nuthatchB;
    private static final List<String> nuthatchUnits = new ArrayList<>();
    private static final WritePropagation.UnitListener RECORDER = unit -> {
        List<String> records = new ArrayList<>();
        for (int record = 0; record < unit.recordCount(); record++) {
            StringBuilder line = new StringBuilder().append(unit.database(record));
            for (int argument = 0; argument < unit.argumentCount(record); argument++) {
                line.append(' ').append(new String(unit.array(record, argument), unit.argumentOffset(record, argument),
                        unit.argumentLength(record, argument), StandardCharsets.ISO_8859_1));
            }
            records.add(line.toString());
        }
        synchronized (nuthatchUnits) {
            if (unit.isWrapped()) {
                nuthatchUnits.add("MULTI " + records + " EXEC");
            } else {
                nuthatchUnits.addAll(records);
            }
        }
    };

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
        redisA = new RawConnection(redis.port());
        redisB = new RawConnection(redis.port());
        String dir = ((List<?>) RespValue.parse(redisA.call("CONFIG", "GET", "dir"))).get(1).toString();
        try (Stream<Path> files = Files.list(Path.of(dir, "appendonlydir"))) {
            redisLog = files.filter(file -> file.getFileName().toString().endsWith(".incr.aof")).findFirst()
                    .orElseThrow(() -> new AssertionError("redis-server wrote no incremental AOF file"));
        }
        nuthatch = ReferencePair.startNuthatch();
        nuthatch.engine().propagation().addListener(RECORDER);
        nuthatchA = new RawConnection(nuthatch.port());
        nuthatchB = new RawConnection(nuthatch.port());
    }

    @AfterAll
    static void stop() throws IOException {
        redisA.close();
        redisB.close();
        nuthatchA.close();
        nuthatchB.close();
        nuthatch.close();
        redis.close();
    }

    @BeforeEach
    void flush() throws IOException {
        redisA.call("FLUSHALL");
        nuthatchA.call("FLUSHALL");
    }

    /**
     * Runs the steps on both servers and compares the units each propagated meanwhile. A step is a
     * command on connection A, or "B: command" on connection B; "B> command" sends on B without
     * reading, "B<" reads what B is owed; "sleep N" waits N ms.
     */
    private static void assertSameUnits(String... steps) throws Exception {
        int redisBefore = readRedisUnits().size();
        int nuthatchBefore;
        synchronized (nuthatchUnits) {
            nuthatchBefore = nuthatchUnits.size();
        }
        for (String step : steps) {
            if (step.startsWith("sleep ")) {
                Thread.sleep(Long.parseLong(step.substring(6)));
            } else if (step.startsWith("B> ")) {
                String[] command = step.substring(3).split(" ");
                redisB.send(Resp.request(command));
                nuthatchB.send(Resp.request(command));
            } else if (step.equals("B<")) {
                assertEquals(text(redisB.readReply()), text(nuthatchB.readReply()), step);
            } else if (step.startsWith("B: ")) {
                String[] command = step.substring(3).split(" ");
                assertEquals(text(redisB.call(command)), text(nuthatchB.call(command)), step);
            } else {
                String[] command = step.split(" ");
                assertEquals(text(redisA.call(command)), text(nuthatchA.call(command)), step);
            }
        }
        List<String> expected = readRedisUnits().subList(redisBefore, readRedisUnits().size());
        List<String> actual;
        synchronized (nuthatchUnits) {
            actual = new ArrayList<>(nuthatchUnits.subList(nuthatchBefore, nuthatchUnits.size()));
        }
        assertFalse(expected.isEmpty(), "redis-server propagated nothing: the case shows nothing");
        assertEquals(expected, actual, String.join("; ", steps));
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesThatChangeNothingAreNotPropagated() throws Exception {
        assertSameUnits("ZADD z 1 a 2 b", "ZADD z NX 5 a", "ZADD z 1 a", "ZADD z XX 3 nope", "ZADD nokey XX 1 a",
                "ZADD z GT 0 a", "ZINCRBY z 0 a", "ZREM z nope", "ZREM nokey a", "ZPOPMIN nokey", "ZPOPMIN z 0",
                "ZREMRANGEBYSCORE z 10 20", "ZREMRANGEBYLEX z [x [y", "ZREMRANGEBYRANK z 5 6", "ZMPOP 1 nokey MIN",
                "ZRANGESTORE d nokey 0 -1", "ZUNIONSTORE d 1 nokey", "ZADD z CH 1 a 9 b");
    }

    @Test
    void writesGoAsTheyWereSent() throws Exception {
        assertSameUnits("ZADD z 1 a 2 b 3 c", "ZADD z INCR 5 a", "ZINCRBY z 2.5 b", "ZADD z GT CH 10 c 1 d",
                "ZREM z d nope", "ZPOPMIN z", "ZPOPMAX z 10", "ZADD z 1 a 2 b 3 c 4 d", "ZREMRANGEBYRANK z 0 0",
                "ZREMRANGEBYSCORE z (2 3", "ZRANGESTORE d z 0 -1", "ZUNIONSTORE u 2 z d WEIGHTS 1 2",
                "ZINTERSTORE i 2 z d", "ZDIFFSTORE f 2 z d", "ZRANGESTORE d nokey 0 -1", "ZREM z b d");
    }

    @Test
    void multiPopsBecomeThePopOfTheKeyTheyPoppedFrom() throws Exception {
        assertSameUnits("ZADD z 1 a 2 b 3 c", "ZMPOP 2 nokey z MIN", "ZMPOP 1 z MAX COUNT 10",
                "ZADD z 1 a 2 b 3 c", "BZPOPMIN nokey z 0", "BZPOPMAX z 0", "BZMPOP 0 1 z MIN COUNT 5");
    }

    @Test
    void aServedWaiterIsAUnitOfItsOwnAfterTheWriteThatFedIt() throws Exception {
        assertSameUnits("B> BZPOPMIN z 0", "sleep 100", "ZADD z 1 a 2 b", "B<", "ZCARD z");
        assertSameUnits("B> BZMPOP 0 2 y z MAX COUNT 2", "sleep 100", "ZADD z 1 a 2 b 3 c", "B<");
        assertSameUnits("B> BZPOPMAX k 0", "sleep 100", "ZADD src 1 a", "ZUNIONSTORE k 1 src", "B<", "ZCARD k");
    }

    @Test
    void aWaiterServedUntilTheKeyIsEmptyLeavesItDeleted() throws Exception {
        assertSameUnits("B> BZPOPMIN z 0", "sleep 100", "ZADD z 1 a", "B<", "EXISTS z", "ZADD z 2 b");
    }

    @Test
    void geoaddIsPropagatedAsTheZaddOfItsScores() throws Exception {
        assertSameUnits("GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
                "GEOADD g NX CH 13.361389 38.115556 Palermo 1 2 New", "GEOADD g XX 3 4 Palermo",
                "GEOADD g NX 13.361389 38.115556 Palermo", "GEOADD nokey XX 1 1 a");
    }

    @Test
    void geoStoresGoAsTheyWereSent() throws Exception {
        assertSameUnits("GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
                "GEORADIUS g 15 37 200 km STORE d1", "GEORADIUSBYMEMBER g Palermo 200 km STOREDIST d2",
                "GEOSEARCHSTORE d3 g FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST",
                "GEOSEARCHSTORE d3 g FROMLONLAT 15 37 BYRADIUS 1 m", "GEOSEARCHSTORE d4 nokey FROMLONLAT 15 37 BYRADIUS 1 m",
                "GEORADIUS g 15 37 1 m STORE d1");
    }

    // ---------------------------------------------------------------- redis-server's log, read back

    /** The units of redis-server's incremental log so far: a record, or a MULTI ... EXEC block as one. */
    private static List<String> readRedisUnits() throws IOException {
        byte[] log = Files.readAllBytes(redisLog);
        List<String> units = new ArrayList<>();
        List<String> transaction = null;
        int database = 0;
        int position = 0;
        while (position < log.length) {
            List<String> command = new ArrayList<>();
            position = readCommand(log, position, command);
            String name = command.get(0).toUpperCase();
            if (name.equals("SELECT")) {
                database = Integer.parseInt(command.get(1));
            } else if (name.equals("MULTI")) {
                transaction = new ArrayList<>();
            } else if (name.equals("EXEC")) {
                units.add("MULTI " + transaction + " EXEC");
                transaction = null;
            } else if (!name.equals("FLUSHALL")) {
                String record = database + " " + String.join(" ", command);
                if (transaction != null) {
                    transaction.add(record);
                } else {
                    units.add(record);
                }
            }
        }
        return units;
    }

    /** Reads one RESP array of bulk strings at {@code position}; returns the position after it. */
    private static int readCommand(byte[] log, int position, List<String> arguments) {
        int lineEnd = lineEnd(log, position);
        int count = Integer.parseInt(new String(log, position + 1, lineEnd - position - 1, StandardCharsets.US_ASCII));
        position = lineEnd + 2;
        for (int i = 0; i < count; i++) {
            lineEnd = lineEnd(log, position);
            int length = Integer.parseInt(new String(log, position + 1, lineEnd - position - 1, StandardCharsets.US_ASCII));
            position = lineEnd + 2;
            arguments.add(new String(log, position, length, StandardCharsets.ISO_8859_1));
            position += length + 2;
        }
        return position;
    }

    private static int lineEnd(byte[] log, int position) {
        while (log[position] != '\r') {
            position++;
        }
        return position;
    }
}
