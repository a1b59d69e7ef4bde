package io.nuthatch.server.command.key;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.GlobPattern;

/**
 * The options of the SCAN commands of collections (SSCAN, HSCAN, ZSCAN): {@code [MATCH pattern]
 * [COUNT count]} after the key and the cursor, read as Redis 7.0's scanGenericCommand reads them
 * (a COUNT under 1 is a syntax error, a later option overrides an earlier one, TYPE belongs to
 * SCAN alone), and the MATCH filter. A family reads the options only once it knows the key holds
 * a value of its type: Redis answers an empty scan for a missing key whatever the options say.
 */
public final class CollectionScan {
    private static final byte[] MATCH = CommandContext.keyword("MATCH");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");
    private static final long DEFAULT_COUNT = 10;

    /** COUNT: how many elements a call gathers before it stops walking the table (a hint). */
    public final long count;
    private final byte[] pattern;

    private CollectionScan(long count, byte[] pattern) {
        this.count = count;
        this.pattern = pattern;
    }

    /** The cursor argument (argument 2), read as SCAN reads it. @throws io.nuthatch.server.command.CommandError invalid cursor */
    public static long cursor(CommandContext c) {
        return ScanCommands.parseCursor(c.arguments(), 2);
    }

    /** The options from argument 3 on. */
    public static CollectionScan options(CommandContext c) {
        long count = DEFAULT_COUNT;
        byte[] pattern = null;
        int arguments = c.argumentCount();
        for (int i = 3; i < arguments; i += 2) {
            boolean hasValue = i + 1 < arguments;
            if (hasValue && c.isKeyword(i, COUNT)) {
                count = c.longArgument(i + 1);
                if (count < 1) {
                    throw Errors.SYNTAX;
                }
            } else if (hasValue && c.isKeyword(i, MATCH)) {
                pattern = c.copyArgument(i + 1);
                if (GlobPattern.matchesEverything(pattern)) {
                    pattern = null;
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        return new CollectionScan(count, pattern);
    }

    /** Whether an element (a member, or a hash's field) passes MATCH. */
    public boolean matches(byte[] element, int offset, int length) {
        return pattern == null || GlobPattern.matches(pattern, element, offset, length, false);
    }

    public boolean matches(byte[] element) {
        return matches(element, 0, element.length);
    }
}
