package io.nuthatch.server.acl;

import io.nuthatch.server.command.AclCategory;
import io.nuthatch.server.command.CommandSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One user: whether it is enabled, its password hashes, and the commands, keys and channels it may
 * use. Rules change it one at a time ({@link #apply}); ACL SETUSER applies them to a copy and keeps
 * the copy only when all of them applied, so that a bad rule changes nothing.
 */
public final class AclUser {
    /** A key pattern and whether it grants reading, writing or both (~, %R~, %W~, %RW~). */
    record KeyPattern(String pattern, byte[] bytes, boolean read, boolean write) {
    }

    static final String UNKNOWN_COMMAND = "Unknown command or category name in ACL";

    private final String name;
    private final AclCommandSet commandSet;
    private boolean enabled;
    private boolean nopass;
    /** null, "sanitize-payload" or "skip-sanitize-payload": shown as set, not otherwise used yet. */
    private String sanitizePayload;
    private final Set<String> passwordHashes = new LinkedHashSet<>();
    /** Redis's reserved "future commands" bit: set by +@all / allcommands only. */
    private boolean allCommands;
    private final BitSet allowed;
    private boolean allKeys;
    private final List<KeyPattern> keyPatterns = new ArrayList<>();
    private boolean allChannels;
    private final List<String> channelPatterns = new ArrayList<>();
    /** The same patterns as bytes, for the checks on the command path. */
    private final List<byte[]> channelPatternBytes = new ArrayList<>();

    AclUser(String name, AclCommandSet commandSet) {
        this.name = name;
        this.commandSet = commandSet;
        this.allowed = new BitSet(commandSet.size());
    }

    AclUser copy() {
        AclUser copy = new AclUser(name, commandSet);
        copy.enabled = enabled;
        copy.nopass = nopass;
        copy.sanitizePayload = sanitizePayload;
        copy.passwordHashes.addAll(passwordHashes);
        copy.allCommands = allCommands;
        copy.allowed.or(allowed);
        copy.allKeys = allKeys;
        copy.keyPatterns.addAll(keyPatterns);
        copy.allChannels = allChannels;
        copy.channelPatterns.addAll(channelPatterns);
        copy.channelPatternBytes.addAll(channelPatternBytes);
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
        return allCommands && allKeys && allChannels && allowed.cardinality() == commandSet.size();
    }

    boolean allChannels() {
        return allChannels;
    }

    /**
     * Whether a channel may be used: a channel name (PUBLISH, SUBSCRIBE) must match one of the
     * patterns; a pattern (PSUBSCRIBE) must be one of them, letter for letter, since a pattern
     * matching only part of what the user may see would still let it see more.
     */
    boolean mayUseChannel(byte[] channel, int offset, int length, boolean isPattern) {
        if (allChannels) {
            return true;
        }
        for (byte[] patternBytes : channelPatternBytes) {
            if (isPattern) {
                if (java.util.Arrays.equals(patternBytes, 0, patternBytes.length, channel, offset, offset + length)) {
                    return true;
                }
            } else if (io.nuthatch.server.keyspace.GlobPattern.matches(patternBytes, channel, offset, length, false)) {
                return true;
            }
        }
        return false;
    }

    boolean mayRun(int commandId) {
        return commandId >= 0 && allowed.get(commandId);
    }

    boolean allKeys() {
        return allKeys;
    }

    /** Whether a key may be used with the access its key spec asks for (read, write, or neither known). */
    boolean mayUseKey(byte[] key, int offset, int length, boolean read, boolean write) {
        if (allKeys) {
            return true;
        }
        for (KeyPattern pattern : keyPatterns) {
            if ((read && !pattern.read()) || (write && !pattern.write())) {
                continue;
            }
            if (io.nuthatch.server.keyspace.GlobPattern.matches(pattern.bytes(), key, offset, length, false)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every channel and pattern a connection is subscribed to is still allowed. */
    public boolean maySubscribeToAll(io.nuthatch.server.client.Subscriptions subscriptions) {
        if (allChannels) {
            return true;
        }
        for (io.nuthatch.server.pubsub.ChannelName pattern : subscriptions.patterns()) {
            if (!mayUseChannel(pattern.bytes(), 0, pattern.bytes().length, true)) {
                return false;
            }
        }
        for (io.nuthatch.server.pubsub.ChannelName channel : subscriptions.channels()) {
            if (!mayUseChannel(channel.bytes(), 0, channel.bytes().length, false)) {
                return false;
            }
        }
        for (io.nuthatch.server.pubsub.ChannelName channel : subscriptions.shardChannels()) {
            if (!mayUseChannel(channel.bytes(), 0, channel.bytes().length, false)) {
                return false;
            }
        }
        return true;
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

    /** Applies one rule of ACL SETUSER. */
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
            case "allkeys", "~*" -> {
                allKeys = true;
                keyPatterns.clear();
            }
            case "resetkeys" -> {
                allKeys = false;
                keyPatterns.clear();
            }
            case "allchannels", "&*" -> {
                allChannels = true;
                channelPatterns.clear();
                channelPatternBytes.clear();
            }
            case "resetchannels" -> {
                allChannels = false;
                channelPatterns.clear();
                channelPatternBytes.clear();
            }
            case "allcommands", "+@all" -> {
                allCommands = true;
                allowed.set(0, commandSet.size());
            }
            case "nocommands", "-@all" -> {
                allCommands = false;
                allowed.clear();
            }
            case "reset" -> {
                apply("resetpass");
                apply("resetkeys");
                apply("resetchannels");
                apply("off");
                apply("sanitize-payload");
                apply("-@all");
            }
            default -> applyPatterned(rule, lower);
        }
    }

    private void applyPatterned(String rule, String lower) throws AclRuleException {
        char first = rule.isEmpty() ? 0 : rule.charAt(0);
        if (first == '>') {
            passwordHashes.add(sha256Hex(rule.substring(1)));
            nopass = false;
        } else if (first == '#') {
            String hash = rule.substring(1);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new AclRuleException("The password hash must be exactly 64 characters and contain only"
                        + " lowercase hexadecimal characters");
            }
            passwordHashes.add(hash);
            nopass = false;
        } else if (first == '<') {
            if (!passwordHashes.remove(sha256Hex(rule.substring(1)))) {
                throw new AclRuleException("no such password");
            }
        } else if (first == '!') {
            if (!passwordHashes.remove(rule.substring(1))) {
                throw new AclRuleException("no such password");
            }
        } else if (first == '~' || first == '%') {
            addKeyPattern(rule);
        } else if (first == '&') {
            if (allChannels) {
                throw new AclRuleException("Adding a pattern after the * pattern (or the 'allchannels' flag) is not"
                        + " valid and does not have any effect. Try 'resetchannels' to start with an empty list of"
                        + " channels");
            }
            String pattern = rule.substring(1);
            if (!channelPatterns.contains(pattern)) {
                channelPatterns.add(pattern);
                channelPatternBytes.add(pattern.getBytes(StandardCharsets.ISO_8859_1));
            }
        } else if (first == '+' || first == '-') {
            applyCommandRule(lower, first == '+');
        } else {
            throw new AclRuleException("Syntax error");
        }
    }

    /** ~pattern, or %R~ / %W~ / %RW~ pattern: a key pattern for reading, writing or both. */
    private void addKeyPattern(String rule) throws AclRuleException {
        boolean read = true;
        boolean write = true;
        String pattern;
        if (rule.charAt(0) == '%') {
            int tilde = rule.indexOf('~');
            if (tilde < 0) {
                throw new AclRuleException("Syntax error");
            }
            read = false;
            write = false;
            for (int i = 1; i < tilde; i++) {
                char flag = Character.toUpperCase(rule.charAt(i));
                if (flag == 'R') {
                    read = true;
                } else if (flag == 'W') {
                    write = true;
                } else {
                    throw new AclRuleException("Syntax error");
                }
            }
            if (!read && !write) {
                throw new AclRuleException("Syntax error");
            }
            pattern = rule.substring(tilde + 1);
        } else {
            pattern = rule.substring(1);
        }
        if (allKeys) {
            throw new AclRuleException("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid"
                    + " and does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
        }
        if (read && write && pattern.equals("*")) {
            apply("allkeys");
            return;
        }
        for (int i = 0; i < keyPatterns.size(); i++) {
            KeyPattern existing = keyPatterns.get(i);
            if (existing.pattern().equals(pattern)) {
                keyPatterns.set(i, new KeyPattern(pattern, existing.bytes(), existing.read() || read,
                        existing.write() || write));
                return;
            }
        }
        keyPatterns.add(new KeyPattern(pattern, pattern.getBytes(StandardCharsets.ISO_8859_1), read, write));
    }

    /** +cmd, -cmd, +cmd|sub, -cmd|sub, +@category, -@category. */
    private void applyCommandRule(String lower, boolean allow) throws AclRuleException {
        String name = lower.substring(1);
        if (name.startsWith("@")) {
            AclCategory category = AclCategories.byName(name.substring(1));
            if (category == null) {
                throw new AclRuleException(UNKNOWN_COMMAND);
            }
            commandSet.changeCategory(allowed, category, allow);
            return;
        }
        CommandSpec command = commandSet.find(name);
        if (command == null) {
            // Redis's "+cmd|firstarg" (allowing one first argument of a plain command) is not
            // supported: it is refused like an unknown name rather than accepted and ignored.
            throw new AclRuleException(UNKNOWN_COMMAND);
        }
        commandSet.change(allowed, command, allow);
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

    /** The key patterns as ACL GETUSER shows them ("" when there are none). */
    public String describeKeys() {
        if (allKeys) {
            return "~*";
        }
        StringBuilder text = new StringBuilder();
        for (KeyPattern pattern : keyPatterns) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(pattern.read() && pattern.write() ? "~" : pattern.read() ? "%R~" : "%W~").append(pattern.pattern());
        }
        return text.toString();
    }

    /** The channel patterns as ACL GETUSER shows them ("" when there are none). */
    public String describeChannels() {
        if (allChannels) {
            return "&*";
        }
        StringBuilder text = new StringBuilder();
        for (String pattern : channelPatterns) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append('&').append(pattern);
        }
        return text.toString();
    }

    /** The command rules as Redis describes them: see {@link AclCommandDescription}. */
    public String describeCommands() {
        return AclCommandDescription.describe(commandSet, allCommands, allowed);
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
        String keys = describeKeys();
        if (!keys.isEmpty()) {
            line.append(' ').append(keys);
        }
        String channels = describeChannels();
        // Redis starts every list of channels that is not "&*" with resetchannels, even a non-empty one.
        line.append(' ').append(allChannels ? channels : channels.isEmpty() ? "resetchannels" : "resetchannels " + channels);
        line.append(' ').append(describeCommands());
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
