package io.nuthatch.server.config;

import java.util.List;

/**
 * A directive whose value is a list of words given as several arguments (bind 127.0.0.1 ::1).
 * CONFIG GET shows the words joined by spaces.
 */
public final class WordListDirective extends ConfigDirective {
    private volatile List<String> words;

    public WordListDirective(String name, List<String> defaultWords) {
        super(name);
        this.words = List.copyOf(defaultWords);
    }

    public List<String> value() {
        return words;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        if (arguments.isEmpty()) {
            throw new ConfigException("wrong number of arguments");
        }
        words = List.copyOf(arguments);
    }

    @Override
    public String get() {
        return String.join(" ", words);
    }
}
