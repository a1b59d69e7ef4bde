package io.nuthatch.server.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line of redis-server, which nuthatch-server takes as is:
 * {@code nuthatch-server [/path/to/redis.conf] [--directive value ...] [-]}.
 *
 * <p>As Redis does, each {@code --name} starts a config line and the arguments after it, up to the
 * next {@code --name}, are its values, quoted as CONFIG REWRITE quotes them; the lines are read
 * after the file and standard input, so they override both. A {@code --name} right after a name
 * with no value yet is a value ({@code --logfile --weird}); {@code --save} with no value means
 * {@code save ""}. An argument holding a blank ("--port 7000") is taken as a line of its own,
 * unquoted. A directive of several values may come as one argument ({@code --save "3600 1 300
 * 100"}): the loader splits it, as it would the same line in a file. A {@code -} first or last
 * reads configuration from standard input. Only the first
 * argument may be --help, --version, --test-memory or --check-system.
 */
public final class CommandLine {
    /** What the command line asks for. */
    public enum Action { RUN, HELP, VERSION, TEST_MEMORY, CHECK_SYSTEM }

    private final Action action;
    private final Path configFile;
    private final boolean configFromStandardInput;
    private final String options;

    private CommandLine(Action action, Path configFile, boolean configFromStandardInput, String options) {
        this.action = action;
        this.configFile = configFile;
        this.configFromStandardInput = configFromStandardInput;
        this.options = options;
    }

    /**
     * Parses the arguments (after the program name), each as config text: one char per byte.
     *
     * @param workingDirectory where a relative config file path starts
     */
    public static CommandLine parse(List<String> arguments, Path workingDirectory) {
        if (arguments.isEmpty()) {
            return new CommandLine(Action.RUN, null, false, null);
        }
        String first = arguments.get(0);
        switch (first) {
            case "-v", "--version" -> {
                return new CommandLine(Action.VERSION, null, false, null);
            }
            case "--help", "-h" -> {
                return new CommandLine(Action.HELP, null, false, null);
            }
            case "--test-memory" -> {
                return new CommandLine(Action.TEST_MEMORY, null, false, null);
            }
            case "--check-system" -> {
                return new CommandLine(Action.CHECK_SYSTEM, null, false, null);
            }
            default -> { }
        }
        Path configFile = null;
        int j = 0;
        if (!first.startsWith("-")) {
            configFile = workingDirectory.resolve(ServerConfig.nativePath(first)).normalize();
            j = 1;
        }
        boolean fromStandardInput = false;
        StringBuilder options = new StringBuilder();
        boolean lastNameHasValue = true;
        int count = arguments.size();
        for (; j < count; j++) {
            String argument = arguments.get(j);
            if (argument.equals("-") && (j == 0 || j == count - 1)) {
                fromStandardInput = true;
            } else if (lastNameHasValue && argument.startsWith("--")) {
                if (options.length() > 0) {
                    options.append('\n');
                }
                options.append(argument.substring(2)).append(' ');
                List<String> words = ConfigSyntax.splitArguments(argument);
                if (words != null && words.size() == 1) {
                    lastNameHasValue = false;
                    boolean nextIsName = j != count - 1 && arguments.get(j + 1).startsWith("--");
                    if (argument.equalsIgnoreCase("--save") && (nextIsName || j == count - 1)) {
                        options.append("\"\"");
                        lastNameHasValue = nextIsName;
                    }
                } else {
                    lastNameHasValue = true;
                }
            } else {
                options.append(ConfigSyntax.quote(argument)).append(' ');
                lastNameHasValue = true;
            }
        }
        return new CommandLine(Action.RUN, configFile, fromStandardInput, options.toString());
    }

    public Action action() {
        return action;
    }

    /** The config file, absolute, or null. */
    public Path configFile() {
        return configFile;
    }

    public boolean configFromStandardInput() {
        return configFromStandardInput;
    }

    /**
     * The config lines the options make, to read after the file; null when there were no
     * arguments at all (Redis then reads no configuration, not even an empty one).
     */
    public String options() {
        return options;
    }

    /** Whether any configuration is read (Redis warns when none is given). */
    public boolean readsConfiguration() {
        return options != null;
    }
}
