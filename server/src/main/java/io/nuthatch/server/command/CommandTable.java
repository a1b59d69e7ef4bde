package io.nuthatch.server.command;

import io.nuthatch.resp.RequestArguments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The commands this server runs, as data.
 *
 * <p>The facts about each command (arity, flags, key positions, ACL categories, key specs, argument
 * structure) come from the command catalog, a resource generated from a reference redis-server by
 * {@code server/tools/generate_command_catalog.py}. The command families register a handler, a
 * summary and a complexity for each command they implement; only registered commands are in the
 * table, and a registration the catalog does not know fails at startup.
 */
public final class CommandTable {
    private static final String CATALOG_RESOURCE = "command-catalog.json";
    private static volatile Map<String, Object> catalog;

    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();
    private final Map<String, CommandSpec> lookupNames = new LinkedHashMap<>();
    private CommandNameIndex index = CommandNameIndex.EMPTY;

    /** Receives the registrations of one command family. */
    public final class Registry {
        private Registry() {
        }

        /**
         * Registers a command.
         *
         * @param summary    one line saying what it does, in our words (COMMAND DOCS)
         * @param complexity its time complexity (COMMAND DOCS)
         */
        public void command(String name, String summary, String complexity, CommandHandler handler) {
            CommandSpec spec = new CommandSpec(name, catalogEntry(name), summary, complexity, handler, null);
            CommandSpec previous = commands.putIfAbsent(name, spec);
            if (previous != null) {
                throw new IllegalStateException("command registered twice: " + name);
            }
            lookupNames.put(name, spec);
        }

        /** Registers a subcommand of a container command (CLIENT SETNAME is "client", "setname"). */
        public void subcommand(String container, String name, String summary, String complexity,
                               CommandHandler handler) {
            CommandSpec parent = commands.computeIfAbsent(container, absent -> {
                CommandSpec containerSpec = new CommandSpec(container, catalogEntry(container), null, null, null, null);
                lookupNames.put(container, containerSpec);
                return containerSpec;
            });
            Map<String, Object> entry = subcommandEntry(container, name);
            parent.addSubcommand(new CommandSpec(container + "|" + name, entry, summary, complexity, handler, parent));
        }
    }

    /** Builds a table from command families, each a method that registers its commands. */
    @SafeVarargs
    public static CommandTable of(Consumer<Registry>... families) {
        CommandTable table = new CommandTable();
        Registry registry = table.new Registry();
        for (Consumer<Registry> family : families) {
            family.accept(registry);
        }
        table.index = new CommandNameIndex(table.lookupNames);
        return table;
    }

    /**
     * The command a request names: the subcommand for a container given a second argument, or
     * null when either is unknown.
     */
    public CommandSpec lookup(RequestArguments arguments) {
        CommandSpec command = index.find(arguments.array(0), arguments.offset(0), arguments.length(0));
        if (command == null || arguments.count() == 1 || !command.isContainer()) {
            return command;
        }
        return command.subcommand(arguments.array(1), arguments.offset(1), arguments.length(1));
    }

    /** The command the first argument names, ignoring any subcommand; null when unknown. */
    public CommandSpec lookupBase(RequestArguments arguments) {
        return index.find(arguments.array(0), arguments.offset(0), arguments.length(0));
    }

    /** A command by full name ("get", "client|list"), ignoring case; null when not in the table. */
    public CommandSpec find(String fullName) {
        String lower = fullName.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) {
            return commands.get(lower);
        }
        CommandSpec container = commands.get(lower.substring(0, bar));
        return container == null ? null : container.subcommands().get(lower.substring(bar + 1));
    }

    /** The top-level commands, containers included, in registration order. */
    public Collection<CommandSpec> commands() {
        return Collections.unmodifiableCollection(commands.values());
    }

    /** Number of top-level commands, renamed and removed ones included. */
    public int size() {
        return commands.size();
    }

    /**
     * The top-level commands a client can call, in registration order: those rename-command removed
     * are not among them. This is what COMMAND, COMMAND COUNT, LIST and DOCS show, as Redis shows its
     * server.commands; a renamed command is there under its original name, as in Redis.
     */
    public List<CommandSpec> callableCommands() {
        Set<CommandSpec> callable = Collections.newSetFromMap(new IdentityHashMap<>());
        callable.addAll(lookupNames.values());
        List<CommandSpec> inOrder = new ArrayList<>(callable.size());
        for (CommandSpec command : commands.values()) {
            if (callable.contains(command)) {
                inOrder.add(command);
            }
        }
        return inOrder;
    }

    /**
     * A command by the full name a client calls it ("newconfig|get" after {@code rename-command
     * config newconfig}), ignoring case; null when no command answers to it. COMMAND INFO, DOCS
     * and GETKEYS look commands up so, as Redis looks them up in server.commands.
     */
    public CommandSpec findCallable(String fullName) {
        String lower = fullName.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        CommandSpec command = lookupNames.get(bar < 0 ? lower : lower.substring(0, bar));
        if (command == null || bar < 0) {
            return command;
        }
        return command.subcommands().get(lower.substring(bar + 1));
    }

    /**
     * Renames a command (the rename-command directive): it answers to the new name only; an empty
     * new name removes it. COMMAND still shows its original name, as Redis does.
     *
     * @return false when there is no such command
     */
    public boolean rename(String name, String newName) {
        String key = null;
        for (Map.Entry<String, CommandSpec> entry : lookupNames.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                key = entry.getKey();
            }
        }
        if (key == null) {
            return false;
        }
        CommandSpec spec = lookupNames.remove(key);
        if (!newName.isEmpty()) {
            lookupNames.put(newName.toLowerCase(Locale.ROOT), spec);
        }
        index = new CommandNameIndex(lookupNames);
        return true;
    }

    // ---------------------------------------------------------------- the catalog

    @SuppressWarnings("unchecked")
    private static Map<String, Object> catalogEntry(String name) {
        Map<String, Object> commandsInCatalog = (Map<String, Object>) loadCatalog().get("commands");
        Map<String, Object> entry = (Map<String, Object>) commandsInCatalog.get(name);
        if (entry == null) {
            throw new IllegalStateException("command not in the catalog: " + name);
        }
        return entry;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> subcommandEntry(String container, String name) {
        Map<String, Object> subcommands = (Map<String, Object>) catalogEntry(container).get("subcommands");
        Map<String, Object> entry = subcommands == null ? null : (Map<String, Object>) subcommands.get(name);
        if (entry == null) {
            throw new IllegalStateException("subcommand not in the catalog: " + container + "|" + name);
        }
        return entry;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadCatalog() {
        Map<String, Object> loaded = catalog;
        if (loaded == null) {
            try (InputStream in = CommandTable.class.getResourceAsStream(CATALOG_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + CATALOG_RESOURCE);
                }
                loaded = (Map<String, Object>) JsonReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            catalog = loaded;
        }
        return loaded;
    }

    /** The arguments of the catalog entry's docs, for COMMAND DOCS; may be empty. */
    @SuppressWarnings("unchecked")
    static List<Object> documentedArguments(CommandSpec spec) {
        Map<String, Object> docs = (Map<String, Object>) spec.catalogEntry().get("docs");
        Object arguments = docs == null ? null : docs.get("arguments");
        return arguments == null ? List.of() : (List<Object>) arguments;
    }
}
