package io.nuthatch.server.command.server;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.TrackingMode;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CLIENT TRACKING, CLIENT CACHING, CLIENT GETREDIR and CLIENT TRACKINGINFO: the options of
 * client-side caching, checked in Redis 7.0's order with its error texts. What tracking does is
 * {@link io.nuthatch.server.tracking.ClientTracking}'s.
 */
public final class TrackingCommands {
    private static final byte[] ON = CommandContext.keyword("ON");
    private static final byte[] OFF = CommandContext.keyword("OFF");
    private static final byte[] REDIRECT = CommandContext.keyword("REDIRECT");
    private static final byte[] BCAST = CommandContext.keyword("BCAST");
    private static final byte[] OPTIN = CommandContext.keyword("OPTIN");
    private static final byte[] OPTOUT = CommandContext.keyword("OPTOUT");
    private static final byte[] NOLOOP = CommandContext.keyword("NOLOOP");
    private static final byte[] PREFIX = CommandContext.keyword("PREFIX");
    private static final byte[] YES = CommandContext.keyword("YES");
    private static final byte[] NO = CommandContext.keyword("NO");

    private static final CommandError SINGLE_REDIRECT =
            new CommandError("ERR A client can only redirect to a single other client");
    private static final CommandError NO_SUCH_REDIRECT =
            new CommandError("ERR The client ID you want redirect to does not exist");
    private static final CommandError PREFIX_NEEDS_BCAST =
            new CommandError("ERR PREFIX option requires BCAST mode to be enabled");
    private static final CommandError BCAST_SWITCH = new CommandError("ERR You can't switch BCAST mode on/off before"
            + " disabling tracking for this client, and then re-enabling it with a different mode.");
    private static final CommandError OPT_WITH_BCAST = new CommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
    private static final CommandError OPTIN_AND_OPTOUT =
            new CommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
    private static final CommandError OPT_SWITCH = new CommandError("ERR You can't switch OPTIN/OPTOUT mode before"
            + " disabling tracking for this client, and then re-enabling it with a different mode.");
    private static final CommandError CACHING_NOT_TRACKING = new CommandError("ERR CLIENT CACHING can be called only"
            + " when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
    private static final CommandError CACHING_YES_NOT_OPTIN =
            new CommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
    private static final CommandError CACHING_NO_NOT_OPTOUT =
            new CommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");

    private TrackingCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.subcommand("client", "tracking", "Turns client-side caching's invalidation messages on or off for the"
                + " connection.", "O(1). Some options may introduce additional complexity.", TrackingCommands::tracking);
        table.subcommand("client", "caching", "Says whether the next command's keys are to be tracked, in OPTIN or"
                + " OPTOUT mode.", "O(1)", TrackingCommands::caching);
        table.subcommand("client", "getredir", "Returns the id of the client invalidations are redirected to.", "O(1)",
                TrackingCommands::getRedirect);
        table.subcommand("client", "trackinginfo", "Describes the connection's client-side caching.", "O(1)",
                TrackingCommands::trackingInfo);
    }

    static void tracking(CommandContext c) {
        long redirect = 0;
        boolean broadcast = false;
        boolean optIn = false;
        boolean optOut = false;
        boolean noLoop = false;
        List<byte[]> prefixes = new ArrayList<>();
        int count = c.argumentCount();
        for (int i = 3; i < count; i++) {
            boolean more = i + 1 < count;
            if (c.isKeyword(i, REDIRECT) && more) {
                i++;
                if (redirect != 0) {
                    throw SINGLE_REDIRECT;
                }
                redirect = c.longArgument(i);
                if (c.engine().clients().find(redirect) == null) {
                    throw NO_SUCH_REDIRECT;
                }
            } else if (c.isKeyword(i, BCAST)) {
                broadcast = true;
            } else if (c.isKeyword(i, OPTIN)) {
                optIn = true;
            } else if (c.isKeyword(i, OPTOUT)) {
                optOut = true;
            } else if (c.isKeyword(i, NOLOOP)) {
                noLoop = true;
            } else if (c.isKeyword(i, PREFIX) && more) {
                i++;
                prefixes.add(c.copyArgument(i));
            } else {
                throw Errors.SYNTAX;
            }
        }
        ClientSession client = c.client();
        if (c.isKeyword(2, ON)) {
            checkOptions(client.tracking(), broadcast, optIn, optOut, prefixes);
            c.engine().tracking().enable(client, redirect, broadcast, optIn, optOut, noLoop, prefixes);
        } else if (c.isKeyword(2, OFF)) {
            c.engine().tracking().disable(client);
        } else {
            throw Errors.SYNTAX;
        }
        c.reply().ok();
    }

    /** Redis's checks of CLIENT TRACKING ON, in its order: against each other, then against the current mode. */
    private static void checkOptions(TrackingMode current, boolean broadcast, boolean optIn, boolean optOut,
                                     List<byte[]> prefixes) {
        if (!broadcast && !prefixes.isEmpty()) {
            throw PREFIX_NEEDS_BCAST;
        }
        if (current != null && current.broadcast() != broadcast) {
            throw BCAST_SWITCH;
        }
        if (broadcast && (optIn || optOut)) {
            throw OPT_WITH_BCAST;
        }
        if (optIn && optOut) {
            throw OPTIN_AND_OPTOUT;
        }
        if (current != null && ((optIn && current.optOut()) || (optOut && current.optIn()))) {
            throw OPT_SWITCH;
        }
        if (broadcast) {
            checkPrefixOverlaps(current, prefixes);
        }
    }

    /**
     * Prefixes of one client must not overlap (one a prefix of the other, the empty one overlapping
     * everything), neither with those it registered before nor among themselves. Redis 7.0.15
     * replies this error and then, for an overlap among the new prefixes found past the first one,
     * registers them anyway and replies OK too (two replies to one command, fixed in 7.2); here the
     * error is the only reply and nothing is registered.
     */
    private static void checkPrefixOverlaps(TrackingMode current, List<byte[]> prefixes) {
        for (int i = 0; i < prefixes.size(); i++) {
            byte[] prefix = prefixes.get(i);
            if (current != null) {
                for (byte[] existing : current.prefixes()) {
                    if (overlap(prefix, existing)) {
                        throw new CommandError("ERR Prefix '" + text(prefix) + "' overlaps with an existing prefix '"
                                + text(existing) + "'. Prefixes for a single client must not overlap.");
                    }
                }
            }
            for (int j = i + 1; j < prefixes.size(); j++) {
                if (overlap(prefix, prefixes.get(j))) {
                    throw new CommandError("ERR Prefix '" + text(prefix) + "' overlaps with another provided prefix '"
                            + text(prefixes.get(j)) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
    }

    private static boolean overlap(byte[] first, byte[] second) {
        int common = Math.min(first.length, second.length);
        return Arrays.equals(first, 0, common, second, 0, common);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static void caching(CommandContext c) {
        TrackingMode mode = c.client().tracking();
        if (mode == null) {
            throw CACHING_NOT_TRACKING;
        }
        if (c.isKeyword(2, YES)) {
            if (!mode.optIn()) {
                throw CACHING_YES_NOT_OPTIN;
            }
        } else if (c.isKeyword(2, NO)) {
            if (!mode.optOut()) {
                throw CACHING_NO_NOT_OPTOUT;
            }
        } else {
            throw Errors.SYNTAX;
        }
        mode.caching(true);
        c.reply().ok();
    }

    static void getRedirect(CommandContext c) {
        TrackingMode mode = c.client().tracking();
        c.reply().integer(mode == null ? -1 : mode.redirect());
    }

    static void trackingInfo(CommandContext c) {
        TrackingMode mode = c.client().tracking();
        ReplyWriter reply = c.reply();
        reply.mapHeader(3);
        reply.bulk("flags");
        List<String> flags = mode == null ? List.of("off") : mode.flagWords();
        reply.setHeader(flags.size());
        for (String flag : flags) {
            reply.bulk(flag);
        }
        reply.bulk("redirect");
        reply.integer(mode == null ? -1 : mode.redirect());
        reply.bulk("prefixes");
        if (mode == null) {
            reply.arrayHeader(0);
            return;
        }
        reply.arrayHeader(mode.prefixes().size());
        for (byte[] prefix : mode.prefixes()) {
            reply.bulk(prefix);
        }
    }
}
