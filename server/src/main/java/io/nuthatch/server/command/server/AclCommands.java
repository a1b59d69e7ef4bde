package io.nuthatch.server.command.server;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.acl.AclFile;
import io.nuthatch.server.acl.AclLog;
import io.nuthatch.server.acl.AclRuleException;
import io.nuthatch.server.acl.AclUser;
import io.nuthatch.server.acl.AclUsers;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.Subscriptions;
import io.nuthatch.server.command.AclCategory;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The ACL subcommands over {@link AclUsers}: users, the ACL log, DRYRUN, and the aclfile. */
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
        table.subcommand("acl", "log", "Lists the recent authentication failures and permission denials, or"
                + " clears them.", "O(N) with N being the number of entries shown.", AclCommands::log);
        table.subcommand("acl", "dryrun", "Says whether a user could run a command, without running it.", "O(1).",
                AclCommands::dryRun);
        table.subcommand("acl", "load", "Replaces the users by those of the aclfile.", "O(N). Where N is the number"
                + " of configured users.", AclCommands::load);
        table.subcommand("acl", "save", "Writes the users to the aclfile.", "O(N). Where N is the number of"
                + " configured users.", AclCommands::save);
        table.subcommand("acl", "help", "Describes the ACL subcommands.", "O(1)", AclCommands::help);
    }

    private static final String[] HELP = {
        "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CAT [<category>]",
        "    List all commands that belong to <category>, or all command categories",
        "    when no category is specified.",
        "DELUSER <username> [<username> ...]",
        "    Delete a list of users.",
        "DRYRUN <username> <command> [<arg> ...]",
        "    Returns whether the user can execute the given command without executing the command.",
        "GETUSER <username>",
        "    Get the user's details.",
        "GENPASS [<bits>]",
        "    Generate a secure 256-bit user password. The optional `bits` argument can",
        "    be used to specify a different size.",
        "LIST",
        "    Show users details in config file format.",
        "LOAD",
        "    Reload users from the ACL file.",
        "LOG [<count> | RESET]",
        "    Show the ACL log entries.",
        "SAVE",
        "    Save the current config to the ACL file.",
        "SETUSER <username> <attribute> [<attribute> ...]",
        "    Create or modify a user with the specified attributes.",
        "USERS",
        "    List all the registered usernames.",
        "WHOAMI",
        "    Return the current connection username.",
        "HELP",
        "    Prints this help.",
    };

    private static final CommandError NO_ACLFILE = new CommandError("ERR This Redis instance is not configured to use"
            + " an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG"
            + " REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis"
            + " configuration.");
    private static final CommandError SAVE_FAILED = new CommandError("ERR There was an error trying to save the ACLs."
            + " Please check the server logs for more information");

    static void help(CommandContext c) {
        c.reply().arrayHeader(HELP.length);
        for (String line : HELP) {
            c.reply().simpleString(line);
        }
    }

    /** ACL LOG [count | RESET]: ten entries by default, newest first. */
    static void log(CommandContext c) {
        AclLog log = c.engine().acl().log();
        long count = 10;
        if (c.argumentCount() > 3) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + c.argumentText(1)
                    + "'. Try ACL HELP.");
        }
        if (c.argumentCount() == 3) {
            if (c.argumentText(2).equalsIgnoreCase("reset")) {
                log.reset();
                c.reply().ok();
                return;
            }
            count = Math.max(0, c.longArgument(2));
        }
        List<AclLog.Entry> entries = log.newest(count);
        long now = System.currentTimeMillis();
        c.reply().arrayHeader(entries.size());
        for (AclLog.Entry entry : entries) {
            c.reply().mapHeader(7);
            c.reply().bulk("count");
            c.reply().integer(entry.count());
            c.reply().bulk("reason");
            c.reply().bulk(entry.reason().shownAs());
            c.reply().bulk("context");
            c.reply().bulk(entry.context().shownAs());
            c.reply().bulk("object");
            c.reply().bulk(entry.object().getBytes(StandardCharsets.ISO_8859_1));
            c.reply().bulk("username");
            c.reply().bulk(entry.username().getBytes(StandardCharsets.ISO_8859_1));
            c.reply().bulk("age-seconds");
            c.reply().doubleValue((now - entry.createdMillis()) / 1000.0);
            c.reply().bulk("client-info");
            c.reply().bulk(entry.clientInfo().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** ACL DRYRUN user command [arg ...]: OK, or (as a bulk string, not an error) why the user may not. */
    static void dryRun(CommandContext c) {
        AclUsers acl = c.engine().acl();
        AclUser user = acl.user(c.argumentText(2));
        if (user == null) {
            throw new CommandError("ERR User '" + c.argumentText(2) + "' not found");
        }
        byte[][] argv = new byte[c.argumentCount() - 3][];
        for (int i = 3; i < c.argumentCount(); i++) {
            argv[i - 3] = c.arguments().copy(i);
        }
        RequestArguments request = RequestArguments.of(argv);
        CommandSpec command = c.engine().commands().lookup(request);
        if (command == null) {
            throw new CommandError("ERR Command '" + c.argumentText(3) + "' not found");
        }
        if (!command.acceptsArgumentCount(argv.length)) {
            throw Errors.wrongArity(command.name());
        }
        String denial = acl.dryRun(user, command, request);
        if (denial == null) {
            c.reply().ok();
        } else {
            c.reply().bulk(denial.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * ACL LOAD: the aclfile's users replace all users when the whole file is valid. As in Redis
     * 7.0, every connection authenticated as a user other than the default one is closed, since
     * that user was replaced (the caller's after this reply).
     */
    static void load(CommandContext c) {
        Path file = aclfile(c);
        Map<String, AclUser> replaced;
        try {
            replaced = AclFile.load(c.engine().acl(), file);
        } catch (AclFile.LoadError e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        for (String name : replaced.keySet()) {
            if (!name.equals(AclUsers.DEFAULT_USER)) {
                closeClientsOf(c, name);
            }
        }
        c.engine().log().notice("ACL rules loaded from " + file);
        c.reply().ok();
    }

    static void save(CommandContext c) {
        Path file = aclfile(c);
        try {
            AclFile.save(c.engine().acl(), file);
        } catch (IOException e) {
            c.engine().log().warning("Writing the ACL file for ACL SAVE: " + file + ": " + e.getMessage());
            throw SAVE_FAILED;
        }
        c.reply().ok();
    }

    private static Path aclfile(CommandContext c) {
        String name = c.config().security.aclfile.value();
        if (name.isEmpty()) {
            throw NO_ACLFILE;
        }
        return c.config().resolvePath(name);
    }

    static void setUser(CommandContext c) {
        List<String> rules = new ArrayList<>(c.argumentCount() - 3);
        for (int i = 3; i < c.argumentCount(); i++) {
            rules.add(c.argumentText(i));
        }
        String name = c.argumentText(2);
        try {
            if (c.engine().acl().setUser(name, rules) != null) {
                closeSubscribersDenied(c, c.engine().acl().user(name));
            }
        } catch (AclRuleException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        c.reply().ok();
    }

    /**
     * Closes the user's connections subscribed to a channel or pattern it may no longer use, as
     * Redis's ACLKillPubsubClientsIfNeeded does: a subscriber would otherwise go on receiving what
     * the new rules deny it.
     */
    private static void closeSubscribersDenied(CommandContext c, AclUser user) {
        for (ClientSession client : List.copyOf(c.engine().clients().all())) {
            Subscriptions subscriptions = client.subscriptions();
            if (subscriptions == null || subscriptions.isEmpty() || !client.isAuthenticated()
                    || !client.user().equals(user.name()) || user.maySubscribeToAll(subscriptions)) {
                continue;
            }
            c.engine().log().verbose("Closing the connection " + client.id() + " of user '" + user.name()
                    + "': its subscriptions are no longer allowed");
            if (client == c.client()) {
                client.closeAfterReply();
            } else {
                client.closeNow();
            }
        }
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
        writeSelector(c, user.describeRoot());
        c.reply().bulk("selectors");
        List<AclUser.SelectorDescription> selectors = user.describeSelectors();
        c.reply().arrayHeader(selectors.size());
        for (AclUser.SelectorDescription selector : selectors) {
            c.reply().mapHeader(3);
            writeSelector(c, selector);
        }
    }

    /** A selector's three fields, in Redis's order: the root's inside the user's map, each other's in a map of its own. */
    private static void writeSelector(CommandContext c, AclUser.SelectorDescription selector) {
        c.reply().bulk("commands");
        c.reply().bulk(selector.commands());
        c.reply().bulk("keys");
        c.reply().bulk(selector.keys());
        c.reply().bulk("channels");
        c.reply().bulk(selector.channels());
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
