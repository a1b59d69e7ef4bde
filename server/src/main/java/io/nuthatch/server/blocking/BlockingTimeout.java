package io.nuthatch.server.blocking;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.type.LongDouble;
import io.nuthatch.server.type.NumericStrings;

/**
 * The timeout argument of the blocking commands, read as Redis 7.0 reads it, as a wait in
 * milliseconds from now: 0 waits forever.
 *
 * <p>Seconds (BLPOP, BLMOVE, BZPOPMIN ...) are a C long double: "0.001" is 1 ms, a fraction of a
 * millisecond rounds up (0.0001 waits 1 ms, not forever), while a negative fraction of one
 * ("-0.0001") rounds up to 0 and waits forever. The conversion to milliseconds is x86's, so a
 * value too large for a 64-bit integer ("inf", "1e30") becomes negative and is refused as such;
 * redis-server 7.0.15 answers the same. Milliseconds (XREAD and XREADGROUP BLOCK) are an integer.
 *
 * <p>A wait that would end beyond what a nanosecond clock can express (about 290 years) waits
 * forever, as it does in Redis, where the deadline overflows.
 */
public final class BlockingTimeout {
    public static final CommandError NOT_A_FLOAT = new CommandError("ERR timeout is not a float or out of range");
    public static final CommandError NOT_AN_INTEGER = new CommandError("ERR timeout is not an integer or out of range");
    public static final CommandError NEGATIVE = new CommandError("ERR timeout is negative");

    /** Waits longer than this are forever: Netty's deadlines are nanoseconds on a long. */
    private static final long FOREVER_BEYOND_MILLIS = Long.MAX_VALUE / 1_000_000 / 2;

    private BlockingTimeout() {
    }

    /**
     * A timeout in seconds, argument {@code index}, as milliseconds to wait (0: forever).
     *
     * @throws CommandError "timeout is not a float or out of range", "timeout is negative"
     */
    public static long seconds(CommandContext c, int index) {
        RequestArguments arguments = c.arguments();
        LongDouble seconds;
        try {
            seconds = LongDouble.parse(arguments.array(index), arguments.offset(index), arguments.length(index));
        } catch (NumberFormatException notAFloat) {
            throw NOT_A_FLOAT;
        }
        return checked(seconds.ceilingOfProduct(1000));
    }

    /**
     * A timeout in milliseconds, argument {@code index} (XREAD BLOCK), as milliseconds to wait (0: forever).
     *
     * @throws CommandError "timeout is not an integer or out of range", "timeout is negative"
     */
    public static long milliseconds(CommandContext c, int index) {
        RequestArguments arguments = c.arguments();
        long millis;
        try {
            millis = NumericStrings.parseLong(arguments.array(index), arguments.offset(index), arguments.length(index));
        } catch (NumberFormatException notAnInteger) {
            throw NOT_AN_INTEGER;
        }
        return checked(millis);
    }

    private static long checked(long millis) {
        if (millis < 0) {
            throw NEGATIVE;
        }
        return millis > FOREVER_BEYOND_MILLIS ? 0 : millis;
    }
}
