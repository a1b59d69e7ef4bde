package io.nuthatch.server.acl;

import io.nuthatch.server.command.AclCategory;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.keyspace.GlobPattern;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One set of permissions of a user, as Redis 7.0 calls it a selector: the commands it may run,
 * the keys and channels it may use. Every user has a root selector, which the plain rules of ACL
 * SETUSER change; rules in parentheses add further ones ({@code (~cache:* +get)}). A command is
 * allowed when one selector allows it whole: the command, each of its keys and each of its
 * channels.
 *
 * <p>Besides whole commands, a selector may allow a command that it otherwise denies for some
 * first arguments only ({@code +select|0}), Redis's deprecated first-arg rules; they are kept per
 * command until a rule changes that command's permission again.
 */
final class AclSelector {
    /** A key pattern and whether it grants reading, writing or both (~, %R~, %W~, %RW~). */
    record KeyPattern(String pattern, byte[] bytes, boolean read, boolean write) {
    }

    private final AclCommandSet commandSet;
    /** Redis's reserved "future commands" bit: set by +@all / allcommands only. */
    private boolean allCommands;
    private final BitSet allowed;
    /** The first arguments allowed for commands otherwise denied, by command id; null when none. */
    private Map<Integer, List<String>> firstArguments;
    private boolean allKeys;
    private final List<KeyPattern> keyPatterns = new ArrayList<>();
    private boolean allChannels;
    private final List<String> channelPatterns = new ArrayList<>();
    /** The same patterns as bytes, for the checks on the command path. */
    private final List<byte[]> channelPatternBytes = new ArrayList<>();
    /** {@link #allowsEverything}, worked out as each rule applies: the check of every command asks it. */
    private boolean everything;

    AclSelector(AclCommandSet commandSet) {
        this.commandSet = commandSet;
        this.allowed = new BitSet(commandSet.size());
    }

    AclSelector copy() {
        AclSelector copy = new AclSelector(commandSet);
        copy.allCommands = allCommands;
        copy.allowed.or(allowed);
        if (firstArguments != null) {
            copy.firstArguments = new LinkedHashMap<>();
            firstArguments.forEach((id, arguments) -> copy.firstArguments.put(id, new ArrayList<>(arguments)));
        }
        copy.allKeys = allKeys;
        copy.keyPatterns.addAll(keyPatterns);
        copy.allChannels = allChannels;
        copy.channelPatterns.addAll(channelPatterns);
        copy.channelPatternBytes.addAll(channelPatternBytes);
        copy.everything = everything;
        return copy;
    }

    /** Whether nothing is denied: every command, key and channel (the default user as it starts). */
    boolean allowsEverything() {
        return everything;
    }

    boolean allKeys() {
        return allKeys;
    }

    boolean allChannels() {
        return allChannels;
    }

    /**
     * Whether the command may run with these arguments: its bit, or else a first argument allowed
     * for it (compared without case, as Redis compares it).
     */
    boolean mayRun(int commandId, io.nuthatch.resp.RequestArguments arguments) {
        if (commandId < 0) {
            return false;
        }
        if (allowed.get(commandId)) {
            return true;
        }
        if (firstArguments == null || arguments.count() < 2) {
            return false;
        }
        List<String> permitted = firstArguments.get(commandId);
        if (permitted == null) {
            return false;
        }
        for (String argument : permitted) {
            if (equalsIgnoringAsciiCase(argument, arguments.array(1), arguments.offset(1), arguments.length(1))) {
                return true;
            }
        }
        return false;
    }

    /** Redis's strcasecmp, against the argument's bytes where they are: no String per check. */
    private static boolean equalsIgnoringAsciiCase(String text, byte[] bytes, int offset, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (asciiLower(text.charAt(i)) != asciiLower((char) (bytes[offset + i] & 0xff))) {
                return false;
            }
        }
        return true;
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
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
            if (GlobPattern.matches(pattern.bytes(), key, offset, length, false)) {
                return true;
            }
        }
        return false;
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
                if (Arrays.equals(patternBytes, 0, patternBytes.length, channel, offset, offset + length)) {
                    return true;
                }
            } else if (GlobPattern.matches(patternBytes, channel, offset, length, false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies one rule that selectors understand (commands, keys, channels); anything else is
     * Redis's "Syntax error", which is what a user rule such as "on" gets inside parentheses.
     */
    void apply(String rule) throws AclRuleException {
        try {
            applyRule(rule);
        } finally {
            everything = allCommands && allKeys && allChannels && allowed.cardinality() == commandSet.size();
        }
    }

    private void applyRule(String rule) throws AclRuleException {
        String lower = rule.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
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
                firstArguments = null;
            }
            case "nocommands", "-@all" -> {
                allCommands = false;
                allowed.clear();
                firstArguments = null;
            }
            default -> applyPatterned(rule);
        }
    }

    private void applyPatterned(String rule) throws AclRuleException {
        char first = rule.isEmpty() ? 0 : rule.charAt(0);
        if (first == '~' || first == '%') {
            addKeyPattern(rule);
        } else if (first == '&') {
            addChannelPattern(rule.substring(1));
        } else if (first == '+' || first == '-') {
            applyCommandRule(rule, first == '+');
        } else {
            throw new AclRuleException("Syntax error");
        }
    }

    /** ~pattern, or %R~ / %W~ / %RW~ pattern, read as Redis reads them, errors in its order. */
    private void addKeyPattern(String rule) throws AclRuleException {
        if (allKeys) {
            throw new AclRuleException("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid"
                    + " and does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
        }
        boolean read = true;
        boolean write = true;
        int start = 1;
        if (rule.charAt(0) == '%') {
            read = false;
            write = false;
            for (; start < rule.length(); start++) {
                char flag = Character.toUpperCase(rule.charAt(start));
                if (flag == 'R' && !read) {
                    read = true;
                } else if (flag == 'W' && !write) {
                    write = true;
                } else if (rule.charAt(start) == '~') {
                    start++;
                    break;
                } else {
                    throw new AclRuleException("Syntax error");
                }
            }
            if (!read && !write) {
                throw new AclRuleException("Syntax error");
            }
        }
        String pattern = rule.substring(Math.min(start, rule.length()));
        if (read && write && pattern.equals("*")) {
            applyRule("allkeys");
            return;
        }
        if (hasSpaces(pattern)) {
            throw new AclRuleException("Syntax error");
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

    private void addChannelPattern(String pattern) throws AclRuleException {
        if (allChannels) {
            throw new AclRuleException("Adding a pattern after the * pattern (or the 'allchannels' flag) is not"
                    + " valid and does not have any effect. Try 'resetchannels' to start with an empty list of"
                    + " channels");
        }
        if (hasSpaces(pattern)) {
            throw new AclRuleException("Syntax error");
        }
        if (!channelPatterns.contains(pattern)) {
            channelPatterns.add(pattern);
            channelPatternBytes.add(pattern.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Redis refuses patterns holding a space or a NUL: the aclfile's line could not hold them. */
    private static boolean hasSpaces(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (Character.isWhitespace(c) || c == 0) {
                return true;
            }
        }
        return false;
    }

    /** +cmd, -cmd, +cmd|sub, -cmd|sub, +@category, -@category, and +cmd|firstarg. */
    private void applyCommandRule(String rule, boolean allow) throws AclRuleException {
        String name = rule.substring(1);
        if (name.startsWith("@")) {
            AclCategory category = AclCategories.byName(name.substring(1).toLowerCase(java.util.Locale.ROOT));
            if (category == null) {
                throw new AclRuleException(AclUser.UNKNOWN_COMMAND);
            }
            commandSet.changeCategory(allowed, category, allow);
            forgetFirstArguments(command -> command.inCategory(category));
            return;
        }
        int bar = name.lastIndexOf('|');
        if (!allow || bar < 0) {
            change(known(name), allow);
            return;
        }
        CommandSpec command = known(name.substring(0, bar));
        if (command.name().indexOf('|') >= 0) {
            throw new AclRuleException("Allowing first-arg of a subcommand is not supported");
        }
        String firstArgument = name.substring(bar + 1);
        if (firstArgument.isEmpty()) {
            throw new AclRuleException("Syntax error");
        }
        if (!command.subcommands().isEmpty()) {
            change(known(name), true);
            return;
        }
        addFirstArgument(commandSet.id(command), firstArgument);
    }

    private CommandSpec known(String name) throws AclRuleException {
        CommandSpec command = commandSet.find(name);
        if (command == null) {
            throw new AclRuleException(AclUser.UNKNOWN_COMMAND);
        }
        return command;
    }

    /** A command's permission, with its subcommands'; first arguments allowed before are forgotten. */
    private void change(CommandSpec command, boolean allow) {
        commandSet.change(allowed, command, allow);
        if (firstArguments != null) {
            firstArguments.remove(commandSet.id(command));
        }
    }

    private void forgetFirstArguments(java.util.function.Predicate<CommandSpec> changed) {
        if (firstArguments == null) {
            return;
        }
        for (Iterator<Integer> ids = firstArguments.keySet().iterator(); ids.hasNext(); ) {
            if (changed.test(commandSet.command(ids.next()))) {
                ids.remove();
            }
        }
    }

    private void addFirstArgument(int commandId, String argument) {
        if (firstArguments == null) {
            firstArguments = new LinkedHashMap<>();
        }
        List<String> arguments = firstArguments.computeIfAbsent(commandId, id -> new ArrayList<>(2));
        for (String existing : arguments) {
            if (existing.equalsIgnoreCase(argument)) {
                return;
            }
        }
        arguments.add(argument);
    }

    /** The key patterns as ACL GETUSER shows them ("" when there are none). */
    String describeKeys() {
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
    String describeChannels() {
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
    String describeCommands() {
        return AclCommandDescription.describe(commandSet, allCommands, allowed,
                firstArguments == null ? Map.of() : firstArguments);
    }

    /** The selector's part of an ACL LIST line: keys, channels, commands. */
    String describe() {
        StringBuilder text = new StringBuilder();
        String keys = describeKeys();
        if (!keys.isEmpty()) {
            text.append(keys).append(' ');
        }
        // Redis starts every list of channels that is not "&*" with resetchannels, even a non-empty one.
        String channels = describeChannels();
        text.append(allChannels ? channels : channels.isEmpty() ? "resetchannels" : "resetchannels " + channels);
        return text.append(' ').append(describeCommands()).toString();
    }
}
