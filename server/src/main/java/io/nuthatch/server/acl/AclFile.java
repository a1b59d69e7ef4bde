package io.nuthatch.server.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aclfile: one ACL LIST line per user. ACL LOAD and startup read it, ACL SAVE writes it.
 *
 * <p>Loading is all or nothing, as Redis's ACLLoadFromFile: every line is checked, the errors of
 * all lines are collected into one message (Redis's words, file name and line number), and the
 * users in force change only when there was none. The line grammar is Redis 7.0's, stricter than
 * a config file's: arguments are separated by single spaces (two spaces make an empty, invalid
 * rule), there are no quotes and no comments; blank lines are skipped.
 */
public final class AclFile {
    /** Thrown with the whole message Redis gives (without "ERR "). */
    public static final class LoadError extends Exception {
        LoadError(String message) {
            super(message);
        }
    }

    private AclFile() {
    }

    /**
     * Reads the file and, when every line is valid, makes its users the ones in force.
     *
     * @return the users that were replaced, by name (their clients are to be closed)
     */
    public static Map<String, AclUser> load(AclUsers acl, Path file) throws LoadError {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new LoadError("Error loading ACLs, opening file '" + file + "': No such file or directory");
        } catch (IOException e) {
            throw new LoadError("Error loading ACLs, opening file '" + file + "': " + e.getMessage());
        }
        Map<String, AclUser> loaded = new TreeMap<>();
        StringBuilder errors = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = trim(lines[i], " \t\r\n");
            if (line.isEmpty()) {
                continue;
            }
            List<String> arguments = Arrays.asList(line.split(" ", -1));
            if (!arguments.get(0).equals("user") || arguments.size() < 2) {
                errors.append(file).append(':').append(lineNumber)
                        .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String name = arguments.get(1);
            if (loaded.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(lineNumber)
                        .append(". ");
                continue;
            }
            AclUser user = acl.newUser(name);
            loaded.put(name, user);
            // Every unknown command is reported, with its rule; of the other errors only the
            // first, since it may be the cause of those after it.
            boolean syntaxError = false;
            List<String> rules;
            try {
                rules = AclUser.mergeSelectorArguments(arguments.subList(2, arguments.size()));
            } catch (AclUser.UnmatchedParenthesis e) {
                errors.append(file).append(':').append(lineNumber).append(": Unmatched parenthesis in selector definition. ");
                continue;
            }
            for (String argument : rules) {
                String rule = trim(argument, "\t\r\n");
                try {
                    acl.applyRule(user, rule);
                } catch (AclRuleException e) {
                    if (e.getMessage().equals(AclUser.UNKNOWN_COMMAND)) {
                        errors.append(file).append(':').append(lineNumber).append(": Error in applying operation '")
                                .append(rule).append("': ").append(e.getMessage()).append(". ");
                    } else if (!syntaxError) {
                        errors.append(file).append(':').append(lineNumber).append(": ").append(e.getMessage())
                                .append(". ");
                        syntaxError = true;
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            errors.append("WARNING: ACL errors detected, no change to the previously active ACL rules was performed");
            throw new LoadError(errors.toString());
        }
        Map<String, AclUser> replaced = new LinkedHashMap<>();
        for (AclUser user : acl.users()) {
            replaced.put(user.name(), user);
        }
        acl.replaceAll(loaded);
        return replaced;
    }

    /**
     * Writes every user's ACL LIST line to a temporary file beside the aclfile, then renames it
     * over the aclfile, so that a crash leaves the old file or the new one, never half of one.
     */
    public static void save(AclUsers acl, Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : acl.describeAll()) {
            text.append(line).append('\n');
        }
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp-" + ProcessHandle.current().pid()
                + "-" + System.currentTimeMillis());
        try {
            Files.writeString(temporary, text, StandardCharsets.ISO_8859_1);
            try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** sdstrim: drops the given characters from both ends. */
    private static String trim(String text, String characters) {
        int start = 0;
        int end = text.length();
        while (start < end && characters.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && characters.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(start, end);
    }
}
