package io.nuthatch.server.config;


import io.nuthatch.server.ServerIdentity;

import java.util.List;

/**
 * A configuration that cannot be loaded, reported as redis-server reports it before exiting with
 * status 1: either the "FATAL CONFIG FILE ERROR" block on standard error, with the line when
 * there is one, or, for a file that cannot be opened, a log line.
 */
public final class ConfigFileError extends Exception {
    private final int lineNumber;
    private final String line;
    private final boolean unreadableFile;

    private ConfigFileError(String message, int lineNumber, String line, boolean unreadableFile) {
        super(message);
        this.lineNumber = lineNumber;
        this.line = line;
        this.unreadableFile = unreadableFile;
    }

    /** A line that is wrong; the number counts from 1 in the text being read. */
    static ConfigFileError atLine(int lineNumber, String line, String reason) {
        return new ConfigFileError(reason, lineNumber, line, false);
    }

    /** A configuration that is wrong as a whole (a log file that cannot be opened). */
    public static ConfigFileError withoutLine(String reason) {
        return new ConfigFileError(reason, 0, null, false);
    }

    /** A config file that cannot be read, which Redis reports as a log line. */
    static ConfigFileError unreadable(String path, String reason) {
        return new ConfigFileError("Fatal error, can't open config file '" + path + "': " + reason, 0, null, true);
    }

    /** Whether this is reported as a log line ({@link #getMessage()}) rather than the error block. */
    public boolean isUnreadableFile() {
        return unreadableFile;
    }

    public int lineNumber() {
        return lineNumber;
    }

    /** The line, trimmed, or null. */
    public String line() {
        return line;
    }

    /** The reason, as the last line of the block says it. */
    public String reason() {
        return getMessage();
    }

    /** The block redis-server writes to standard error, byte for byte. */
    public String report() {
        StringBuilder report = new StringBuilder("\n*** FATAL CONFIG FILE ERROR (Redis ")
                .append(ServerIdentity.REDIS_VERSION).append(") ***\n");
        if (line != null) {
            report.append("Reading the configuration file, at line ").append(lineNumber).append('\n');
            report.append(">>> '").append(line).append("'\n");
        }
        return report.append(getMessage()).append('\n').toString();
    }

    /**
     * Our own advice for a mistake Redis only reports, or null: a comment after a directive, which
     * redis.conf does not allow ("save 900 1  # after 15 minutes").
     */
    public String hint() {
        if (line == null) {
            return null;
        }
        int comment = unquotedCommentStart(line);
        if (comment < 0) {
            return null;
        }
        String directive = ConfigSyntax.trim(line.substring(0, comment));
        String remark = line.substring(comment);
        return "Hint: redis.conf does not allow a comment after a directive; a comment must go on a line of its own."
                + " Move '" + remark + "' to its own line above '" + directive + "'.";
    }

    /** Where a '#' starts an argument of the line after the directive's name, outside quotes; -1 when none. */
    private static int unquotedCommentStart(String line) {
        List<String> arguments = ConfigSyntax.splitArguments(line);
        if (arguments == null || arguments.size() < 2
                || arguments.subList(1, arguments.size()).stream().noneMatch(a -> a.startsWith("#"))) {
            return -1;
        }
        char quote = 0;
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && ConfigSyntax.isSpace(line.charAt(i - 1))) {
                return i;
            }
        }
        return -1;
    }
}
