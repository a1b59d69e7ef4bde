package io.nuthatch.server.acl;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandKeys;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.command.CommandTable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The users of the server, the default user among them, and the permission check the dispatcher
 * makes before each command. The default user starts as Redis's ("on nopass ~* &* +@all");
 * requirepass, when set, is its one password.
 */
public final class AclUsers {
    public static final String DEFAULT_USER = "default";
    private static final CommandError KEY_DENIED =
            new CommandError("NOPERM this user has no permissions to access one of the keys used as arguments");

    private final AclCommandSet commandSet;
    /** Sorted by name, as Redis's radix tree lists them. */
    private final Map<String, AclUser> users = new TreeMap<>();
    private AclUser defaultUser;
    /** Counted for INFO's acl_access_denied_cmd and acl_access_denied_key. */
    private long deniedCommands;
    private long deniedKeys;

    public AclUsers(CommandTable commands) {
        this.commandSet = new AclCommandSet(commands);
        AclUser user = new AclUser(DEFAULT_USER, commandSet);
        try {
            for (String rule : new String[] {"on", "nopass", "~*", "&*", "+@all"}) {
                user.apply(rule);
            }
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
        install(user);
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
     * ACL SETUSER: applies the rules to a copy of the user (a new one when absent, "off -@all"
     * and the channels acl-pubsub-default gives) and keeps it only when every rule applied.
     *
     * @param pubsubAllChannels whether acl-pubsub-default is allchannels
     * @throws AclRuleException naming the first rule that failed, as "Error in ACL SETUSER modifier"
     */
    public void setUser(String name, List<String> rules, boolean pubsubAllChannels) throws AclRuleException {
        AclUser existing = users.get(name);
        AclUser user;
        if (existing != null) {
            user = existing.copy();
        } else {
            user = new AclUser(name, commandSet);
            if (pubsubAllChannels) {
                user.apply("allchannels");
            }
        }
        for (String rule : rules) {
            try {
                user.apply(rule);
            } catch (AclRuleException e) {
                throw new AclRuleException("Error in ACL SETUSER modifier '" + rule + "': " + e.getMessage());
            }
        }
        install(user);
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
     * not run the command or use one of its keys; null when it may. A user allowed every command
     * and key (the default user as it starts) is answered without looking further.
     */
    public CommandError check(ClientSession client, CommandSpec command, RequestArguments arguments) {
        AclUser user = users.get(client.user());
        if (user == null) {
            user = defaultUser;
        }
        if (user.allCommandsAndKeys()) {
            return null;
        }
        if (!user.mayRun(commandSet.id(command))) {
            deniedCommands++;
            return new CommandError("NOPERM this user has no permissions to run the '" + command.name() + "' command");
        }
        if (!user.allKeys()) {
            for (CommandKeys.KeyReference key : CommandKeys.find(command, arguments, 0)) {
                boolean read = key.flags().contains("access");
                boolean write = key.flags().contains("insert") || key.flags().contains("update")
                        || key.flags().contains("delete");
                int position = key.position();
                if (!user.mayUseKey(arguments.array(position), arguments.offset(position), arguments.length(position),
                        read, write)) {
                    deniedKeys++;
                    return KEY_DENIED;
                }
            }
        }
        return null;
    }

    public long deniedCommands() {
        return deniedCommands;
    }

    public long deniedKeys() {
        return deniedKeys;
    }
}
