package io.nuthatch.server.command.stream;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.testing.AppendOnlyLogUnits;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What stream commands propagate, compared with what redis-server 7.0.15 writes to its append-only
 * file for the same commands (appendonly yes, appendfsync always): XADD with the ID it chose and
 * with approximate trimming made exact, XREADGROUP as the XCLAIMs that recreate its pending entries
 * (or XGROUP SETID with NOACK), XCLAIM and XAUTOCLAIM as XCLAIMs with explicit times and counts,
 * and reads that change nothing as nothing. The log is read back into units (a MULTI ... EXEC
 * block is one); times within a day of now compare as "<time>", and IDs made from them as
 * "<time>-<seq>" (two XADDs may or may not fall in the same millisecond).
 */
class StreamPropagationTest {
    /** A Unix time in milliseconds, alone or as the time of an ID with its sequence. */
    private static final Pattern TIME = Pattern.compile("\\b(\\d{13})(-\\d+)?\\b");

    private static RedisServerProcess redis;
    private static Path redisLog;
    private static RawConnection redisConnection;
    private static NuthatchServer nuthatch;
    private static RawConnection nuthatchConnection;
    private static final List<String> nuthatchUnits = new ArrayList<>();
    private static final WritePropagation.UnitListener RECORDER = unit -> {
        List<String> records = new ArrayList<>();
        for (int record = 0; record < unit.recordCount(); record++) {
            StringBuilder line = new StringBuilder();
            for (int argument = 0; argument < unit.argumentCount(record); argument++) {
                if (argument > 0) {
                    line.append(' ');
                }
                line.append(new String(unit.array(record, argument), unit.argumentOffset(record, argument),
                        unit.argumentLength(record, argument), StandardCharsets.ISO_8859_1));
            }
            records.add(normalized(line.toString()));
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
        redisConnection = new RawConnection(redis.port());
        String dir = ((List<?>) RespValue.parse(redisConnection.call("CONFIG", "GET", "dir"))).get(1).toString();
        try (Stream<Path> files = Files.list(Path.of(dir, "appendonlydir"))) {
            redisLog = files.filter(file -> file.getFileName().toString().endsWith(".incr.aof")).findFirst()
                    .orElseThrow(() -> new AssertionError("redis-server wrote no incremental AOF file"));
        }
        nuthatch = ReferencePair.startNuthatch();
        nuthatch.engine().propagation().addListener(RECORDER);
        nuthatchConnection = new RawConnection(nuthatch.port());
    }

    @AfterAll
    static void stop() throws IOException {
        nuthatch.engine().propagation().removeListener(RECORDER);
        redisConnection.close();
        nuthatchConnection.close();
        nuthatch.close();
        redis.close();
    }

    @BeforeEach
    void flush() throws IOException {
        redisConnection.call("FLUSHALL");
        nuthatchConnection.call("FLUSHALL");
    }

    /** Runs the commands on both servers and compares what each propagated meanwhile. */
    private static List<String> assertSamePropagation(String... commands) throws IOException {
        int redisBefore = readRedisUnits().size();
        int nuthatchBefore;
        synchronized (nuthatchUnits) {
            nuthatchBefore = nuthatchUnits.size();
        }
        for (String command : commands) {
            String[] arguments = command.split(" ");
            redisConnection.call(arguments);
            nuthatchConnection.call(arguments);
        }
        List<String> redisUnits = readRedisUnits();
        List<String> expected = new ArrayList<>(redisUnits.subList(redisBefore, redisUnits.size()));
        List<String> actual;
        synchronized (nuthatchUnits) {
            actual = new ArrayList<>(nuthatchUnits.subList(nuthatchBefore, nuthatchUnits.size()));
        }
        assertFalse(expected.isEmpty(), "redis-server propagated nothing: the case shows nothing");
        assertEquals(expected, actual, String.join("; ", commands));
        if (Boolean.getBoolean("propagation.trace")) {
            expected.forEach(System.out::println);
        }
        return expected;
    }

    @Test
    void xaddPropagatesTheIdItChose() throws IOException {
        List<String> units = assertSamePropagation("XADD s * f v", "XADD s * f v", "XADD t 5-* f v",
                "XADD t 5-* g w", "XADD t 7-3 f v", "XADD s NOMKSTREAM * f v", "XADD missing NOMKSTREAM * f v");
        assertEquals("XADD s <time>-<seq> f v", units.get(0));
    }

    @Test
    void approximateTrimmingPropagatesAsTheExactTrimItDid() throws IOException {
        assertSamePropagation("CONFIG SET stream-node-max-entries 2", "XADD s 1 f v", "XADD s 2 f v",
                "XADD s 3 f v", "XADD s MAXLEN ~ 1 4 f v", "XADD s MAXLEN ~ 1 * f v", "XADD s MINID ~ 3 9 f v",
                "XADD s MAXLEN ~ 1 LIMIT 10 10 f v", "XADD s maxlen = 2 11 f v", "XTRIM s MAXLEN ~ 0",
                "XADD s 12 f v", "XADD s 13 f v", "XADD s 14 f v", "XTRIM s MINID ~ 14", "XTRIM s MINID ~ 14",
                "XTRIM s MAXLEN 1", "XTRIM s MAXLEN 1", "CONFIG SET stream-node-max-entries 100");
    }

    @Test
    void approximateMinidOfAnEmptiedStreamPropagatesTheLargestId() throws IOException {
        assertSamePropagation("CONFIG SET stream-node-max-entries 1", "XADD s 1 f v", "XADD s 2 f v",
                "XTRIM s MINID ~ 5", "XADD s MINID ~ 9 8 f v", "CONFIG SET stream-node-max-entries 100");
    }

    @Test
    void deletionsAndSettingsPropagateAsSentWhenTheyChangeSomething() throws IOException {
        assertSamePropagation("XADD s 1-1 f v", "XADD s 2-1 f v", "XDEL s 1-1 9-9", "XDEL s 9-9",
                "XSETID s 5-5", "XSETID s 6 ENTRIESADDED 10 MAXDELETEDID 2", "XLEN s", "XRANGE s - +",
                "XREAD STREAMS s 0", "XINFO STREAM s");
    }

    @Test
    void groupCommandsPropagateAsSent() throws IOException {
        assertSamePropagation("XADD s 1-1 f v", "XGROUP CREATE s g 0", "XGROUP CREATE s g 0",
                "XGROUP CREATE m g $ MKSTREAM", "XGROUP CREATECONSUMER s g c", "XGROUP CREATECONSUMER s g c",
                "XGROUP SETID s g 1-1", "XGROUP SETID s g $ ENTRIESREAD 1", "XGROUP DELCONSUMER s g c",
                "XGROUP DELCONSUMER s g c", "XGROUP DESTROY s g", "XGROUP DESTROY s g");
    }

    @Test
    void xreadgroupPropagatesTheClaimsOfWhatItDelivered() throws IOException {
        List<String> units = assertSamePropagation("XADD s 1-1 f v", "XADD s 2-1 f v", "XADD s 3-1 f v",
                "XGROUP CREATE s g 0", "XREADGROUP GROUP g alice COUNT 1 STREAMS s >",
                "XREADGROUP GROUP g bob STREAMS s >", "XREADGROUP GROUP g bob STREAMS s >",
                "XREADGROUP GROUP g bob STREAMS s 0", "XREADGROUP GROUP g carol STREAMS s 0");
        assertFalse(units.isEmpty());
    }

    @Test
    void xreadgroupNoackPropagatesTheGroupsLastIdAndNewConsumers() throws IOException {
        assertSamePropagation("XADD s 1-1 f v", "XADD s 2-1 f v", "XGROUP CREATE s g 0",
                "XREADGROUP GROUP g alice NOACK COUNT 1 STREAMS s >", "XREADGROUP GROUP g alice NOACK STREAMS s >",
                "XADD s 3-1 f v", "XGROUP CREATECONSUMER s g bob", "XREADGROUP GROUP g bob NOACK STREAMS s >");
    }

    @Test
    void xreadgroupOnSeveralStreamsPropagatesEachStreamsClaims() throws IOException {
        assertSamePropagation("XADD a 1-1 f v", "XADD b 1-1 f v", "XADD b 2-1 f v", "XGROUP CREATE a g 0",
                "XGROUP CREATE b g 0", "XREADGROUP GROUP g c STREAMS a b > >");
    }

    @Test
    void xclaimPropagatesClaimsDropsAndItsLastId() throws IOException {
        assertSamePropagation("XADD s 1-1 f v", "XADD s 2-1 f v", "XADD s 3-1 f v", "XGROUP CREATE s g 0",
                "XREADGROUP GROUP g alice STREAMS s >", "XCLAIM s g bob 0 1-1", "XCLAIM s g bob 0 2 JUSTID",
                "XCLAIM s g bob 0 3-1 RETRYCOUNT 5 TIME 1000", "XCLAIM s g bob 100000 1-1", "XDEL s 1-1",
                "XCLAIM s g bob 0 1-1 2-1", "XCLAIM s g bob 0 9-9 LASTID 9-9", "XCLAIM s g bob 0 9-9 LASTID 8-8",
                "XCLAIM s g bob 0 3-1 FORCE LASTID 10-10");
    }

    @Test
    void xautoclaimPropagatesClaimsAndDrops() throws IOException {
        assertSamePropagation("XADD s 1-1 f v", "XADD s 2-1 f v", "XADD s 3-1 f v", "XGROUP CREATE s g 0",
                "XREADGROUP GROUP g alice STREAMS s >", "XDEL s 2-1", "XAUTOCLAIM s g bob 0 0 COUNT 1",
                "XAUTOCLAIM s g bob 0 0 JUSTID", "XAUTOCLAIM s g bob 100000 0");
    }

    @Test
    void aServedBlockedReadPropagatesItsClaimsAfterTheAddThatFedIt() throws Exception {
        try (RawConnection redisReader = new RawConnection(redis.port());
             RawConnection nuthatchReader = new RawConnection(nuthatch.port())) {
            assertSamePropagation("XGROUP CREATE s g $ MKSTREAM");
            for (RawConnection reader : List.of(redisReader, nuthatchReader)) {
                reader.send(Resp.request("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"));
            }
            awaitBlocked(redisConnection);
            awaitBlocked(nuthatchConnection);
            List<String> units = assertSamePropagation("XADD s 1-1 f v");
            assertEquals(List.of("XADD s 1-1 f v", "XCLAIM s g alice 0 1-1 TIME <time> RETRYCOUNT 1 FORCE JUSTID"
                    + " LASTID 1-1"), units);
            assertEquals(Resp.escape(redisReader.readReply()), Resp.escape(nuthatchReader.readReply()));
            assertSamePropagation("XGROUP CREATE s h $");
            for (RawConnection reader : List.of(redisReader, nuthatchReader)) {
                reader.send(Resp.request("XREADGROUP", "GROUP", "h", "bob", "NOACK", "BLOCK", "0", "STREAMS", "s",
                        ">"));
            }
            awaitBlocked(redisConnection);
            awaitBlocked(nuthatchConnection);
            assertSamePropagation("XADD s 2-1 f v");
            assertEquals(Resp.escape(redisReader.readReply()), Resp.escape(nuthatchReader.readReply()));
        }
    }

    /** Waits until the server lists a client blocked (flag b). */
    private static void awaitBlocked(RawConnection connection) throws Exception {
        for (int attempt = 0; attempt < 500; attempt++) {
            String clients = new String(connection.call("CLIENT", "LIST"), StandardCharsets.ISO_8859_1);
            if (clients.contains("flags=b ")) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no client blocked: " + new String(connection.call("CLIENT", "LIST"),
                StandardCharsets.ISO_8859_1));
    }

    @Test
    void xackPropagatesWhenItAcknowledges() throws IOException {
        assertSamePropagation("XADD s 1-1 f v", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s >",
                "XACK s g 9-9", "XACK s g 1-1 9-9", "XACK s g 1-1", "XPENDING s g", "XINFO GROUPS s");
    }

    // ---------------------------------------------------------------- redis-server's log, read back

    private static List<String> readRedisUnits() throws IOException {
        List<String> units = new ArrayList<>();
        List<String> transaction = null;
        for (List<String> command : AppendOnlyLogUnits.commands(Files.readAllBytes(redisLog))) {
            String name = command.get(0).toUpperCase();
            if (name.equals("SELECT") || name.equals("FLUSHALL") || name.equals("CONFIG")) {
                continue;
            }
            if (name.equals("MULTI")) {
                transaction = new ArrayList<>();
            } else if (name.equals("EXEC")) {
                units.add("MULTI " + transaction + " EXEC");
                transaction = null;
            } else {
                String record = normalized(String.join(" ", command));
                if (transaction != null) {
                    transaction.add(record);
                } else {
                    units.add(record);
                }
            }
        }
        return units;
    }

    /** A record with every Unix time in milliseconds within a day of now shown as "<time>". */
    private static String normalized(String record) {
        long now = System.currentTimeMillis();
        Matcher matcher = TIME.matcher(record);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            boolean time = Math.abs(Long.parseLong(matcher.group(1)) - now) < 86_400_000L;
            String replacement = matcher.group(2) == null ? "<time>" : "<time>-<seq>";
            matcher.appendReplacement(out, time ? replacement : matcher.group());
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
