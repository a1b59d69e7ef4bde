package io.nuthatch.server.persistence;

import io.nuthatch.persistence.log.AppendOnlyLog;
import io.nuthatch.server.propagation.PropagatedUnit;
import io.nuthatch.server.propagation.WritePropagation;

/**
 * Turns each execution unit into records of the append-only log, as Redis 7.0 writes its AOF: a
 * unit of one record as that record, a unit of several between MULTI and EXEC (MULTI in the first
 * record's database, EXEC in the last one's), SELECT whenever the database changes (the log
 * writes those). Nothing is written to the file here: the records join the batch that
 * {@link Persistence} writes before the turn's replies leave.
 */
final class AppendOnlyLogWriter implements WritePropagation.UnitListener {
    private static final byte[] MULTI = {'M', 'U', 'L', 'T', 'I'};
    private static final byte[] EXEC = {'E', 'X', 'E', 'C'};

    private final AppendOnlyLog log;

    AppendOnlyLogWriter(AppendOnlyLog log) {
        this.log = log;
    }

    @Override
    public void unitPropagated(PropagatedUnit unit) {
        int records = unit.recordCount();
        boolean wrapped = unit.isWrapped();
        if (wrapped) {
            log.beginRecord(unit.database(0), 1);
            log.argument(MULTI, 0, MULTI.length);
        }
        for (int record = 0; record < records; record++) {
            int arguments = unit.argumentCount(record);
            log.beginRecord(unit.database(record), arguments);
            for (int argument = 0; argument < arguments; argument++) {
                log.argument(unit.array(record, argument), unit.argumentOffset(record, argument),
                        unit.argumentLength(record, argument));
            }
        }
        if (wrapped) {
            log.beginRecord(unit.database(records - 1), 1);
            log.argument(EXEC, 0, EXEC.length);
        }
        log.endUnit(unit.logOffset());
    }
}
