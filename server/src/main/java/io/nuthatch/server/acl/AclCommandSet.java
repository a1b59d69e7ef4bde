package io.nuthatch.server.acl;

import io.nuthatch.server.command.AclCategory;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.command.CommandTable;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers every command and subcommand of the table, so that a user's permitted commands are a
 * bit set, as in Redis. Renamed commands keep their number: a rename changes the name a client
 * sends, not what a user may run.
 */
final class AclCommandSet {
    private final CommandTable table;
    private final List<CommandSpec> byId = new ArrayList<>();
    private final Map<CommandSpec, Integer> ids = new IdentityHashMap<>();

    AclCommandSet(CommandTable table) {
        this.table = table;
        for (CommandSpec command : table.commands()) {
            number(command);
            for (CommandSpec subcommand : command.subcommands().values()) {
                number(subcommand);
            }
        }
    }

    private void number(CommandSpec command) {
        ids.put(command, byId.size());
        byId.add(command);
    }

    int size() {
        return byId.size();
    }

    /** The number of a command of this table; -1 for one it does not hold. */
    int id(CommandSpec command) {
        Integer id = ids.get(command);
        return id == null ? -1 : id;
    }

    CommandSpec command(int id) {
        return byId.get(id);
    }

    CommandSpec find(String fullName) {
        return table.find(fullName);
    }

    /** The top-level commands, in the table's order. */
    Iterable<CommandSpec> topLevel() {
        return table.commands();
    }

    /** Sets (or clears) the bits of a command and of all its subcommands, as Redis's ACLChangeSelectorPerm. */
    void change(BitSet bits, CommandSpec command, boolean allow) {
        bits.set(id(command), allow);
        for (CommandSpec subcommand : command.subcommands().values()) {
            bits.set(id(subcommand), allow);
        }
    }

    /** Every command (and subcommand) of the category, with their subcommands. */
    void changeCategory(BitSet bits, AclCategory category, boolean allow) {
        for (CommandSpec command : table.commands()) {
            if (command.inCategory(category)) {
                change(bits, command, allow);
            }
            for (CommandSpec subcommand : command.subcommands().values()) {
                if (subcommand.inCategory(category)) {
                    change(bits, subcommand, allow);
                }
            }
        }
    }
}
