package io.nuthatch.server.acl;

import io.nuthatch.resp.InlineRequestSplitter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One user: whether it is enabled, its password hashes, and the commands, keys and channels it may
 * use, as a root selector and the further selectors given in parentheses ({@link AclSelector}).
 * Rules change it one at a time ({@link #apply}); ACL SETUSER applies them to a copy and keeps
 * the copy only when all of them applied, so that a bad rule changes nothing.
 */
public final class AclUser {
    static final String UNKNOWN_COMMAND = "Unknown command or category name in ACL";
    private static final String NO_SUCH_PASSWORD = "The password you are trying to remove from the user does not exist";

    private final String name;
    private final AclCommandSet commandSet;
    /** Whether a new selector starts with every channel (acl-pubsub-default allchannels). */
    private final BooleanSupplier selectorsStartWithAllChannels;
    private boolean enabled;
    private boolean nopass;
    /** null, "sanitize-payload" or "skip-sanitize-payload": shown as set, not otherwise used yet. */
    private String sanitizePayload;
    private final Set<String> passwordHashes = new LinkedHashSet<>();
    private final AclSelector root;
    /** The selectors given in parentheses, in the order given. */
    private final List<AclSelector> selectors = new ArrayList<>();

    AclUser(String name, AclCommandSet commandSet, BooleanSupplier selectorsStartWithAllChannels) {
        this(name, commandSet, selectorsStartWithAllChannels, new AclSelector(commandSet));
    }

    private AclUser(String name, AclCommandSet commandSet, BooleanSupplier selectorsStartWithAllChannels,
                    AclSelector root) {
        this.name = name;
        this.commandSet = commandSet;
        this.selectorsStartWithAllChannels = selectorsStartWithAllChannels;
        this.root = root;
    }

    AclUser copy() {
        AclUser copy = new AclUser(name, commandSet, selectorsStartWithAllChannels, root.copy());
        copy.enabled = enabled;
        copy.nopass = nopass;
        copy.sanitizePayload = sanitizePayload;
        copy.passwordHashes.addAll(passwordHashes);
        for (AclSelector selector : selectors) {
            copy.selectors.add(selector.copy());
        }
        return copy;
    }

    public String name() {
        return name;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public boolean isNopass() {
        return nopass;
    }

    /** Whether nothing is denied: every command, key and channel (the default user as it starts). */
    boolean allowsEverything() {
        return root.allowsEverything();
    }

    AclSelector root() {
        return root;
    }

    /** The selectors given in parentheses; the root selector is not among them. */
    List<AclSelector> selectors() {
        return selectors;
    }

    /**
     * Whether every channel and pattern a connection is subscribed to is still allowed by one of
     * the user's selectors, as Redis decides which subscribers an ACL change disconnects.
     */
    public boolean maySubscribeToAll(io.nuthatch.server.client.Subscriptions subscriptions) {
        if (root.allChannels()) {
            return true;
        }
        for (AclSelector selector : selectors) {
            if (selector.allChannels()) {
                return true;
            }
        }
        for (io.nuthatch.server.pubsub.ChannelName pattern : subscriptions.patterns()) {
            if (!anySelectorAllowsChannel(pattern.bytes(), true)) {
                return false;
            }
        }
        for (io.nuthatch.server.pubsub.ChannelName channel : subscriptions.channels()) {
            if (!anySelectorAllowsChannel(channel.bytes(), false)) {
                return false;
            }
        }
        for (io.nuthatch.server.pubsub.ChannelName channel : subscriptions.shardChannels()) {
            if (!anySelectorAllowsChannel(channel.bytes(), false)) {
                return false;
            }
        }
        return true;
    }

    private boolean anySelectorAllowsChannel(byte[] channel, boolean isPattern) {
        if (root.mayUseChannel(channel, 0, channel.length, isPattern)) {
            return true;
        }
        for (AclSelector selector : selectors) {
            if (selector.mayUseChannel(channel, 0, channel.length, isPattern)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the password matches one of the user's, in time that does not depend on where they differ. */
    boolean acceptsPassword(String password) {
        if (nopass) {
            return true;
        }
        byte[] given = sha256Hex(password).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String hash : passwordHashes) {
            matched |= MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), given);
        }
        return matched;
    }

    /**
     * Applies one rule of ACL SETUSER: a rule of the user itself, a selector in parentheses
     * (arguments already merged, see {@link #mergeSelectorArguments}), or a rule of the root selector.
     */
    void apply(String rule) throws AclRuleException {
        String lower = rule.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "on" -> enabled = true;
            case "off" -> enabled = false;
            case "nopass" -> {
                nopass = true;
                passwordHashes.clear();
            }
            case "resetpass" -> {
                nopass = false;
                passwordHashes.clear();
            }
            case "sanitize-payload" -> sanitizePayload = "sanitize-payload";
            case "skip-sanitize-payload" -> sanitizePayload = "skip-sanitize-payload";
            case "clearselectors" -> selectors.clear();
            case "reset" -> {
                apply("resetpass");
                apply("resetkeys");
                apply("resetchannels");
                apply("off");
                apply("sanitize-payload");
                apply("clearselectors");
                apply("-@all");
            }
            default -> applyPatterned(rule);
        }
    }

    private void applyPatterned(String rule) throws AclRuleException {
        char first = rule.isEmpty() ? 0 : rule.charAt(0);
        if (first == '>') {
            passwordHashes.add(sha256Hex(rule.substring(1)));
            nopass = false;
        } else if (first == '#') {
            passwordHashes.add(checkedHash(rule.substring(1)));
            nopass = false;
        } else if (first == '<') {
            if (!passwordHashes.remove(sha256Hex(rule.substring(1)))) {
                throw new AclRuleException(NO_SUCH_PASSWORD);
            }
        } else if (first == '!') {
            if (!passwordHashes.remove(checkedHash(rule.substring(1)))) {
                throw new AclRuleException(NO_SUCH_PASSWORD);
            }
        } else if (first == '(' && rule.length() > 1 && rule.charAt(rule.length() - 1) == ')') {
            selectors.add(parseSelector(rule.substring(1, rule.length() - 1)));
        } else {
            root.apply(rule);
        }
    }

    private static String checkedHash(String hash) throws AclRuleException {
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new AclRuleException("The password hash must be exactly 64 characters and contain only"
                    + " lowercase hexadecimal characters");
        }
        return hash;
    }

    /**
     * A selector's rules, split as Redis splits them (sdssplitargs: blanks, quotes); text whose
     * quotes do not balance gives no rules, hence an empty selector, as in Redis.
     */
    private AclSelector parseSelector(String rules) throws AclRuleException {
        AclSelector selector = new AclSelector(commandSet);
        if (selectorsStartWithAllChannels.getAsBoolean()) {
            selector.apply("allchannels");
        }
        List<byte[]> split = InlineRequestSplitter.splitLine(rules.getBytes(StandardCharsets.ISO_8859_1));
        if (split != null) {
            for (byte[] selectorRule : split) {
                selector.apply(new String(selectorRule, StandardCharsets.ISO_8859_1));
            }
        }
        return selector;
    }

    /**
     * Joins the arguments of a selector a client split at its blanks ("(~cache:*", "+get)") back
     * into one, as Redis's ACL SETUSER and aclfile do before applying them.
     *
     * @throws UnmatchedParenthesis naming the argument that opened a selector never closed
     */
    static List<String> mergeSelectorArguments(List<String> arguments) throws UnmatchedParenthesis {
        List<String> merged = new ArrayList<>(arguments.size());
        StringBuilder selector = null;
        String opening = null;
        for (String argument : arguments) {
            // As in Redis, an argument that opens a selector while one is open starts over from it.
            if (argument.startsWith("(") && !argument.endsWith(")")) {
                selector = new StringBuilder(argument);
                opening = argument;
            } else if (selector != null) {
                selector.append(' ').append(argument);
                if (argument.endsWith(")")) {
                    merged.add(selector.toString());
                    selector = null;
                }
            } else {
                merged.add(argument);
            }
        }
        if (selector != null) {
            throw new UnmatchedParenthesis(opening);
        }
        return merged;
    }

    /** A selector opened with "(" and never closed; Redis words it differently in each place. */
    static final class UnmatchedParenthesis extends Exception {
        private static final long serialVersionUID = 1L;
        private final String opening;

        UnmatchedParenthesis(String opening) {
            super("Unmatched parenthesis in acl selector starting at '" + opening + "'.", null, false, false);
            this.opening = opening;
        }

        String opening() {
            return opening;
        }
    }

    /** The flags ACL GETUSER lists, in Redis's order. */
    public List<String> flags() {
        List<String> flags = new ArrayList<>(3);
        flags.add(enabled ? "on" : "off");
        if (nopass) {
            flags.add("nopass");
        }
        if (sanitizePayload != null) {
            flags.add(sanitizePayload);
        }
        return flags;
    }

    public List<String> passwordHashes() {
        return List.copyOf(passwordHashes);
    }

    /** What ACL GETUSER shows of a selector: its commands, keys and channels. */
    public record SelectorDescription(String commands, String keys, String channels) {
        static SelectorDescription of(AclSelector selector) {
            return new SelectorDescription(selector.describeCommands(), selector.describeKeys(),
                    selector.describeChannels());
        }
    }

    /** The root selector, whose fields ACL GETUSER lists beside the user's flags and passwords. */
    public SelectorDescription describeRoot() {
        return SelectorDescription.of(root);
    }

    /** The selectors given in parentheses, in their order. */
    public List<SelectorDescription> describeSelectors() {
        List<SelectorDescription> descriptions = new ArrayList<>(selectors.size());
        for (AclSelector selector : selectors) {
            descriptions.add(SelectorDescription.of(selector));
        }
        return descriptions;
    }

    /** The line ACL LIST shows, which is also the user's line in an aclfile. */
    String describe() {
        StringBuilder line = new StringBuilder("user ").append(name);
        for (String flag : flags()) {
            line.append(' ').append(flag);
        }
        for (String hash : passwordHashes) {
            line.append(" #").append(hash);
        }
        line.append(' ').append(root.describe());
        for (AclSelector selector : selectors) {
            line.append(" (").append(selector.describe()).append(')');
        }
        return line.toString();
    }

    static String sha256Hex(String password) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(password.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
