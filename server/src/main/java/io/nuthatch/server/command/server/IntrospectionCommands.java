package io.nuthatch.server.command.server;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.AclCategory;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandKeys;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.GlobPattern;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * COMMAND and its subcommands, answered from the command table: only the commands this server
 * runs, described with the facts of the command catalog (COMMAND INFO is Redis's, byte for byte)
 * and, for COMMAND DOCS, our own summaries and complexities.
 */
public final class IntrospectionCommands {
    private static final byte[] FILTERBY = CommandContext.keyword("FILTERBY");
    private static final byte[] MODULE = CommandContext.keyword("MODULE");
    private static final byte[] ACLCAT = CommandContext.keyword("ACLCAT");
    private static final byte[] PATTERN = CommandContext.keyword("PATTERN");

    private static final CommandError INVALID_COMMAND = new CommandError("ERR Invalid command specified");
    private static final CommandError NO_KEY_ARGUMENTS = new CommandError("ERR The command has no key arguments");
    private static final CommandError INVALID_ARGUMENT_COUNT =
            new CommandError("ERR Invalid number of arguments specified for command");
    private static final CommandError INVALID_ARGUMENTS = new CommandError("ERR Invalid arguments specified for command");

    /** Flags Redis acts on but leaves out of COMMAND INFO. */
    private static final Set<String> HIDDEN_FLAGS = Set.of("protected", "may_replicate", "sentinel", "only_sentinel");

    /** COMMAND HELP, as Redis 7.0 prints it. */
    private static final List<String> HELP = List.of(
            "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
            "HELP",
            "    Prints this help.");

    private IntrospectionCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("command", "Describes every command of the server, as COMMAND INFO does.",
                "O(N) where N is the total number of commands", IntrospectionCommands::all);
        table.subcommand("command", "count", "Returns the number of commands.", "O(1)", IntrospectionCommands::count);
        table.subcommand("command", "info", "Describes the commands named, or all: arity, flags, key positions,"
                + " ACL categories, key specs, subcommands.", "O(N) where N is the number of commands to look up",
                IntrospectionCommands::info);
        table.subcommand("command", "docs", "Documents the commands named, or all: summary, complexity, group,"
                + " arguments.", "O(N) where N is the number of commands to look up", IntrospectionCommands::docs);
        table.subcommand("command", "list", "Lists the names of the commands, optionally those of an ACL"
                + " category, a module or a name pattern.", "O(N) where N is the total number of commands",
                IntrospectionCommands::list);
        table.subcommand("command", "getkeys", "Returns the keys among the arguments of a full command.",
                "O(N) where N is the number of arguments to the command", IntrospectionCommands::getKeys);
        table.subcommand("command", "getkeysandflags", "Returns the keys among the arguments of a full command,"
                + " each with how the command uses it.", "O(N) where N is the number of arguments to the command",
                IntrospectionCommands::getKeysAndFlags);
        table.subcommand("command", "help", "Lists the COMMAND subcommands.", "O(1)", IntrospectionCommands::help);
    }

    static void all(CommandContext c) {
        List<CommandSpec> commands = c.engine().commands().callableCommands();
        c.reply().arrayHeader(commands.size());
        for (CommandSpec command : commands) {
            writeInfo(c.reply(), command);
        }
    }

    static void count(CommandContext c) {
        c.reply().integer(c.engine().commands().callableCommands().size());
    }

    static void info(CommandContext c) {
        if (c.argumentCount() == 2) {
            all(c);
            return;
        }
        c.reply().arrayHeader(c.argumentCount() - 2);
        for (int i = 2; i < c.argumentCount(); i++) {
            CommandSpec command = c.engine().commands().findCallable(c.argumentText(i));
            if (command == null) {
                c.reply().nullBulk();
            } else {
                writeInfo(c.reply(), command);
            }
        }
    }

    static void docs(CommandContext c) {
        ReplyWriter reply = c.reply();
        if (c.argumentCount() == 2) {
            List<CommandSpec> commands = c.engine().commands().callableCommands();
            reply.mapHeader(commands.size());
            for (CommandSpec command : commands) {
                reply.bulk(command.name());
                writeDocs(reply, command);
            }
            return;
        }
        List<CommandSpec> found = new ArrayList<>();
        for (int i = 2; i < c.argumentCount(); i++) {
            CommandSpec command = c.engine().commands().findCallable(c.argumentText(i));
            if (command != null) {
                found.add(command);
            }
        }
        reply.mapHeader(found.size());
        for (CommandSpec command : found) {
            reply.bulk(command.name());
            writeDocs(reply, command);
        }
    }

    /** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: subcommands included. */
    static void list(CommandContext c) {
        int count = c.argumentCount();
        List<String> names = new ArrayList<>();
        if (count == 2) {
            for (CommandSpec command : c.engine().commands().callableCommands()) {
                names.add(command.name());
                names.addAll(command.subcommands().values().stream().map(CommandSpec::name).toList());
            }
        } else if (count == 5 && c.isKeyword(2, FILTERBY)) {
            String argument = c.argumentText(4);
            if (c.isKeyword(3, MODULE)) {
                // No modules: no command belongs to one.
            } else if (c.isKeyword(3, ACLCAT)) {
                AclCategory category = categoryNamed(argument);
                collect(c, names, command -> category != null && command.inCategory(category));
            } else if (c.isKeyword(3, PATTERN)) {
                byte[] pattern = argument.getBytes(StandardCharsets.ISO_8859_1);
                collect(c, names, command -> {
                    byte[] name = command.name().getBytes(StandardCharsets.ISO_8859_1);
                    return GlobPattern.matches(pattern, name, 0, name.length, true);
                });
            } else {
                throw Errors.SYNTAX;
            }
        } else {
            throw Errors.SYNTAX;
        }
        c.reply().arrayHeader(names.size());
        for (String name : names) {
            c.reply().bulk(name);
        }
    }

    private static void collect(CommandContext c, List<String> names, Predicate<CommandSpec> test) {
        for (CommandSpec command : c.engine().commands().callableCommands()) {
            if (test.test(command)) {
                names.add(command.name());
            }
            for (CommandSpec subcommand : command.subcommands().values()) {
                if (test.test(subcommand)) {
                    names.add(subcommand.name());
                }
            }
        }
    }

    private static AclCategory categoryNamed(String name) {
        for (AclCategory category : AclCategory.values()) {
            if (category.categoryName().equalsIgnoreCase(name)) {
                return category;
            }
        }
        return null;
    }

    static void getKeys(CommandContext c) {
        writeKeys(c, false);
    }

    static void getKeysAndFlags(CommandContext c) {
        writeKeys(c, true);
    }

    /** COMMAND GETKEYS[ANDFLAGS] command arg...: the command is looked up as Redis runs it. */
    private static void writeKeys(CommandContext c, boolean withFlags) {
        CommandSpec command = lookup(c);
        if (command == null) {
            throw INVALID_COMMAND;
        }
        List<CommandKeys.KeyReference> keys = keysOf(command, c.arguments(), 2);
        ReplyWriter reply = c.reply();
        reply.arrayHeader(keys.size());
        for (CommandKeys.KeyReference key : keys) {
            int index = 2 + key.position();
            if (withFlags) {
                reply.arrayHeader(2);
            }
            reply.bulk(c.arguments().array(index), c.arguments().offset(index), c.arguments().length(index));
            if (withFlags) {
                statusSet(reply, key.flags());
            }
        }
    }

    /**
     * The keys of a command line ({@code arguments} from {@code base} on), or the error COMMAND
     * GETKEYS replies for it.
     */
    public static List<CommandKeys.KeyReference> keysOf(CommandSpec command, RequestArguments arguments,
                                                 int base) {
        if (!CommandKeys.hasKeys(command)) {
            throw NO_KEY_ARGUMENTS;
        }
        if (!command.acceptsArgumentCount(arguments.count() - base)) {
            throw INVALID_ARGUMENT_COUNT;
        }
        List<CommandKeys.KeyReference> keys = CommandKeys.find(command, arguments, base);
        if (keys.isEmpty() && !command.has(CommandFlag.NO_MANDATORY_KEYS)) {
            throw INVALID_ARGUMENTS;
        }
        return keys;
    }

    /** The command of argument 2, or its subcommand named by argument 3 when it is a container. */
    private static CommandSpec lookup(CommandContext c) {
        String name = c.argumentText(2);
        if (name.indexOf('|') >= 0) {
            return null;
        }
        CommandSpec command = c.engine().commands().findCallable(name);
        if (command == null || !command.isContainer() || c.argumentCount() < 4) {
            return command;
        }
        return command.subcommands().get(c.argumentText(3).toLowerCase(Locale.ROOT));
    }

    static void help(CommandContext c) {
        ClientCommands.writeHelp(c, HELP);
    }

    // ---------------------------------------------------------------- COMMAND INFO

    /**
     * One command as COMMAND INFO describes it: name, arity, flags (but the hidden ones), first key,
     * last key, key step, ACL categories, tips, key specs, subcommands. The sets are RESP3 sets, of simple strings
     * except the tips; an empty list of subcommands is an empty set, a full one an array.
     */
    @SuppressWarnings("unchecked")
    static void writeInfo(ReplyWriter reply, CommandSpec command) {
        Map<String, Object> entry = command.catalogEntry();
        reply.arrayHeader(10);
        reply.bulk(command.name());
        reply.integer(command.arity());
        List<Object> flags = (List<Object>) entry.get("flags");
        statusSet(reply, flags.stream().filter(flag -> !HIDDEN_FLAGS.contains(flag)).toList());
        reply.integer(command.firstKey());
        reply.integer(command.lastKey());
        reply.integer(command.keyStep());
        statusSet(reply, (List<Object>) entry.get("acl_categories"));
        List<Object> tips = (List<Object>) entry.getOrDefault("tips", List.of());
        reply.setHeader(tips.size());
        for (Object tip : tips) {
            reply.bulk((String) tip);
        }
        List<Object> keySpecs = (List<Object>) entry.getOrDefault("key_specs", List.of());
        reply.setHeader(keySpecs.size());
        for (Object keySpec : keySpecs) {
            writeValue(reply, "key_spec", keySpec);
        }
        if (command.subcommands().isEmpty()) {
            reply.setHeader(0);
        } else {
            reply.arrayHeader(command.subcommands().size());
            for (CommandSpec subcommand : command.subcommands().values()) {
                writeInfo(reply, subcommand);
            }
        }
    }

    // ---------------------------------------------------------------- COMMAND DOCS

    /**
     * One command as COMMAND DOCS describes it, in Redis's field order, with our summary and
     * complexity and without Redis's history notes.
     */
    @SuppressWarnings("unchecked")
    static void writeDocs(ReplyWriter reply, CommandSpec command) {
        Map<String, Object> docs = (Map<String, Object>) command.catalogEntry().getOrDefault("docs", Map.of());
        String summary = command.summary();
        String complexity = command.complexity();
        if (summary == null && command.isContainer()) {
            summary = "Container for the " + command.name().toUpperCase(Locale.ROOT) + " subcommands.";
            complexity = "Depends on subcommand.";
        }
        int mark = reply.beginDeferred();
        int fields = 0;
        if (summary != null) {
            reply.bulk("summary");
            reply.bulk(summary);
            fields++;
        }
        fields += docsField(reply, docs, "since");
        reply.bulk("group");
        reply.bulk((String) docs.getOrDefault("group", "generic"));
        fields++;
        if (complexity != null) {
            reply.bulk("complexity");
            reply.bulk(complexity);
            fields++;
        }
        fields += docsField(reply, docs, "doc_flags");
        fields += docsField(reply, docs, "deprecated_since");
        fields += docsField(reply, docs, "replaced_by");
        fields += docsField(reply, docs, "arguments");
        if (!command.subcommands().isEmpty()) {
            reply.bulk("subcommands");
            reply.mapHeader(command.subcommands().size());
            for (CommandSpec subcommand : command.subcommands().values()) {
                reply.bulk(subcommand.name());
                writeDocs(reply, subcommand);
            }
            fields++;
        }
        reply.endDeferredMap(mark, fields);
    }

    private static int docsField(ReplyWriter reply, Map<String, Object> docs, String field) {
        Object value = docs.get(field);
        if (value == null) {
            return 0;
        }
        reply.bulk(field);
        writeValue(reply, field, value);
        return 1;
    }

    /**
     * A catalog value as Redis sends it: maps as maps, integers as integers, strings as bulk
     * strings, except the flag lists ("flags", "doc_flags"), which are sets of simple strings.
     */
    @SuppressWarnings("unchecked")
    private static void writeValue(ReplyWriter reply, String field, Object value) {
        if (value instanceof Map<?, ?> map) {
            reply.mapHeader(map.size());
            for (Map.Entry<String, Object> member : ((Map<String, Object>) map).entrySet()) {
                reply.bulk(member.getKey());
                writeValue(reply, member.getKey(), member.getValue());
            }
        } else if (value instanceof List<?> list) {
            if (field.equals("flags") || field.equals("doc_flags")) {
                statusSet(reply, (List<Object>) list);
            } else {
                reply.arrayHeader(list.size());
                for (Object element : list) {
                    writeValue(reply, field, element);
                }
            }
        } else if (value instanceof Long number) {
            reply.integer(number);
        } else {
            reply.bulk(String.valueOf(value));
        }
    }

    private static void statusSet(ReplyWriter reply, List<?> names) {
        reply.setHeader(names.size());
        for (Object name : names) {
            reply.simpleString((String) name);
        }
    }
}
