package io.nuthatch.server.command.geo;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.type.DoubleStrings;
import io.nuthatch.server.type.geo.GeoHash;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * What the geo commands read and write alike: coordinates, distances and units from arguments,
 * and numbers printed as Redis prints them (distances with four decimals, coordinates as a long
 * double with seventeen).
 */
final class GeoArguments {
    static final CommandError UNKNOWN_UNIT = new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
    private static final byte[] METERS = CommandContext.keyword("M");
    private static final byte[] KILOMETERS = CommandContext.keyword("KM");
    private static final byte[] FEET = CommandContext.keyword("FT");
    private static final byte[] MILES = CommandContext.keyword("MI");

    private GeoArguments() {
    }

    /** A double as Redis's string2d reads it, with the error given when it is not one. */
    static double number(CommandContext c, int index, CommandError error) {
        try {
            return DoubleStrings.parseStrict(c.arguments().array(index), c.arguments().offset(index),
                    c.arguments().length(index));
        } catch (NumberFormatException notANumber) {
            throw error;
        }
    }

    /**
     * The longitude and latitude of arguments {@code index} and {@code index + 1}.
     *
     * @throws CommandError "value is not a valid float", or "invalid longitude,latitude pair"
     */
    static double[] coordinates(CommandContext c, int index) {
        double longitude = number(c, index, Errors.NOT_A_FLOAT);
        double latitude = number(c, index + 1, Errors.NOT_A_FLOAT);
        if (!GeoHash.isValid(longitude, latitude)) {
            throw new CommandError("ERR invalid longitude,latitude pair " + fixed6(longitude) + "," + fixed6(latitude));
        }
        return new double[] {longitude, latitude};
    }

    /** C's "%f": six decimals of the exact binary value. */
    private static String fixed6(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * Meters per unit of argument {@code index}: m, km, ft or mi, in any case.
     *
     * @throws CommandError "unsupported unit provided"
     */
    static double unit(CommandContext c, int index) {
        if (c.isKeyword(index, METERS)) {
            return 1;
        }
        if (c.isKeyword(index, KILOMETERS)) {
            return 1000;
        }
        if (c.isKeyword(index, FEET)) {
            return 0.3048;
        }
        if (c.isKeyword(index, MILES)) {
            return 1609.34;
        }
        throw UNKNOWN_UNIT;
    }

    /**
     * A distance as geo replies show it: four decimals, rounded as Redis 7.0.7 and later round it
     * (the value times 10^4, rounded to an integer, half to even): this differs from printf's "%.4f"
     * when the multiplication itself rounds across a half.
     */
    static void distance(ReplyWriter reply, double meters) {
        if (meters == 0) {
            reply.bulk(ZERO_DISTANCE);
            return;
        }
        long scaled = (long) Math.rint(meters * 10000.0);
        StringBuilder text = new StringBuilder(24);
        if (scaled < 0) {
            text.append('-');
            scaled = -scaled;
        }
        long fraction = scaled % 10000;
        text.append(scaled / 10000).append('.');
        for (long divisor = 1000; divisor > 0; divisor /= 10) {
            text.append((char) ('0' + fraction / divisor % 10));
        }
        reply.bulk(text.toString());
    }

    private static final byte[] ZERO_DISTANCE = "0.0000".getBytes(StandardCharsets.US_ASCII);

    /**
     * A coordinate as Redis replies it (addReplyHumanLongDouble): printf's "%.17Lf" of the value,
     * trailing zeros and point dropped; a RESP3 double, a bulk string in RESP2.
     */
    static void coordinate(ReplyWriter reply, double value) {
        String text = new BigDecimal(value).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = text.length();
        while (text.charAt(end - 1) == '0') {
            end--;
        }
        if (text.charAt(end - 1) == '.') {
            end--;
        }
        byte[] bytes = text.substring(0, end).getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 2 && bytes[0] == '-' && bytes[1] == '0') {
            bytes = new byte[] {'0'};
        }
        reply.doubleText(bytes, 0, bytes.length);
    }
}
