package io.nuthatch.server.config;

import java.util.List;

/**
 * bind: the addresses to listen on, given as several arguments (bind 127.0.0.1 -::1), at most 16.
 * A single "" means none. CONFIG GET shows the words joined by spaces.
 */
public final class WordListDirective extends ConfigDirective {
    private static final int MAX_WORDS = 16;

    private final List<String> defaultWords;
    private volatile List<String> words;

    public WordListDirective(String name, List<String> defaultWords) {
        super(name, true);
        this.defaultWords = List.copyOf(defaultWords);
        this.words = this.defaultWords;
    }

    public List<String> value() {
        return words;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        if (arguments.size() > MAX_WORDS) {
            throw new ConfigException("Too many bind addresses specified.");
        }
        words = arguments.size() == 1 && arguments.get(0).isEmpty() ? List.of()
                : arguments.stream().map(ConfigSyntax::cString).toList();
    }

    @Override
    public String get() {
        return String.join(" ", words);
    }

    @Override
    public boolean isDefault() {
        return words.equals(defaultWords);
    }

    /** Removed from the file at the default; otherwise one line, unquoted, or {@code ""} for none. */
    @Override
    protected void rewrite(ConfigRewrite rewrite) {
        if (isDefault()) {
            rewrite.markProcessed(name());
            return;
        }
        rewrite.line(name(), name() + " " + (words.isEmpty() ? "\"\"" : get()), true);
    }
}
