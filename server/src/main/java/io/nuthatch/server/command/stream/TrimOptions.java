package io.nuthatch.server.command.stream;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.type.stream.StreamId;
import io.nuthatch.server.type.stream.StreamValue;

/**
 * The options XADD and XTRIM share (Redis's streamParseAddOrTrimArgsOrReply): MAXLEN or MINID,
 * each with {@code =} or {@code ~}, LIMIT, and for XADD NOMKSTREAM and the ID, after which the
 * field-value pairs start. Parsed into this reusable object, one command at a time.
 *
 * <p>LIMIT bounds how many entries approximate trimming may remove; it needs {@code ~}, and
 * without it approximate trimming stops after 100 times stream-node-max-entries (at least 10000,
 * at most a million, as Redis caps it). Exact trimming has no limit.
 */
final class TrimOptions {
    private static final byte[] MAXLEN = CommandContext.keyword("MAXLEN");
    private static final byte[] MINID = CommandContext.keyword("MINID");
    private static final byte[] LIMIT = CommandContext.keyword("LIMIT");
    private static final byte[] NOMKSTREAM = CommandContext.keyword("NOMKSTREAM");

    private static final CommandError BOTH_STRATEGIES = new CommandError(
            "ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
    private static final CommandError NEGATIVE_MAXLEN = new CommandError("ERR The MAXLEN argument must be >= 0.");
    private static final CommandError NEGATIVE_LIMIT = new CommandError("ERR The LIMIT argument must be >= 0.");
    private static final CommandError LIMIT_WITHOUT_STRATEGY = new CommandError(
            "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    private static final CommandError XTRIM_WITHOUT_STRATEGY = new CommandError(
            "ERR syntax error, XTRIM must be called with a trimming strategy");
    private static final CommandError LIMIT_WITHOUT_APPROXIMATION = new CommandError(
            "ERR syntax error, LIMIT cannot be used without the special ~ option");

    enum Strategy { NONE, MAXLEN, MINID }

    Strategy strategy;
    boolean approximate;
    long maxLength;
    final StreamId minId = new StreamId();
    long limit;
    /** Index of the MAXLEN count or MINID ID, which propagation may rewrite; the mark is just before it. */
    int strategyArgument;
    boolean noMakeStream;
    /** XADD: an ID was given rather than {@code *}, and whether its sequence was ({@code ms-*} not). */
    boolean idGiven;
    boolean sequenceGiven;
    final StreamId id = new StreamId();
    /** XADD: index of the ID argument ({@code *} or given); XTRIM: the argument count. */
    int idArgument;

    /** Parses from argument 2 on; for XADD, stops at the ID. */
    void parse(CommandContext c, boolean xadd) {
        strategy = Strategy.NONE;
        approximate = false;
        maxLength = 0;
        minId.set(0, 0);
        limit = 0;
        strategyArgument = 0;
        noMakeStream = false;
        idGiven = false;
        sequenceGiven = false;
        id.set(0, 0);
        boolean limitGiven = false;
        int count = c.argumentCount();
        int i = 2;
        for (; i < count; i++) {
            int more = count - 1 - i;
            if (xadd && c.arguments().length(i) == 1 && c.arguments().byteAt(i, 0) == '*') {
                break;
            } else if (c.isKeyword(i, MAXLEN) && more > 0) {
                requireNoStrategy();
                i = readMark(c, i, more);
                maxLength = c.longArgument(i + 1);
                if (maxLength < 0) {
                    throw NEGATIVE_MAXLEN;
                }
                i++;
                strategy = Strategy.MAXLEN;
                strategyArgument = i;
            } else if (c.isKeyword(i, MINID) && more > 0) {
                requireNoStrategy();
                i = readMark(c, i, more);
                StreamIdArguments.parseStrict(c, i + 1, minId, 0);
                i++;
                strategy = Strategy.MINID;
                strategyArgument = i;
            } else if (c.isKeyword(i, LIMIT) && more > 0) {
                limit = c.longArgument(i + 1);
                if (limit < 0) {
                    throw NEGATIVE_LIMIT;
                }
                limitGiven = true;
                i++;
            } else if (xadd && c.isKeyword(i, NOMKSTREAM)) {
                noMakeStream = true;
            } else if (xadd) {
                sequenceGiven = StreamIdArguments.parseForAdd(c, i, id);
                idGiven = true;
                break;
            } else {
                throw Errors.SYNTAX;
            }
        }
        idArgument = i;
        if (limit != 0 && strategy == Strategy.NONE) {
            throw LIMIT_WITHOUT_STRATEGY;
        }
        if (!xadd && strategy == Strategy.NONE) {
            throw XTRIM_WITHOUT_STRATEGY;
        }
        if (limitGiven) {
            if (!approximate) {
                throw LIMIT_WITHOUT_APPROXIMATION;
            }
        } else if (approximate) {
            limit = 100 * c.config().encoding.streamNodeMaxEntries.value();
            if (limit <= 0) {
                limit = 10000;
            }
            if (limit > 1000000) {
                limit = 1000000;
            }
        } else {
            limit = 0;
        }
    }

    private void requireNoStrategy() {
        if (strategy != Strategy.NONE) {
            throw BOTH_STRATEGIES;
        }
    }

    /** An optional {@code ~} or {@code =} after MAXLEN or MINID; returns the index before the value. */
    private int readMark(CommandContext c, int keyword, int more) {
        approximate = false;
        int next = keyword + 1;
        // Read as Redis reads it, as a C string: "~" and "~\0..." alike.
        int length = c.arguments().length(next);
        if (more >= 2 && length >= 1 && (length == 1 || c.arguments().byteAt(next, 1) == 0)) {
            byte mark = c.arguments().byteAt(next, 0);
            if (mark == '~') {
                approximate = true;
                return next;
            }
            if (mark == '=') {
                return next;
            }
        }
        return keyword;
    }

    /** Trims the stream as the options say (or only counts, with {@code dryRun}); returns the entries removed. */
    long trim(StreamValue stream, boolean dryRun) {
        return switch (strategy) {
            case MAXLEN -> stream.trimToLength(maxLength, approximate, limit, dryRun);
            case MINID -> stream.trimBefore(minId.ms, minId.seq, approximate, limit, dryRun);
            case NONE -> 0;
        };
    }
}
