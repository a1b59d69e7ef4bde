package io.nuthatch.server.command.pubsub;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.Subscriptions;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.keyspace.GlobPattern;
import io.nuthatch.server.pubsub.ChannelName;
import io.nuthatch.server.pubsub.PubSub;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH and
 * PUBSUB, as a non-cluster Redis 7.0 runs them (shard channels are plain channels of their own).
 *
 * <p>Each subscription and unsubscription is confirmed by a message of its own, a push in RESP3,
 * carrying the count of subscriptions left: channels and patterns together, shard channels on their
 * own. A RESP2 client with any subscription is in subscriber mode, where only the commands of
 * {@link #allowedInSubscriberMode} run.
 */
public final class PubSubCommands {
    private static final Set<String> SUBSCRIBER_MODE_COMMANDS = Set.of(
            "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe",
            "quit", "reset");

    private static final String[] HELP = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    };

    private PubSubCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("subscribe", "Listens for messages published to the channels given.", "O(N) where N is the"
                + " number of channels to subscribe to.", c -> subscribe(c, PubSub.Kind.CHANNEL));
        table.command("psubscribe", "Listens for messages published to the channels matching the patterns given.",
                "O(N) where N is the number of patterns to subscribe to.", c -> subscribe(c, PubSub.Kind.PATTERN));
        table.command("ssubscribe", "Listens for messages published to the shard channels given.", "O(N) where N is"
                + " the number of shard channels to subscribe to.", c -> subscribe(c, PubSub.Kind.SHARD));
        table.command("unsubscribe", "Stops listening to the channels given, or to every channel.", "O(N) where N is"
                + " the number of channels to unsubscribe.", c -> unsubscribe(c, PubSub.Kind.CHANNEL));
        table.command("punsubscribe", "Stops listening to the patterns given, or to every pattern.", "O(N) where N is"
                + " the number of patterns to unsubscribe.", c -> unsubscribe(c, PubSub.Kind.PATTERN));
        table.command("sunsubscribe", "Stops listening to the shard channels given, or to every shard channel.",
                "O(N) where N is the number of shard channels to unsubscribe.", c -> unsubscribe(c, PubSub.Kind.SHARD));
        table.command("publish", "Sends a message to the subscribers of a channel and of the patterns matching it.",
                "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total"
                        + " number of subscribed patterns (by any client).", PubSubCommands::publish);
        table.command("spublish", "Sends a message to the subscribers of a shard channel.", "O(N) where N is the"
                + " number of clients subscribed to the receiving shard channel.", PubSubCommands::publishToShard);
        table.subcommand("pubsub", "channels", "Lists the channels that have subscribers, optionally those matching"
                + " a pattern.", "O(N) where N is the number of active channels, and assuming constant time pattern"
                + " matching (relatively short channels and patterns)", c -> channels(c, PubSub.Kind.CHANNEL));
        table.subcommand("pubsub", "shardchannels", "Lists the shard channels that have subscribers, optionally"
                + " those matching a pattern.", "O(N) where N is the number of active shard channels, and assuming"
                + " constant time pattern matching (relatively short shard channels).",
                c -> channels(c, PubSub.Kind.SHARD));
        table.subcommand("pubsub", "numsub", "Counts the subscribers of each channel given, patterns not counted.",
                "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
                c -> subscriberCounts(c, PubSub.Kind.CHANNEL));
        table.subcommand("pubsub", "shardnumsub", "Counts the subscribers of each shard channel given.",
                "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
                c -> subscriberCounts(c, PubSub.Kind.SHARD));
        table.subcommand("pubsub", "numpat", "Counts the patterns that have subscribers.", "O(1)",
                c -> c.reply().integer(c.engine().pubsub().count(PubSub.Kind.PATTERN)));
        table.subcommand("pubsub", "help", "Describes the PUBSUB subcommands.", "O(1)", PubSubCommands::help);
    }

    /** Whether a RESP2 client in subscriber mode may run the command (Redis's error otherwise). */
    public static boolean allowedInSubscriberMode(CommandSpec command) {
        return SUBSCRIBER_MODE_COMMANDS.contains(command.name());
    }

    /** The error of a command a RESP2 subscriber may not run. */
    public static CommandError notAllowedInSubscriberMode(CommandSpec command) {
        return new CommandError("ERR Can't execute '" + command.name() + "': only (P|S)SUBSCRIBE /"
                + " (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
    }

    private static void subscribe(CommandContext c, PubSub.Kind kind) {
        PubSub pubsub = c.engine().pubsub();
        RequestArguments arguments = c.arguments();
        ClientSession client = c.client();
        for (int i = 1; i < arguments.count(); i++) {
            pubsub.subscribe(client, kind, arguments.array(i), arguments.offset(i), arguments.length(i));
            confirm(c.reply(), PubSub.subscribedWord(kind), arguments.array(i), arguments.offset(i),
                    arguments.length(i), remaining(client, kind));
        }
    }

    /** With names, each is confirmed whether or not the client had it; without, every name the client has. */
    private static void unsubscribe(CommandContext c, PubSub.Kind kind) {
        PubSub pubsub = c.engine().pubsub();
        RequestArguments arguments = c.arguments();
        ClientSession client = c.client();
        byte[] word = PubSub.unsubscribedWord(kind);
        if (arguments.count() > 1) {
            for (int i = 1; i < arguments.count(); i++) {
                pubsub.unsubscribe(client, kind, arguments.array(i), arguments.offset(i), arguments.length(i));
                confirm(c.reply(), word, arguments.array(i), arguments.offset(i), arguments.length(i),
                        remaining(client, kind));
            }
            return;
        }
        Subscriptions subscriptions = client.subscriptions();
        List<ChannelName> names = subscriptions == null
                ? List.of() : new ArrayList<>(PubSub.names(subscriptions, kind));
        if (names.isEmpty()) {
            c.reply().pushHeader(3);
            c.reply().bulk(word);
            c.reply().nullBulk();
            c.reply().integer(remaining(client, kind));
            return;
        }
        for (ChannelName name : names) {
            byte[] bytes = name.bytes();
            pubsub.unsubscribe(client, kind, bytes, 0, bytes.length);
            confirm(c.reply(), word, bytes, 0, bytes.length, remaining(client, kind));
        }
    }

    private static void confirm(ReplyWriter reply, byte[] word, byte[] name, int offset, int length, int count) {
        reply.pushHeader(3);
        reply.bulk(word);
        reply.bulk(name, offset, length);
        reply.integer(count);
    }

    private static int remaining(ClientSession client, PubSub.Kind kind) {
        Subscriptions subscriptions = client.subscriptions();
        if (subscriptions == null) {
            return 0;
        }
        return kind == PubSub.Kind.SHARD ? subscriptions.shardCount() : subscriptions.count();
    }

    private static void publish(CommandContext c) {
        RequestArguments arguments = c.arguments();
        c.reply().integer(c.engine().pubsub().publish(arguments.array(1), arguments.offset(1), arguments.length(1),
                arguments.array(2), arguments.offset(2), arguments.length(2)));
    }

    private static void publishToShard(CommandContext c) {
        RequestArguments arguments = c.arguments();
        c.reply().integer(c.engine().pubsub().publishToShard(arguments.array(1), arguments.offset(1),
                arguments.length(1), arguments.array(2), arguments.offset(2), arguments.length(2)));
    }

    /** PUBSUB CHANNELS [pattern], PUBSUB SHARDCHANNELS [pattern]. */
    private static void channels(CommandContext c, PubSub.Kind kind) {
        if (c.argumentCount() > 3) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                    + c.argumentText(1) + "'. Try PUBSUB HELP.");
        }
        byte[] pattern = c.argumentCount() == 3 ? c.copyArgument(2) : null;
        List<byte[]> matching = new ArrayList<>();
        for (ChannelName name : c.engine().pubsub().active(kind)) {
            if (pattern == null || GlobPattern.matches(pattern, name.bytes())) {
                matching.add(name.bytes());
            }
        }
        c.reply().arrayHeader(matching.size());
        for (byte[] name : matching) {
            c.reply().bulk(name);
        }
    }

    /** PUBSUB NUMSUB [channel ...], PUBSUB SHARDNUMSUB [channel ...]: name, count, name, count ... */
    private static void subscriberCounts(CommandContext c, PubSub.Kind kind) {
        RequestArguments arguments = c.arguments();
        PubSub pubsub = c.engine().pubsub();
        c.reply().arrayHeader((arguments.count() - 2) * 2L);
        for (int i = 2; i < arguments.count(); i++) {
            c.reply().bulk(arguments.array(i), arguments.offset(i), arguments.length(i));
            c.reply().integer(pubsub.subscriberCount(kind, arguments.array(i), arguments.offset(i), arguments.length(i)));
        }
    }

    private static void help(CommandContext c) {
        c.reply().arrayHeader(HELP.length);
        for (String line : HELP) {
            c.reply().simpleString(line);
        }
    }
}
