package io.nuthatch.server.command.hyperloglog;

import io.nuthatch.server.testing.ComparedConnections;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated HyperLogLogs against redis-server, replies and stored bytes compared: thousands of
 * elements added in batches (the sparse form growing, merging its runs, turning dense), unions and
 * merges of HLLs of every size, estimates at cardinalities up to a few hundred thousand, and sparse
 * bodies of random opcodes, most of them corrupt. The seeds are fixed, so a failure repeats.
 */
class HyperLogLogRandomDifferentialTest {

    @Test
    void sparseHyperLogLogsGrowAndTurnDenseAsInRedis() throws IOException {
        SplittableRandom random = new SplittableRandom(6_001);
        try (ComparedConnections servers = ComparedConnections.open()) {
            for (int round = 0; round < 40; round++) {
                servers.context("round " + round);
                String key = "h" + round % 4;
                servers.compare(pfadd(key, random, 1 + random.nextInt(round < 20 ? 40 : 400)));
                servers.compare("GET", key);
                servers.compare("PFCOUNT", key);
                servers.compare("PFDEBUG", "ENCODING", key);
            }
            servers.compare("PFCOUNT", "h0", "h1", "h2", "h3");
        }
    }

    @Test
    void mergesOfSparseAndDenseAsInRedis() throws IOException {
        SplittableRandom random = new SplittableRandom(6_002);
        try (ComparedConnections servers = ComparedConnections.open()) {
            for (int round = 0; round < 30; round++) {
                servers.context("round " + round);
                for (String key : new String[] {"a", "b", "c"}) {
                    servers.compare(pfadd(key, random, random.nextInt(1 + random.nextInt(3) * 300)));
                }
                String destination = random.nextBoolean() ? "a" : "m" + round % 3;
                servers.compare("PFMERGE", destination, "a", "b", "c");
                servers.compare("GET", destination);
                servers.compare("PFCOUNT", destination);
                servers.compare("PFCOUNT", "a", "b", "c", "missing");
            }
        }
    }

    @Test
    void estimatesAtManyCardinalitiesAsInRedis() throws IOException {
        SplittableRandom random = new SplittableRandom(6_003);
        try (ComparedConnections servers = ComparedConnections.open()) {
            for (int added = 0; added < 300_000; ) {
                int batch = added < 5_000 ? 97 : 2_000;
                servers.compare(pfadd("big", random, batch));
                added += batch;
                servers.context("after " + added);
                servers.compare("PFCOUNT", "big");
            }
            servers.compare("GET", "big");
        }
    }

    @Test
    void sparseBodiesOfRandomOpcodesAsInRedis() throws IOException {
        SplittableRandom random = new SplittableRandom(6_004);
        try (ComparedConnections servers = ComparedConnections.open()) {
            for (int round = 0; round < 300; round++) {
                servers.context("round " + round);
                byte[] hll = randomSparse(random);
                servers.compare(List.of(ComparedConnections.bytes("SET"), ComparedConnections.bytes("h"), hll));
                servers.compare("PFDEBUG", "DECODE", "h");
                servers.compare("PFCOUNT", "h", "h");
                servers.compare("PFMERGE", "m", "h");
                servers.compare("GET", "m");
                servers.compare(pfadd("h", random, 1 + random.nextInt(3)));
                servers.compare("GET", "h");
                servers.compare("PFCOUNT", "h");
                servers.compare("PFDEBUG", "TODENSE", "h");
                servers.compare("GET", "h");
                servers.compare("DEL", "m");
            }
        }
    }

    /**
     * A header and a body of random opcodes: runs of zeros (short and long) and values, chosen so
     * that the runs often add up to exactly 16384 registers, and sometimes fall short or overshoot.
     */
    private static byte[] randomSparse(SplittableRandom random) {
        List<Byte> body = new ArrayList<>();
        int covered = 0;
        int target = 16384 + (random.nextInt(4) == 0 ? random.nextInt(-3, 4) : 0);
        while (covered < target) {
            int left = target - covered;
            int kind = random.nextInt(3);
            if (kind == 0 && left > 64) {
                int run = 1 + random.nextInt(Math.min(left, 16384));
                body.add((byte) (0x40 | (run - 1) >>> 8));
                body.add((byte) (run - 1));
                covered += run;
            } else if (kind == 1) {
                int run = 1 + random.nextInt(Math.min(left, 64));
                body.add((byte) (run - 1));
                covered += run;
            } else {
                int run = 1 + random.nextInt(Math.min(left, 4));
                int value = 1 + random.nextInt(32);
                body.add((byte) (0x80 | (value - 1) << 2 | (run - 1)));
                covered += run;
            }
        }
        if (random.nextInt(10) == 0 && !body.isEmpty()) {
            body.remove(body.size() - 1);
        }
        byte[] hll = new byte[16 + body.size()];
        hll[0] = 'H';
        hll[1] = 'Y';
        hll[2] = 'L';
        hll[3] = 'L';
        hll[4] = 1;
        hll[15] = (byte) 0x80;
        for (int i = 0; i < body.size(); i++) {
            hll[16 + i] = body.get(i);
        }
        return hll;
    }

    private static List<byte[]> pfadd(String key, SplittableRandom random, int elements) {
        List<byte[]> command = new ArrayList<>(elements + 2);
        command.add(ComparedConnections.bytes("PFADD"));
        command.add(ComparedConnections.bytes(key));
        for (int i = 0; i < elements; i++) {
            byte[] element = new byte[random.nextInt(1, 24)];
            random.nextBytes(element);
            command.add(element);
        }
        return command;
    }
}
