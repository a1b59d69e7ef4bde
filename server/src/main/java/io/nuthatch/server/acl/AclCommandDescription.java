package io.nuthatch.server.acl;

import io.nuthatch.server.command.AclCategory;
import io.nuthatch.server.command.CommandSpec;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * The command rules of a user as Redis 7.0 writes them: not the rules as given, but a short list
 * rebuilt from the permitted commands.
 *
 * <p>It starts from "+@all" when the user holds the future-commands bit (only +@all sets it) and
 * from "-@all" otherwise. Then, for each category in ACL CAT's order, it adds "+@cat" (starting
 * from -@all) or "-@cat" (starting from +@all) when, among the category's top-level commands the
 * rule would change in a scratch set, it would get more right than wrong; each rule emitted is
 * applied to the scratch set.
 *
 * <p>This reproduces what redis-server 7.0.15 prints for the cases in acl.redis ("+@all -@read",
 * "-@all +@read -get", "-@all +@string -@read"); it is inferred from its output, and some mixed
 * cases still differ ("+@all -@dangerous +flushdb": Redis lists the non-admin dangerous commands
 * one by one where this writes -@dangerous +flushdb). Replayed, both give the same permissions. Last, it walks the
 * commands and their subcommands and writes "+name" or "-name" for each whose permission still
 * differs from the scratch set, applying that too, so that replaying the text gives the same set.
 * Redis walks a hash table there, whose order changes from run to run; we walk the table's order.
 * A command denied but for some first arguments is followed by "+name|argument" for each, in the
 * order they were allowed.
 */
final class AclCommandDescription {
    private AclCommandDescription() {
    }

    static String describe(AclCommandSet commands, boolean allCommands, BitSet allowed,
                           Map<Integer, List<String>> firstArguments) {
        StringBuilder rules = new StringBuilder(allCommands ? "+@all" : "-@all");
        BitSet scratch = new BitSet(commands.size());
        if (allCommands) {
            scratch.set(0, commands.size());
        }
        for (AclCategory category : AclCategory.values()) {
            int right = 0;
            int wrong = 0;
            for (CommandSpec command : commands.topLevel()) {
                int id = commands.id(command);
                // Only the commands the rule would change in the scratch set count: those it gets right, and those it gets wrong.
                if (command.inCategory(category) && scratch.get(id) == allCommands) {
                    if (allowed.get(id) != allCommands) {
                        right++;
                    } else {
                        wrong++;
                    }
                }
            }
            if (right > wrong) {
                commands.changeCategory(scratch, category, !allCommands);
                rules.append(allCommands ? " -@" : " +@").append(category.categoryName());
            }
        }
        for (CommandSpec command : commands.topLevel()) {
            writeDifference(commands, allowed, scratch, command, rules);
            List<String> permittedFirstArguments = firstArguments.get(commands.id(command));
            if (permittedFirstArguments != null && !allowed.get(commands.id(command))) {
                for (String argument : permittedFirstArguments) {
                    rules.append(" +").append(command.name()).append('|').append(argument);
                }
            }
            for (CommandSpec subcommand : command.subcommands().values()) {
                writeDifference(commands, allowed, scratch, subcommand, rules);
            }
        }
        return rules.toString();
    }

    private static void writeDifference(AclCommandSet commands, BitSet allowed, BitSet scratch, CommandSpec command,
                                        StringBuilder rules) {
        int id = commands.id(command);
        boolean permitted = allowed.get(id);
        if (permitted != scratch.get(id)) {
            rules.append(permitted ? " +" : " -").append(command.name());
            commands.change(scratch, command, permitted);
        }
    }
}
