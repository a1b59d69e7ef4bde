package io.nuthatch.server.config;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads configuration text with redis.conf's grammar into a {@link ServerConfig}, as redis-server
 * 7.0.15 does.
 *
 * <p>The text is split into lines; each is trimmed, and blank lines and lines starting with '#'
 * are skipped (a '#' later in a line is an argument, not a comment). The line splits into
 * arguments ({@link ConfigSyntax#splitArguments}); the first names a directive, ignoring case.
 * Besides the directives of the table there are the ones only a file has: include (another file,
 * read there and then; a pattern with * ? [ includes every match, none being fine), rename-command,
 * user, loadmodule, sentinel, and three retired ones Redis still skips (list-max-ziplist-entries,
 * list-max-ziplist-value, lua-replicate-commands). The first error stops everything.
 *
 * <p>The file, standard input and the command line are read as one text, in that order (see
 * {@link #load}), so a later line overrides an earlier one, and the line numbers of errors on the
 * command line count from the start of the file.
 */
public final class ConfigLoader {
    private static final Set<String> RETIRED_DIRECTIVES =
            Set.of("list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands");

    private final ServerConfig config;
    private final Set<String> commandNames;
    private boolean readingConfigFile;
    private Function<List<String>, String> userRules;

    /**
     * @param commandNames the names of the commands the server has, for rename-command's checks;
     *                     null not to check them
     */
    public ConfigLoader(ServerConfig config, Collection<String> commandNames) {
        this.config = config;
        this.commandNames = commandNames == null ? null : lowerCase(commandNames);
    }

    /**
     * Loads the config file (or none), then what standard input gives (or nothing), then the
     * directives of the command line as {@link CommandLine} writes them (or none), as Redis's
     * loadServerConfig.
     */
    public void load(Path file, InputStream standardInput, String options) throws ConfigFileError {
        StringBuilder text = new StringBuilder();
        if (file != null) {
            text.append(read(file, file.toString()));
        }
        if (standardInput != null) {
            try {
                text.append(new String(standardInput.readAllBytes(), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw ConfigFileError.withoutLine("Error reading the configuration from standard input: "
                        + SystemErrors.describe(e));
            }
        }
        if (options != null) {
            text.append('\n').append(options);
        }
        loadText(text.toString());
    }

    /** Loads configuration text: the lines of a file (Redis's loadServerConfigFromString). */
    public void loadText(String text) throws ConfigFileError {
        readingConfigFile = true;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = ConfigSyntax.trim(lines[i]);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            List<String> arguments = ConfigSyntax.splitArguments(line);
            if (arguments == null) {
                throw ConfigFileError.atLine(i + 1, line, "Unbalanced quotes in configuration line");
            }
            if (arguments.isEmpty()) {
                continue;
            }
            try {
                loadLine(arguments);
            } catch (ConfigException e) {
                throw ConfigFileError.atLine(i + 1, line, e.getMessage());
            }
        }
        checkLogFile();
        readingConfigFile = false;
    }

    private void loadLine(List<String> arguments) throws ConfigException, ConfigFileError {
        String name = arguments.get(0).toLowerCase(Locale.ROOT);
        List<String> values = arguments.subList(1, arguments.size());
        ConfigDirective directive = config.find(name);
        if (directive != null) {
            if (directive.takesMultipleArguments()) {
                values = splitSingleArgument(values);
            }
            if (readingConfigFile) {
                directive.loadFromFile(values);
            } else {
                // Redis leaves its "reading a file" state at the end of an included file, so the
                // save lines after an include replace the rules instead of adding to them.
                directive.set(values);
            }
            return;
        }
        if (RETIRED_DIRECTIVES.contains(name) && values.size() == 1) {
            return;
        }
        int count = arguments.size();
        if (name.equals("include") && count == 2) {
            include(values.get(0));
        } else if (name.equals("rename-command") && count == 3) {
            renameCommand(values.get(0), values.get(1));
        } else if (name.equals("user") && count >= 2) {
            declareUser(values);
        } else if (name.equals("loadmodule") && count >= 2) {
            throw new ConfigException("Nuthatch does not load Redis modules; remove 'loadmodule " + values.get(0) + "'");
        } else if (name.indexOf('.') >= 0) {
            if (count != 2) {
                throw new ConfigException("Module config specified without value");
            }
            throw new ConfigException("Nuthatch does not load Redis modules, so it has no module configuration '"
                    + arguments.get(0) + "'");
        } else if (name.equals("sentinel")) {
            if (count != 1) {
                throw new ConfigException("sentinel directive while not in sentinel mode");
            }
        } else {
            throw new ConfigException("Bad directive or wrong number of arguments");
        }
    }

    /**
     * The arguments of a directive that takes several, when they came as one: {@code --save "3600
     * 1 300 100"}, as charts and compose files write it, or {@code bind "127.0.0.1 ::1"} in a file.
     * Redis splits that one argument again with the line's own rules, quotes included; an empty
     * one stays as it is, since {@code save ""} means no rules, and one with unbalanced quotes
     * gives no arguments at all, as Redis's splitter then returns none.
     */
    private static List<String> splitSingleArgument(List<String> values) {
        if (values.size() != 1 || values.get(0).isEmpty()) {
            return values;
        }
        List<String> split = ConfigSyntax.splitArguments(values.get(0));
        return split == null ? List.of() : split;
    }

    /**
     * A user line, checked as Redis checks it while reading: a name declared twice is an error, and
     * so is a rule that cannot apply, except a command or category it does not know (Redis waits
     * for the modules to load before it decides on those; the server refuses them when it applies
     * the users).
     */
    private void declareUser(List<String> values) throws ConfigException {
        for (List<String> declared : config.declaredUsers()) {
            if (declared.get(0).equals(values.get(0))) {
                throw new ConfigException("Error in user declaration '" + values.get(0) + "': Duplicate user found. A"
                        + " user can only be defined once in config files");
            }
        }
        if (userRules != null) {
            String problem = userRules.apply(values.subList(1, values.size()));
            if (problem != null) {
                // Redis 7.0 names the "user" keyword here rather than the rule, whichever rule failed.
                throw new ConfigException("Error in user declaration 'user': " + problem);
            }
        }
        config.declareUser(values);
    }

    /**
     * Checks the rules of {@code user} lines as they are read: the function returns why the rules
     * do not apply, or null.
     */
    public ConfigLoader checkingUserRulesWith(Function<List<String>, String> check) {
        this.userRules = check;
        return this;
    }

    private void renameCommand(String name, String newName) throws ConfigException {
        if (commandNames != null) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!commandNames.remove(lower)) {
                throw new ConfigException("No such command in rename-command");
            }
            if (!newName.isEmpty() && !commandNames.add(newName.toLowerCase(Locale.ROOT))) {
                throw new ConfigException("Target command name already exists");
            }
        }
        config.renameCommand(name, newName);
    }

    /** include: relative to the working directory (dir), as Redis's fopen is; patterns as glob(3). */
    private void include(String pattern) throws ConfigFileError {
        String nativePattern = ServerConfig.nativePath(pattern);
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
            loadText(read(config.resolvePath(pattern), nativePattern));
            return;
        }
        StringBuilder text = new StringBuilder();
        for (Path match : globMatches(nativePattern)) {
            text.append(read(match, match.toString()));
        }
        loadText(text.toString());
    }

    private List<Path> globMatches(String pattern) throws ConfigFileError {
        Path absolute = config.dir.path().resolve(pattern).normalize();
        Path base = absolute.getRoot();
        int literal = 0;
        for (Path part : absolute) {
            String text = part.toString();
            if (text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0) {
                break;
            }
            base = base.resolve(part);
            literal++;
        }
        int depth = absolute.getNameCount() - literal;
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute.toString());
        try (Stream<Path> paths = Files.walk(base, depth)) {
            return paths.filter(path -> path.getNameCount() == absolute.getNameCount())
                    .filter(matcher::matches)
                    .filter(path -> !Files.isDirectory(path))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String read(Path file, String shownName) throws ConfigFileError {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw ConfigFileError.unreadable(shownName, SystemErrors.describe(e));
        }
    }

    /** Redis opens the log file once after reading the configuration, so that a bad path stops startup. */
    private void checkLogFile() throws ConfigFileError {
        String logfile = config.logfile.value();
        if (logfile.isEmpty()) {
            return;
        }
        try (FileOutputStream ignored = new FileOutputStream(config.resolvePath(logfile).toFile(), true)) {
            // opened for appending, as Redis checks it
        } catch (IOException e) {
            throw ConfigFileError.withoutLine("Can't open the log file: " + SystemErrors.describe(e));
        }
    }

    private static Set<String> lowerCase(Collection<String> names) {
        Set<String> lower = new HashSet<>();
        for (String name : names) {
            lower.add(name.toLowerCase(Locale.ROOT));
        }
        return lower;
    }
}
