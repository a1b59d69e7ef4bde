package io.nuthatch.server.acl;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.client.ClientInfoLine;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandKeys;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.command.CommandTable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The users of the server, the default user among them, and the permission check the dispatcher
 * makes before each command. The default user starts as Redis's ("on nopass ~* &* +@all");
 * requirepass, when set, is its one password.
 */
public final class AclUsers {
    public static final String DEFAULT_USER = "default";
    private static final CommandError KEY_DENIED =
            new CommandError("NOPERM this user has no permissions to access one of the keys used as arguments");
    private static final CommandError CHANNEL_DENIED =
            new CommandError("NOPERM this user has no permissions to access one of the channels used as arguments");

    private final AclCommandSet commandSet;
    /** Sorted by name, as Redis's radix tree lists them. */
    private final Map<String, AclUser> users = new TreeMap<>();
    private AclUser defaultUser;
    /** Counted for INFO's acl_access_denied_cmd and acl_access_denied_key. */
    private long deniedCommands;
    private long deniedKeys;
    private long deniedChannels;
    /** The argument a denied key or channel was at, left by the last check that denied one. */
    private int deniedPosition;
    private final AclLog log;
    private final BooleanSupplier pubsubAllChannels;

    /**
     * @param pubsubAllChannels whether acl-pubsub-default is allchannels (new and reset users get &*)
     * @param logMaxLength acllog-max-len
     */
    public AclUsers(CommandTable commands, BooleanSupplier pubsubAllChannels, LongSupplier logMaxLength) {
        this.commandSet = new AclCommandSet(commands);
        this.pubsubAllChannels = pubsubAllChannels;
        this.log = new AclLog(logMaxLength);
        install(createDefaultUser());
    }

    private void install(AclUser user) {
        users.put(user.name(), user);
        if (user.name().equals(DEFAULT_USER)) {
            defaultUser = user;
        }
    }

    /** requirepass as Redis applies it: the default user's only password, or nopass when empty. */
    public void requirepass(String password) {
        AclUser user = defaultUser.copy();
        try {
            user.apply("resetpass");
            user.apply(password.isEmpty() ? "nopass" : ">" + password);
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
        install(user);
    }

    public AclUser defaultUser() {
        return defaultUser;
    }

    public AclUser user(String name) {
        return users.get(name);
    }

    public Collection<AclUser> users() {
        return users.values();
    }

    /**
     * Whether a client that has not authenticated must do so: the default user asks for a password
     * or is off. Redis marks a connection authenticated when it opens while the default user needs
     * no password, so that setting requirepass later does not lock it out; here that mark is made
     * at the connection's first command, which is the first time it is asked.
     */
    public boolean authenticationRequired(ClientSession client) {
        if (client.isAuthenticated()) {
            return false;
        }
        if (defaultUser.isNopass() && defaultUser.isEnabled()) {
            client.authenticated(DEFAULT_USER);
            return false;
        }
        return true;
    }

    /** Whether the name and password identify an enabled user. */
    public boolean accepts(String name, String password) {
        AclUser user = users.get(name);
        return user != null && user.isEnabled() && user.acceptsPassword(password);
    }

    /**
     * ACL SETUSER: applies the rules to a copy of the user (a new one when absent: "off -@all" and
     * the channels acl-pubsub-default gives) and keeps it only when every rule applied.
     *
     * @return the user as it was before, null when it is new
     * @throws AclRuleException naming the first rule that failed, as "Error in ACL SETUSER modifier"
     */
    public AclUser setUser(String name, List<String> rules) throws AclRuleException {
        List<String> merged;
        try {
            merged = AclUser.mergeSelectorArguments(rules);
        } catch (AclUser.UnmatchedParenthesis e) {
            throw new AclRuleException(e.getMessage());
        }
        AclUser existing = users.get(name);
        AclUser user = existing != null ? existing.copy() : newUser(name);
        for (String rule : merged) {
            try {
                applyRule(user, rule);
            } catch (AclRuleException e) {
                throw new AclRuleException("Error in ACL SETUSER modifier '" + rule + "': " + e.getMessage());
            }
        }
        install(user);
        return existing;
    }

    /** A user as Redis creates one: off, no password, no commands, keys or channels but acl-pubsub-default's. */
    AclUser newUser(String name) {
        AclUser user = new AclUser(name, commandSet, pubsubAllChannels);
        if (pubsubAllChannels.getAsBoolean()) {
            applyUnchecked(user, "allchannels");
        }
        return user;
    }

    /** One rule; "reset" gives back the channels acl-pubsub-default gives a new user. */
    void applyRule(AclUser user, String rule) throws AclRuleException {
        user.apply(rule);
        if (rule.equalsIgnoreCase("reset") && pubsubAllChannels.getAsBoolean()) {
            user.apply("allchannels");
        }
    }

    private static void applyUnchecked(AclUser user, String rule) {
        try {
            user.apply(rule);
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Replaces every user by those given (ACL LOAD); the default user is Redis's default when they
     * do not name it.
     */
    void replaceAll(Map<String, AclUser> loaded) {
        users.clear();
        users.putAll(loaded);
        if (!users.containsKey(DEFAULT_USER)) {
            users.put(DEFAULT_USER, createDefaultUser());
        }
        defaultUser = users.get(DEFAULT_USER);
    }

    AclUser createDefaultUser() {
        AclUser user = new AclUser(DEFAULT_USER, commandSet, pubsubAllChannels);
        for (String rule : new String[] {"on", "nopass", "~*", "&*", "+@all"}) {
            applyUnchecked(user, rule);
        }
        return user;
    }

    /**
     * Why a user line's rules cannot apply, for the config file's check while it is read; null when
     * they apply or only name a command or category unknown here (see ConfigLoader).
     */
    public String ruleProblem(List<String> rules) {
        AclUser user = new AclUser("check", commandSet, pubsubAllChannels);
        List<String> merged;
        try {
            merged = AclUser.mergeSelectorArguments(rules);
        } catch (AclUser.UnmatchedParenthesis e) {
            return e.getMessage();
        }
        for (String rule : merged) {
            try {
                applyRule(user, rule);
            } catch (AclRuleException e) {
                if (!e.getMessage().equals(AclUser.UNKNOWN_COMMAND)) {
                    return e.getMessage();
                }
            }
        }
        return null;
    }

    /**
     * The users the configuration declares, at startup, as Redis's ACLLoadConfiguredUsers: the
     * one that exists already (the default user) starts from "reset". Then the aclfile, when one is set.
     *
     * @param declared the arguments of each {@code user} line
     * @param aclfile  null when there is none
     * @throws AclFile.LoadError with what the log must say before startup stops
     */
    public void loadAtStartup(List<List<String>> declared, java.nio.file.Path aclfile) throws AclFile.LoadError {
        if (!declared.isEmpty() && aclfile != null) {
            throw new AclFile.LoadError("Configuring Redis with users defined in redis.conf and at the same setting an"
                    + " ACL file path is invalid. This setup is very likely to lead to configuration errors and"
                    + " security holes, please define either an ACL file or declare users directly in your"
                    + " redis.conf, but not both.");
        }
        for (List<String> line : declared) {
            String name = line.get(0);
            AclUser user;
            if (users.containsKey(name)) {
                user = users.get(name).copy();
                applyUnchecked(user, "reset");
            } else {
                user = newUser(name);
            }
            List<String> rules;
            try {
                rules = AclUser.mergeSelectorArguments(line.subList(1, line.size()));
            } catch (AclUser.UnmatchedParenthesis e) {
                throw new AclFile.LoadError("Error loading ACL rule '" + e.opening() + "' for the user named '" + name
                        + "': " + e.getMessage() + "\nCritical error while loading ACLs. Exiting.");
            }
            for (String rule : rules) {
                try {
                    applyRule(user, rule);
                } catch (AclRuleException e) {
                    throw new AclFile.LoadError("Error loading ACL rule '" + rule + "' for the user named '" + name
                            + "': " + e.getMessage() + "\nCritical error while loading ACLs. Exiting.");
                }
            }
            install(user);
        }
        if (aclfile != null) {
            try {
                AclFile.load(this, aclfile);
            } catch (AclFile.LoadError e) {
                throw new AclFile.LoadError("Aborting Redis startup because of ACL errors: " + e.getMessage());
            }
        }
    }

    /** ACL DELUSER of one name: false when there is no such user. The default user cannot be removed. */
    public boolean deleteUser(String name) {
        if (name.equals(DEFAULT_USER)) {
            throw new IllegalArgumentException("the default user cannot be removed");
        }
        return users.remove(name) != null;
    }

    /** The lines of ACL LIST, one per user, sorted by name. */
    public List<String> describeAll() {
        List<String> lines = new ArrayList<>(users.size());
        for (AclUser user : users.values()) {
            lines.add(user.describe());
        }
        return lines;
    }

    /**
     * The check of Redis's ACLCheckAllPerm before a command runs: NOPERM when the client's user may
     * not run the command, use one of its keys or one of its channels, with an entry in the ACL log
     * (context multi while a transaction is being queued); null when it may. A user allowed
     * everything (the default user as it starts) is answered without looking further.
     */
    public CommandError check(ClientSession client, CommandSpec command, RequestArguments arguments,
            boolean queuingTransaction) {
        AclUser user = userOf(client);
        if (user.allowsEverything()) {
            return null;
        }
        AclLog.Reason denial = denial(user, command, arguments);
        if (denial == null) {
            return null;
        }
        logDenial(client, denial, queuingTransaction ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL, command,
                arguments);
        return switch (denial) {
            case COMMAND -> new CommandError("NOPERM this user has no permissions to run the '" + command.name()
                    + "' command");
            case KEY -> KEY_DENIED;
            default -> CHANNEL_DENIED;
        };
    }

    /**
     * The same check for a command a script calls, logged with context lua; the caller words the
     * script's error. Null when the command may run.
     */
    public AclLog.Reason checkFromScript(ClientSession caller, CommandSpec command, RequestArguments arguments) {
        AclUser user = userOf(caller);
        if (user.allowsEverything()) {
            return null;
        }
        AclLog.Reason denial = denial(user, command, arguments);
        if (denial != null) {
            logDenial(caller, denial, AclLog.Context.LUA, command, arguments);
        }
        return denial;
    }

    /**
     * The check EXEC makes again before each queued command, since the rules may have changed
     * after it was queued: Redis's error text, logged with context multi; null when it may run.
     */
    public CommandError checkQueued(ClientSession client, CommandSpec command, RequestArguments arguments) {
        AclUser user = userOf(client);
        if (user.allowsEverything()) {
            return null;
        }
        AclLog.Reason denial = denial(user, command, arguments);
        if (denial == null) {
            return null;
        }
        logDenial(client, denial, AclLog.Context.MULTI, command, arguments);
        String reason = switch (denial) {
            case COMMAND -> "no permission to execute the command or subcommand";
            case KEY -> "no permission to touch the specified keys";
            default -> "no permission to access one of the channels used as arguments";
        };
        return new CommandError("NOPERM ACLs rules changed between the moment the transaction was accumulated and the"
                + " EXEC call. This command is no longer allowed for the following reason: " + reason);
    }

    /** ACL DRYRUN: null when the user may run the command, else why not, as Redis words it there. */
    public String dryRun(AclUser user, CommandSpec command, RequestArguments arguments) {
        AclLog.Reason denial = denial(user, command, arguments);
        if (denial == null) {
            return null;
        }
        return switch (denial) {
            case COMMAND -> "This user has no permissions to run the '" + command.name() + "' command";
            case KEY -> "This user has no permissions to access the '"
                    + arguments.toLatin1String(deniedPosition) + "' key";
            default -> "This user has no permissions to access the '"
                    + arguments.toLatin1String(deniedPosition) + "' channel";
        };
    }

    /** An AUTH or HELLO AUTH that failed, in the ACL log under the name it tried. */
    public void authenticationFailed(ClientSession client, String username) {
        log.add(AclLog.Reason.AUTH, client.transaction() != null && client.transaction().isOpen()
                ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL, "AUTH", username, ClientInfoLine.of(client));
    }

    public AclLog log() {
        return log;
    }

    private AclUser userOf(ClientSession client) {
        AclUser user = users.get(client.user());
        return user == null ? defaultUser : user;
    }

    private void logDenial(ClientSession client, AclLog.Reason denial, AclLog.Context context, CommandSpec command,
            RequestArguments arguments) {
        String object = denial == AclLog.Reason.COMMAND ? command.name() : arguments.toLatin1String(deniedPosition);
        log.add(denial, context, object, client.user(), ClientInfoLine.of(client));
        if (denial == AclLog.Reason.COMMAND) {
            deniedCommands++;
        } else if (denial == AclLog.Reason.KEY) {
            deniedKeys++;
        } else {
            deniedChannels++;
        }
    }

    /**
     * Redis's ACLCheckAllUserCommandPerm: allowed when one selector allows the command with all
     * its keys and channels. When none does, the denial to report is the gravest any selector
     * gave (a channel over a key over the command), and among equals the one at the latest
     * argument; its argument is left in {@link #deniedPosition}.
     */
    private AclLog.Reason denial(AclUser user, CommandSpec command, RequestArguments arguments) {
        AclLog.Reason reported = denial(user.root(), command, arguments);
        if (reported == null) {
            return null;
        }
        int reportedPosition = reported == AclLog.Reason.COMMAND ? 0 : deniedPosition;
        List<AclSelector> selectors = user.selectors();
        for (int i = 0; i < selectors.size(); i++) {
            AclLog.Reason reason = denial(selectors.get(i), command, arguments);
            if (reason == null) {
                return null;
            }
            int position = reason == AclLog.Reason.COMMAND ? 0 : deniedPosition;
            if (gravity(reason) > gravity(reported) || (reason == reported && position > reportedPosition)) {
                reported = reason;
                reportedPosition = position;
            }
        }
        deniedPosition = reportedPosition;
        return reported;
    }

    /** Redis's order among the denials of one command: its ACL_DENIED_* codes. */
    private static int gravity(AclLog.Reason reason) {
        return switch (reason) {
            case COMMAND -> 1;
            case KEY -> 2;
            case AUTH -> 3;
            case CHANNEL -> 4;
        };
    }

    /**
     * Redis's ACLSelectorCheckCmd: the command (commands every client may send before
     * authenticating, AUTH and HELLO, are always allowed), then its keys, then its channels. The
     * argument of a denied key or channel is left in {@link #deniedPosition}.
     */
    private AclLog.Reason denial(AclSelector selector, CommandSpec command, RequestArguments arguments) {
        if (!command.has(CommandFlag.NO_AUTH) && !selector.mayRun(commandSet.id(command), arguments)) {
            return AclLog.Reason.COMMAND;
        }
        if (!selector.allKeys()) {
            for (CommandKeys.KeyReference key : CommandKeys.find(command, arguments, 0)) {
                boolean read = key.flags().contains("access");
                boolean write = key.flags().contains("insert") || key.flags().contains("update")
                        || key.flags().contains("delete");
                int position = key.position();
                if (!selector.mayUseKey(arguments.array(position), arguments.offset(position),
                        arguments.length(position), read, write)) {
                    deniedPosition = position;
                    return AclLog.Reason.KEY;
                }
            }
        }
        if (!selector.allChannels()) {
            ChannelArguments channels = ChannelArguments.of(command);
            if (channels != null) {
                int last = channels == ChannelArguments.FIRST ? Math.min(1, arguments.count() - 1) : arguments.count() - 1;
                for (int position = 1; position <= last; position++) {
                    if (!selector.mayUseChannel(arguments.array(position), arguments.offset(position),
                            arguments.length(position), channels == ChannelArguments.ALL_PATTERNS)) {
                        deniedPosition = position;
                        return AclLog.Reason.CHANNEL;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Which arguments of a command are channels an ACL checks: PUBLISH and SPUBLISH name one,
     * SUBSCRIBE and SSUBSCRIBE several, PSUBSCRIBE patterns. Unsubscribing is never denied.
     */
    private enum ChannelArguments {
        FIRST, ALL, ALL_PATTERNS;

        static ChannelArguments of(CommandSpec command) {
            return switch (command.name()) {
                case "publish", "spublish" -> FIRST;
                case "subscribe", "ssubscribe" -> ALL;
                case "psubscribe" -> ALL_PATTERNS;
                default -> null;
            };
        }
    }

    public long deniedCommands() {
        return deniedCommands;
    }

    public long deniedKeys() {
        return deniedKeys;
    }

    public long deniedChannels() {
        return deniedChannels;
    }
}
