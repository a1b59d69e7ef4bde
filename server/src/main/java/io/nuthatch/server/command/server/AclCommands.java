package io.nuthatch.server.command.server;

import io.nuthatch.server.acl.AclRuleException;
import io.nuthatch.server.acl.AclUser;
import io.nuthatch.server.acl.AclUsers;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.AclCategory;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.command.CommandTable;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** ACL SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT and GENPASS over {@link AclUsers}. */
public final class AclCommands {
    private static final CommandError GENPASS_BITS = new CommandError("ERR ACL GENPASS argument must be the number"
            + " of bits for the output password, a positive number up to 4096");
    private static final SecureRandom RANDOM = new SecureRandom();

    private AclCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.subcommand("acl", "setuser", "Creates a user or changes its rules.", "O(N). Where N is the number of"
                + " rules provided.", AclCommands::setUser);
        table.subcommand("acl", "getuser", "Describes a user: flags, password hashes, commands, keys, channels.",
                "O(N). Where N is the number of password, command and pattern rules that the user has.",
                AclCommands::getUser);
        table.subcommand("acl", "deluser", "Removes users and closes the connections authenticated as them.",
                "O(1) amortized time considering the typical user.", AclCommands::delUser);
        table.subcommand("acl", "list", "Lists every user as the rules that would recreate it.", "O(N). Where N is"
                + " the number of configured users.", AclCommands::list);
        table.subcommand("acl", "users", "Lists the names of the users.", "O(N). Where N is the number of configured"
                + " users.", AclCommands::users);
        table.subcommand("acl", "whoami", "Returns the name of the connection's user.", "O(1)", AclCommands::whoami);
        table.subcommand("acl", "cat", "Lists the ACL categories, or the commands of one.", "O(1) since the"
                + " categories and commands are a fixed set.", AclCommands::cat);
        table.subcommand("acl", "genpass", "Returns random hex digits, fit for a password.", "O(N)",
                AclCommands::genpass);
    }

    static void setUser(CommandContext c) {
        List<String> rules = new ArrayList<>(c.argumentCount() - 3);
        for (int i = 3; i < c.argumentCount(); i++) {
            rules.add(c.argumentText(i));
        }
        boolean allChannels = c.config().security.aclPubsubDefault.value().equals("allchannels");
        try {
            c.engine().acl().setUser(c.argumentText(2), rules, allChannels);
        } catch (AclRuleException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        c.reply().ok();
    }

    static void getUser(CommandContext c) {
        AclUser user = c.engine().acl().user(c.argumentText(2));
        if (user == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().mapHeader(6);
        c.reply().bulk("flags");
        c.reply().setHeader(user.flags().size());
        for (String flag : user.flags()) {
            c.reply().bulk(flag);
        }
        c.reply().bulk("passwords");
        c.reply().arrayHeader(user.passwordHashes().size());
        for (String hash : user.passwordHashes()) {
            c.reply().bulk(hash);
        }
        c.reply().bulk("commands");
        c.reply().bulk(user.describeCommands());
        c.reply().bulk("keys");
        c.reply().bulk(user.describeKeys());
        c.reply().bulk("channels");
        c.reply().bulk(user.describeChannels());
        c.reply().bulk("selectors");
        c.reply().arrayHeader(0);
    }

    /** Deletes the named users; naming the default user deletes none, as in Redis. */
    static void delUser(CommandContext c) {
        AclUsers acl = c.engine().acl();
        for (int i = 2; i < c.argumentCount(); i++) {
            if (c.argumentText(i).equals(AclUsers.DEFAULT_USER)) {
                throw new CommandError("ERR The 'default' user cannot be removed");
            }
        }
        long deleted = 0;
        for (int i = 2; i < c.argumentCount(); i++) {
            String name = c.argumentText(i);
            if (acl.deleteUser(name)) {
                deleted++;
                closeClientsOf(c, name);
            }
        }
        c.reply().integer(deleted);
    }

    /** A deleted user's connections are closed (the caller's after its reply), as Redis does. */
    private static void closeClientsOf(CommandContext c, String name) {
        for (ClientSession client : List.copyOf(c.engine().clients().all())) {
            if (client.isAuthenticated() && client.user().equals(name)) {
                if (client == c.client()) {
                    client.closeAfterReply();
                } else {
                    client.closeNow();
                }
            }
        }
    }

    static void list(CommandContext c) {
        List<String> lines = c.engine().acl().describeAll();
        c.reply().arrayHeader(lines.size());
        for (String line : lines) {
            c.reply().bulk(line);
        }
    }

    static void users(CommandContext c) {
        c.reply().arrayHeader(c.engine().acl().users().size());
        for (AclUser user : c.engine().acl().users()) {
            c.reply().bulk(user.name());
        }
    }

    static void whoami(CommandContext c) {
        c.reply().bulk(c.client().user());
    }

    /** ACL CAT: the category names, or the commands (and subcommands) of one. */
    static void cat(CommandContext c) {
        if (c.argumentCount() == 2) {
            c.reply().arrayHeader(AclCategory.values().length);
            for (AclCategory category : AclCategory.values()) {
                c.reply().bulk(category.categoryName());
            }
            return;
        }
        String name = c.argumentText(2);
        AclCategory category = null;
        for (AclCategory candidate : AclCategory.values()) {
            if (candidate.categoryName().equalsIgnoreCase(name)) {
                category = candidate;
            }
        }
        if (category == null) {
            throw new CommandError("ERR Unknown category '" + name + "'");
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec command : c.engine().commands().commands()) {
            if (command.inCategory(category)) {
                names.add(command.name());
            }
            for (CommandSpec subcommand : command.subcommands().values()) {
                if (subcommand.inCategory(category)) {
                    names.add(subcommand.name());
                }
            }
        }
        c.reply().arrayHeader(names.size());
        for (String commandName : names) {
            c.reply().bulk(commandName);
        }
    }

    /** ACL GENPASS [bits]: 256 bits by default, as many hex digits as the bits need. */
    static void genpass(CommandContext c) {
        long bits = 256;
        if (c.argumentCount() == 3) {
            bits = c.longArgument(2);
            if (bits <= 0 || bits > 4096) {
                throw GENPASS_BITS;
            }
        }
        int digits = (int) ((bits + 3) / 4);
        byte[] random = new byte[(digits + 1) / 2];
        RANDOM.nextBytes(random);
        c.reply().bulk(HexFormat.of().formatHex(random).substring(0, digits));
    }
}
