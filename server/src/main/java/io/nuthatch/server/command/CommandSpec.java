package io.nuthatch.server.command;

import io.nuthatch.server.info.CommandStats;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of the command table: what a command is (name, arity, flags, key positions, ACL
 * categories, documentation facts) and the handler that runs it. Everything that asks about
 * commands (COMMAND, the arity check, the write and denyoom checks, key extraction) reads this.
 *
 * <p>A container command (CLIENT, CONFIG, OBJECT...) holds its subcommands, each a spec of its own
 * whose name is "container|subcommand".
 */
public final class CommandSpec {
    private final String name;
    private final byte[] lowerCaseName;
    private final int arity;
    private final long flags;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final long aclCategories;
    private final Map<String, Object> catalogEntry;
    private final String summary;
    private final String complexity;
    private final CommandHandler handler;
    private final CommandSpec container;
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    private CommandNameIndex subcommandIndex = CommandNameIndex.EMPTY;
    private final CommandStats stats = new CommandStats();
    private final boolean touchesArbitraryKeys;

    @SuppressWarnings("unchecked")
    CommandSpec(String name, Map<String, Object> catalogEntry, String summary, String complexity,
                CommandHandler handler, CommandSpec container) {
        this.name = name;
        this.lowerCaseName = (container == null ? name : name.substring(name.indexOf('|') + 1))
                .getBytes(StandardCharsets.US_ASCII);
        this.catalogEntry = catalogEntry;
        this.arity = ((Long) catalogEntry.get("arity")).intValue();
        this.firstKey = ((Long) catalogEntry.get("first_key")).intValue();
        this.lastKey = ((Long) catalogEntry.get("last_key")).intValue();
        this.keyStep = ((Long) catalogEntry.get("key_step")).intValue();
        long flagBits = 0;
        for (Object flag : (List<Object>) catalogEntry.get("flags")) {
            flagBits |= CommandFlag.byName((String) flag).bit();
        }
        this.flags = flagBits;
        long categoryBits = 0;
        for (Object category : (List<Object>) catalogEntry.get("acl_categories")) {
            categoryBits |= AclCategory.byName((String) category).bit();
        }
        this.aclCategories = categoryBits;
        this.summary = summary;
        this.complexity = complexity;
        this.handler = handler;
        this.container = container;
        this.touchesArbitraryKeys = container == null && (name.equals("scan") || name.equals("randomkey"));
    }

    /** The full name in lower case: "get", or "client|setname" for a subcommand. */
    public String name() {
        return name;
    }

    /** The name used to look the command up: "get", or "setname" for a subcommand. */
    byte[] lookupName() {
        return lowerCaseName;
    }

    /** Redis's arity: the exact argument count, or at least -arity arguments when negative. */
    public int arity() {
        return arity;
    }

    public boolean acceptsArgumentCount(int count) {
        return arity > 0 ? count == arity : count >= -arity;
    }

    public boolean has(CommandFlag flag) {
        return (flags & flag.bit()) != 0;
    }

    public long flags() {
        return flags;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public boolean inCategory(AclCategory category) {
        return (aclCategories & category.bit()) != 0;
    }

    public long aclCategories() {
        return aclCategories;
    }

    /** The facts of the command catalog (COMMAND INFO and COMMAND DOCS are written from them). */
    public Map<String, Object> catalogEntry() {
        return catalogEntry;
    }

    /** Our one-line description, for COMMAND DOCS. */
    public String summary() {
        return summary;
    }

    public String complexity() {
        return complexity;
    }

    /** The handler, or null for a container that only dispatches to its subcommands. */
    public CommandHandler handler() {
        return handler;
    }

    /** The container of a subcommand, or null. */
    public CommandSpec container() {
        return container;
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    public Map<String, CommandSpec> subcommands() {
        return Collections.unmodifiableMap(subcommands);
    }

    CommandSpec subcommand(byte[] name, int offset, int length) {
        return subcommandIndex.find(name, offset, length);
    }

    void addSubcommand(CommandSpec subcommand) {
        subcommands.put(new String(subcommand.lowerCaseName, StandardCharsets.US_ASCII), subcommand);
        subcommandIndex = new CommandNameIndex(subcommands.values());
    }

    /**
     * Redis's internal TOUCHES_ARBITRARY_KEYS flag, which COMMAND INFO does not show and the
     * catalog therefore lacks: SCAN and RANDOMKEY reach keys their arguments do not name. Run
     * directly, what they propagate (expired keys they deleted) is not wrapped in MULTI/EXEC.
     */
    public boolean touchesArbitraryKeys() {
        return touchesArbitraryKeys;
    }

    public CommandStats stats() {
        return stats;
    }

    @Override
    public String toString() {
        return name;
    }
}
