package io.nuthatch.server.log;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server log, in Redis's format so that the tools that read Redis logs read ours:
 * {@code 1234:M 23 Nov 2026 07:46:55.123 * Ready to accept connections tcp}. The character after
 * the date is the level: '.' debug, '-' verbose, '*' notice, '#' warning. The one before is the
 * role: 'C' while the process starts (Redis's letter for a process that is not yet the server),
 * then 'M' for a primary.
 *
 * <p>With a logfile, each line opens the file, appends and closes it, as Redis does: a log
 * rotation that moves the file away needs no signal, the next line creates a new file.
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
    private final PrintStream standardOutput;
    private volatile Level level = Level.NOTICE;
    private volatile Path file;
    private volatile char role = 'M';

    /** A log on standard output. */
    public ServerLog() {
        this(System.out);
    }

    /** A log on the given stream, until a file is set. */
    public ServerLog(PrintStream standardOutput) {
        this.standardOutput = standardOutput;
    }

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
        file(path == null || path.isEmpty() ? null : Path.of(path));
    }

    /**
     * Writes to the given file, appending, or to standard output for null.
     *
     * @throws IOException if the file cannot be opened for appending
     */
    public void file(Path path) throws IOException {
        if (path != null) {
            try (OutputStream ignored = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                // opened to check it can be
            }
        }
        file = path;
    }

    /** The role letter: 'C' while starting, 'M' for a primary. */
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
        write(pid + ":" + role + " " + TIMESTAMP.format(Instant.now()) + " " + messageLevel.marker + " " + message);
    }

    /** Writes a line without the prefix (the startup banner). */
    public void raw(String text) {
        write(text);
    }

    private synchronized void write(String line) {
        Path target = file;
        if (target == null) {
            standardOutput.println(line);
            return;
        }
        try {
            Files.write(target, (line + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // As Redis: a log line that cannot be written is lost, the server goes on.
        }
    }
}
