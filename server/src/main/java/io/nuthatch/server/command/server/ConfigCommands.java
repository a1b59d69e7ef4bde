package io.nuthatch.server.command.server;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.config.ConfigDirective;
import io.nuthatch.server.config.ConfigRewrite;
import io.nuthatch.server.config.ConfigUpdate;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.config.SystemErrors;
import io.nuthatch.server.keyspace.GlobPattern;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CONFIG GET, SET, RESETSTAT, REWRITE and HELP. The rules of the configuration itself live in the
 * config package; this family parses the requests and writes the replies.
 */
public final class ConfigCommands {
    private static final String[] HELP = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    };

    private ConfigCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.subcommand("config", "get", "Returns the configuration directives whose names match the patterns,"
                + " with their values.", "O(N) when N is the number of configuration parameters provided",
                ConfigCommands::get);
        table.subcommand("config", "set", "Sets configuration directives, all of them or none.",
                "O(N) when N is the number of configuration parameters provided", ConfigCommands::set);
        table.subcommand("config", "resetstat", "Resets the statistics INFO reports.", "O(1)",
                ConfigCommands::resetStat);
        table.subcommand("config", "rewrite", "Writes the running configuration back into the config file.",
                "O(1)", ConfigCommands::rewrite);
        table.subcommand("config", "help", "Describes the CONFIG subcommands.", "O(1)", ConfigCommands::help);
    }

    /**
     * CONFIG GET pattern [pattern ...]. A name without * ? [ is looked up, aliases included, and
     * answered under the name as given; a pattern matches every name and alias but the hidden
     * directives. A directive appears once per name it was matched under.
     */
    static void get(CommandContext c) {
        ServerConfig config = c.engine().config();
        Map<String, Match> matches = new LinkedHashMap<>();
        for (int i = 2; i < c.argumentCount(); i++) {
            String name = c.argumentText(i);
            if (!isPattern(name)) {
                ConfigDirective directive = config.find(name);
                if (directive != null) {
                    matches.putIfAbsent(name.toLowerCase(Locale.ROOT), new Match(name, directive));
                }
                continue;
            }
            byte[] pattern = c.copyArgument(i);
            for (ConfigDirective directive : config.directives()) {
                if (directive.isHidden()) {
                    continue;
                }
                addIfMatching(matches, pattern, directive.name(), directive);
                if (directive.alias() != null) {
                    addIfMatching(matches, pattern, directive.alias(), directive);
                }
            }
        }
        ReplyWriter reply = c.reply();
        reply.mapHeader(matches.size());
        for (Match match : matches.values()) {
            reply.bulk(match.shownName().getBytes(StandardCharsets.ISO_8859_1));
            reply.bulk(match.directive().get().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private record Match(String shownName, ConfigDirective directive) {
    }

    private static void addIfMatching(Map<String, Match> matches, byte[] pattern, String name, ConfigDirective directive) {
        if (matches.containsKey(name)) {
            return;
        }
        byte[] subject = name.getBytes(StandardCharsets.ISO_8859_1);
        if (GlobPattern.matches(pattern, subject, 0, subject.length, true)) {
            matches.put(name, new Match(name, directive));
        }
    }

    private static boolean isPattern(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
    }

    /** CONFIG SET name value [name value ...] */
    static void set(CommandContext c) {
        if (c.argumentCount() % 2 != 0) {
            throw Errors.SYNTAX;
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 2; i < c.argumentCount(); i += 2) {
            names.add(c.argumentText(i));
            values.add(c.argumentText(i + 1));
        }
        String protectedSetting = c.engine().config().general.enableProtectedConfigs.value();
        boolean protectedAllowed = protectedSetting.equals("yes")
                || (protectedSetting.equals("local") && c.client().transport().isLocal());
        String error = ConfigUpdate.set(c.engine().config(), names, values, protectedAllowed, c.engine().log()::warning);
        if (error != null) {
            throw new CommandError(error);
        }
        c.reply().ok();
    }

    /** CONFIG RESETSTAT: the counters of INFO stats, commandstats and errorstats. */
    static void resetStat(CommandContext c) {
        c.engine().stats().reset();
        for (CommandSpec command : c.engine().commands().commands()) {
            command.stats().reset();
            for (CommandSpec subcommand : command.subcommands().values()) {
                subcommand.stats().reset();
            }
        }
        c.reply().ok();
    }

    /** CONFIG REWRITE */
    static void rewrite(CommandContext c) {
        ServerConfig config = c.engine().config();
        if (config.configFile() == null) {
            throw new CommandError("ERR The server is running without a config file");
        }
        try {
            ConfigRewrite.rewrite(config, config.configFile());
        } catch (IOException e) {
            String reason = SystemErrors.describe(e);
            c.engine().log().warning("CONFIG REWRITE failed: " + reason);
            throw new CommandError("ERR Rewriting config file: " + reason);
        }
        c.engine().log().warning("CONFIG REWRITE executed with success.");
        c.reply().ok();
    }

    static void help(CommandContext c) {
        c.reply().arrayHeader(HELP.length);
        for (String line : HELP) {
            c.reply().simpleString(line);
        }
    }
}
