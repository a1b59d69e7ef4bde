package io.nuthatch.server.command.hyperloglog;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.StringForm;
import io.nuthatch.server.type.HyperLogLog;
import io.nuthatch.server.type.HyperLogLogBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * PFDEBUG (GETREG, DECODE, ENCODING, TODENSE), which shows an HLL's internals, and PFSELFTEST,
 * which checks this server's HLL code. Both are Redis's tools for testing HLLs; the differential
 * tests use PFDEBUG to compare registers and encodings with redis-server's.
 */
final class HyperLogLogDebugCommands {
    private static final CommandError NO_SUCH_KEY = new CommandError("ERR The specified key does not exist");
    private static final CommandError NOT_SPARSE = new CommandError("ERR HLL encoding is not sparse");
    private static final byte[] GETREG = CommandContext.keyword("GETREG");
    private static final byte[] DECODE = CommandContext.keyword("DECODE");
    private static final byte[] ENCODING = CommandContext.keyword("ENCODING");
    private static final byte[] TODENSE = CommandContext.keyword("TODENSE");

    /** Rounds of random register values written and read back (Redis's HLL_TEST_CYCLES). */
    private static final int REGISTER_TEST_ROUNDS = 1000;
    private static final int ESTIMATE_TEST_ELEMENTS = 10_000_000;

    private HyperLogLogDebugCommands() {
    }

    static void register(CommandTable.Registry table) {
        table.command("pfdebug", "Shows the internals of a HyperLogLog (registers, opcodes, encoding) or makes"
                + " it dense.", "O(N)", HyperLogLogDebugCommands::pfdebug);
        table.command("pfselftest", "Tests this server's HyperLogLog code: register access, and estimates"
                + " within bounds for up to ten million elements.", "O(N)", HyperLogLogDebugCommands::pfselftest);
    }

    /** PFDEBUG subcommand key. The key is checked before the subcommand is, as in Redis. */
    static void pfdebug(CommandContext c) {
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 2);
        if (entry == null) {
            throw NO_SUCH_KEY;
        }
        HyperLogLogCommands.requireHyperLogLog(entry);
        database.unshareString(entry);
        boolean sparse = HyperLogLog.encoding(entry.stringArray(), entry.stringOffset()) == HyperLogLog.SPARSE;
        if (c.isKeyword(1, GETREG)) {
            if (sparse) {
                entry = makeDense(c, database, entry);
            }
            c.reply().arrayHeader(HyperLogLog.REGISTERS);
            int registers = entry.stringOffset() + HyperLogLog.HEADER;
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                c.reply().integer(HyperLogLog.denseRegister(entry.stringArray(), registers, i));
            }
        } else if (c.isKeyword(1, DECODE)) {
            if (!sparse) {
                throw NOT_SPARSE;
            }
            c.reply().bulk(decode(entry.stringArray(), entry.stringOffset(), entry.stringLength()));
        } else if (c.isKeyword(1, ENCODING)) {
            c.reply().simpleString(sparse ? "sparse" : "dense");
        } else if (c.isKeyword(1, TODENSE)) {
            if (sparse) {
                makeDense(c, database, entry);
            }
            c.reply().integer(sparse ? 1 : 0);
        } else {
            throw new CommandError("ERR Unknown PFDEBUG subcommand '" + c.argumentText(1) + "'");
        }
    }

    /**
     * Converts the stored HLL to dense; the change is propagated, so that replicas convert too.
     *
     * @return the live entry
     */
    private static KeyEntry makeDense(CommandContext c, Database database, KeyEntry entry) {
        HyperLogLogBuffer buffer = HyperLogLogCommands.buffer();
        buffer.load(entry.stringArray(), entry.stringOffset(), entry.stringLength());
        if (!buffer.toDense()) {
            throw HyperLogLogCommands.CORRUPT;
        }
        return database.setString(entry, c.arguments(), 2, buffer.array(), 0, buffer.length(), StringForm.RAW,
                Database.KEEP_EXPIRY);
    }

    /** The sparse opcodes as text: "Z:16384" for a long run of zeros, "z:3" a short one, "v:2,1" a value run. */
    private static String decode(byte[] bytes, int offset, int length) {
        StringBuilder text = new StringBuilder();
        int end = offset + length;
        int p = offset + HyperLogLog.HEADER;
        while (p < end) {
            int opcode = bytes[p] & 0xFF;
            if ((opcode & 0xC0) == 0) {
                text.append("z:").append((opcode & 0x3F) + 1);
                p++;
            } else if ((opcode & 0xC0) == 0x40) {
                int next = p + 1 < end ? bytes[p + 1] & 0xFF : 0;
                text.append("Z:").append((((opcode & 0x3F) << 8) | next) + 1);
                p += 2;
            } else {
                text.append("v:").append(((opcode >>> 2) & 0x1F) + 1).append(',').append((opcode & 3) + 1);
                p++;
            }
            text.append(' ');
        }
        int trimmed = text.length();
        while (trimmed > 0 && text.charAt(trimmed - 1) == ' ') {
            trimmed--;
        }
        return text.substring(0, trimmed);
    }

    /**
     * The tests Redis's PFSELFTEST runs, on this server's code: random values written to every
     * register and read back, without disturbing the neighbours; then ten million distinct
     * elements added to a dense and a sparse HLL side by side, checking at each power of ten that
     * the sparse one is still sparse while small, that both estimate the same, and that the error
     * stays within six standard errors.
     */
    static void pfselftest(CommandContext c) {
        SplittableRandom random = new SplittableRandom(c.random().nextLong());
        byte[] registers = new byte[HyperLogLog.DENSE_SIZE];
        byte[] expected = new byte[HyperLogLog.REGISTERS];
        for (int round = 0; round < REGISTER_TEST_ROUNDS; round++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int value = random.nextInt(64);
                expected[i] = (byte) value;
                HyperLogLog.setDenseRegister(registers, HyperLogLog.HEADER, i, value);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int value = HyperLogLog.denseRegister(registers, HyperLogLog.HEADER, i);
                if (value != expected[i]) {
                    throw new CommandError("ERR TESTFAILED Register " + i + " should be " + expected[i] + " but is "
                            + value);
                }
            }
        }
        long sparseMax = HyperLogLogCommands.sparseMaxBytes(c);
        HyperLogLogBuffer dense = new HyperLogLogBuffer();
        dense.loadEmpty();
        dense.toDense();
        HyperLogLogBuffer sparse = new HyperLogLogBuffer();
        sparse.loadEmpty();
        double relativeError = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long seed = random.nextLong();
        ByteBuffer element = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long checkpoint = 1;
        for (long j = 1; j <= ESTIMATE_TEST_ELEMENTS; j++) {
            element.putLong(0, j ^ seed);
            dense.add(element.array(), 0, 8, sparseMax);
            sparse.add(element.array(), 0, 8, sparseMax);
            if (j != checkpoint) {
                continue;
            }
            if (j < sparseMax / 2 && sparse.encoding() != HyperLogLog.SPARSE) {
                throw new CommandError("ERR TESTFAILED sparse encoding not used");
            }
            long denseCount = dense.count(dense.array(), 0, dense.length());
            if (denseCount != sparse.count(sparse.array(), 0, sparse.length())) {
                throw new CommandError("ERR TESTFAILED dense/sparse disagree");
            }
            long maxError = j == 10 ? 1 : (long) Math.ceil(relativeError * 6 * checkpoint);
            long error = Math.abs(checkpoint - denseCount);
            if (error > maxError) {
                throw new CommandError("ERR TESTFAILED Too big error. card:" + checkpoint + " abserr:" + error);
            }
            checkpoint *= 10;
        }
        c.reply().ok();
    }
}
