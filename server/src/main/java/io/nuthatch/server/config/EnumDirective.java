package io.nuthatch.server.config;

import java.util.List;
import java.util.Locale;

/** A directive whose value is one of a fixed set of words. */
public final class EnumDirective extends ConfigDirective {
    private final List<String> choices;
    private volatile String value;

    public EnumDirective(String name, String defaultValue, String... choices) {
        super(name);
        this.choices = List.of(choices);
        this.value = defaultValue;
    }

    public String value() {
        return value;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        String text = single(arguments).toLowerCase(Locale.ROOT);
        if (!choices.contains(text)) {
            throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", choices));
        }
        value = text;
    }

    @Override
    public String get() {
        return value;
    }
}
