package io.nuthatch.server.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A directive whose value is one of a fixed set of words, matched ignoring case. Two words may
 * mean the same (oom-score-adj's "yes" and "relative"); the value then shows as the first of them.
 */
public final class EnumDirective extends ConfigDirective {
    private final List<String> choices;
    private final Map<String, String> synonyms = new HashMap<>();
    private final String defaultValue;
    private volatile String value;

    public EnumDirective(String name, String defaultValue, String... choices) {
        super(name);
        this.choices = List.of(choices);
        this.defaultValue = defaultValue;
        this.value = defaultValue;
    }

    /** Makes {@code word}, one of the choices, mean the same as {@code sameAs}. */
    public EnumDirective synonym(String word, String sameAs) {
        synonyms.put(word, sameAs);
        return this;
    }

    public String value() {
        return value;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        String text = ConfigSyntax.cString(single(arguments)).toLowerCase(Locale.ROOT);
        if (!choices.contains(text)) {
            throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", choices));
        }
        value = synonyms.getOrDefault(text, text);
    }

    @Override
    public String get() {
        return value;
    }

    @Override
    public boolean isDefault() {
        return value.equals(defaultValue);
    }
}
