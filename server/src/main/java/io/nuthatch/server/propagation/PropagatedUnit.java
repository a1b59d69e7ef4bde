package io.nuthatch.server.propagation;

import java.util.Arrays;

/**
 * What one execution unit (a command, later a MULTI/EXEC block or a script) wrote, as it is
 * propagated: its records, each a command in deterministic form with the database it applies to,
 * and the unit's log offset.
 *
 * <p>One instance is reused for every unit, so a listener sees it only during
 * {@link WritePropagation.UnitListener#unitPropagated} and copies what it keeps. An argument is a
 * byte range: {@link #array}, {@link #argumentOffset}, {@link #argumentLength}. The range may lie in
 * the request's own buffer (a command propagated as it was sent), in an array a command built for
 * its rewritten form, or in this unit's arena (copies of arguments that would not live as long as
 * the unit).
 *
 * <p>How Redis 7.0 writes a unit, which the append-only log and replication must reproduce: a unit
 * of one record is written as that record; a unit of several is wrapped in MULTI ... EXEC
 * ({@link #isWrapped()}), MULTI in the database of the first record and EXEC in that of the last, a
 * SELECT written before any record whose database differs from the previous one. The exception is
 * a command that touches arbitrary keys run directly (SCAN, RANDOMKEY deleting the expired keys
 * they meet): its deletions are written one by one, unwrapped, like the active expiry's.
 */
public final class PropagatedUnit {
    /** An arena that grew past this for one unusual unit is dropped after it, not kept. */
    private static final int RETAINED_ARENA_LIMIT = 256 * 1024;
    private static final int INITIAL_ARENA = 256;

    private long logOffset;
    private boolean wrappable = true;

    private int records;
    private int[] recordDatabases = new int[4];
    /** Index of each record's first argument; the record ends where the next one starts. */
    private int[] recordStarts = new int[5];

    private int arguments;
    private byte[][] arrays = new byte[16][];
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];

    private byte[] arena = new byte[INITIAL_ARENA];
    private int arenaUsed;

    PropagatedUnit() {
    }

    /** The unit's position in the log: one more than the unit delivered before it. */
    public long logOffset() {
        return logOffset;
    }

    public int recordCount() {
        return records;
    }

    /** Whether the unit is written inside MULTI ... EXEC: several records, not a direct SCAN/RANDOMKEY. */
    public boolean isWrapped() {
        return records > 1 && wrappable;
    }

    /** The database record {@code record} applies to. */
    public int database(int record) {
        return recordDatabases[record];
    }

    /** Number of arguments of a record, the command name included. */
    public int argumentCount(int record) {
        return recordStarts[record + 1] - recordStarts[record];
    }

    public byte[] array(int record, int argument) {
        return arrays[recordStarts[record] + argument];
    }

    public int argumentOffset(int record, int argument) {
        return offsets[recordStarts[record] + argument];
    }

    public int argumentLength(int record, int argument) {
        return lengths[recordStarts[record] + argument];
    }

    /** A copy of one argument, to keep. */
    public byte[] copyArgument(int record, int argument) {
        int index = recordStarts[record] + argument;
        return Arrays.copyOfRange(arrays[index], offsets[index], offsets[index] + lengths[index]);
    }

    /** A copy of a whole record, to keep (tests, tools; a log writer encodes from the ranges instead). */
    public byte[][] copyRecord(int record) {
        byte[][] copy = new byte[argumentCount(record)][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = copyArgument(record, i);
        }
        return copy;
    }

    // ---------------------------------------------------------------- building, for WritePropagation

    void logOffset(long offset) {
        this.logOffset = offset;
    }

    void unwrapped() {
        this.wrappable = false;
    }

    void startRecord(int database) {
        if (records == recordDatabases.length) {
            // recordStarts keeps one more slot than recordDatabases: the end of the last record.
            recordDatabases = Arrays.copyOf(recordDatabases, recordDatabases.length * 2);
            recordStarts = Arrays.copyOf(recordStarts, recordDatabases.length + 1);
        }
        recordDatabases[records] = database;
        recordStarts[records] = arguments;
    }

    void endRecord() {
        records++;
        recordStarts[records] = arguments;
    }

    /** Adds an argument by reference: the range must stay unchanged until the unit is delivered. */
    void addView(byte[] array, int offset, int length) {
        if (arguments == arrays.length) {
            int capacity = arguments * 2;
            arrays = Arrays.copyOf(arrays, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
        }
        arrays[arguments] = array;
        offsets[arguments] = offset;
        lengths[arguments] = length;
        arguments++;
    }

    /** Adds a copy of an argument, in the arena. */
    void addCopy(byte[] array, int offset, int length) {
        if (arenaUsed + length > arena.length) {
            // Arguments already added keep pointing at the old arena, which is not written again.
            arena = new byte[Math.max(arena.length * 2, arenaUsed + length)];
            arenaUsed = 0;
        }
        System.arraycopy(array, offset, arena, arenaUsed, length);
        addView(arena, arenaUsed, length);
        arenaUsed += length;
    }

    /** Adds the decimal digits of a number, in the arena (an absolute time of a rewritten record). */
    void addNumber(long value) {
        int length = decimalLength(value);
        if (arenaUsed + length > arena.length) {
            arena = new byte[Math.max(arena.length * 2, length)];
            arenaUsed = 0;
        }
        // Digits from the last, on the negative side so that Long.MIN_VALUE needs no special case.
        long rest = value < 0 ? value : -value;
        int position = arenaUsed + length;
        do {
            long quotient = rest / 10;
            arena[--position] = (byte) ('0' + (quotient * 10 - rest));
            rest = quotient;
        } while (rest != 0);
        if (value < 0) {
            arena[--position] = '-';
        }
        addView(arena, arenaUsed, length);
        arenaUsed += length;
    }

    private static int decimalLength(long value) {
        int length = value < 0 ? 2 : 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            length++;
        }
        return length;
    }

    /** Appends this unit's records to {@code target}, as views, or as copies when {@code copy}. */
    void appendTo(PropagatedUnit target, int database, boolean copy) {
        for (int record = 0; record < records; record++) {
            target.startRecord(database);
            for (int index = recordStarts[record]; index < recordStarts[record + 1]; index++) {
                if (copy) {
                    target.addCopy(arrays[index], offsets[index], lengths[index]);
                } else {
                    target.addView(arrays[index], offsets[index], lengths[index]);
                }
            }
            target.endRecord();
        }
    }

    /** Forgets the records after the first {@code keep}; the arena they used is not reused until {@link #clear}. */
    void truncate(int keep) {
        if (keep < records) {
            Arrays.fill(arrays, recordStarts[keep], arguments, null);
            arguments = recordStarts[keep];
            records = keep;
        }
    }

    /** Forgets the records, keeping the arrays for the next unit. */
    void clear() {
        Arrays.fill(arrays, 0, arguments, null);
        arguments = 0;
        records = 0;
        recordStarts[0] = 0;
        wrappable = true;
        arenaUsed = 0;
        if (arena.length > RETAINED_ARENA_LIMIT) {
            arena = new byte[INITIAL_ARENA];
        }
    }
}
