package io.nuthatch.server.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server log, in Redis's format so that the tools that read Redis logs read ours:
 * {@code 1234:M 23 Nov 2026 07:46:55.123 * Ready to accept connections tcp}. The character after
 * the date is the level: '.' debug, '-' verbose, '*' notice, '#' warning.
 */
public final class ServerLog {

    /** Levels, from most to least verbose, with their redis.conf names. */
    public enum Level {
        DEBUG("debug", '.'), VERBOSE("verbose", '-'), NOTICE("notice", '*'), WARNING("warning", '#'), NOTHING("nothing", ' ');

        private final String configName;
        private final char marker;

        Level(String configName, char marker) {
            this.configName = configName;
            this.marker = marker;
        }

        public static Level byName(String name) {
            for (Level level : values()) {
                if (level.configName.equalsIgnoreCase(name)) {
                    return level;
                }
            }
            throw new IllegalArgumentException("log level " + name);
        }
    }

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH).withZone(ZoneId.systemDefault());

    private final long pid = ProcessHandle.current().pid();
    private volatile Level level = Level.NOTICE;
    private volatile PrintStream out = System.out;
    private volatile char role = 'M';

    /** Sets the least important level written (loglevel). */
    public void level(Level level) {
        this.level = level;
    }

    public boolean isEnabled(Level candidate) {
        return candidate != Level.NOTHING && candidate.ordinal() >= level.ordinal() && level != Level.NOTHING;
    }

    /**
     * Writes to the given file, appending, or to standard output for "" (logfile).
     *
     * @throws IOException if the file cannot be opened
     */
    public void file(String path) throws IOException {
        if (path == null || path.isEmpty()) {
            out = System.out;
        } else {
            out = new PrintStream(new FileOutputStream(path, true), true, StandardCharsets.UTF_8);
        }
    }

    /** The role letter: M for a primary (the only role so far). */
    public void role(char role) {
        this.role = role;
    }

    public void debug(String message) {
        log(Level.DEBUG, message);
    }

    public void verbose(String message) {
        log(Level.VERBOSE, message);
    }

    public void notice(String message) {
        log(Level.NOTICE, message);
    }

    public void warning(String message) {
        log(Level.WARNING, message);
    }

    public void log(Level messageLevel, String message) {
        if (!isEnabled(messageLevel)) {
            return;
        }
        String line = pid + ":" + role + " " + TIMESTAMP.format(java.time.Instant.now()) + " "
                + messageLevel.marker + " " + message;
        PrintStream target = out;
        synchronized (this) {
            target.println(line);
        }
    }

    /** Writes a line without the prefix (the startup banner). */
    public void raw(String text) {
        PrintStream target = out;
        synchronized (this) {
            target.println(text);
        }
    }
}
