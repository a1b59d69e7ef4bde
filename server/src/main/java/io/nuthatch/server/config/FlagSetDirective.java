package io.nuthatch.server.config;

import java.util.List;
import java.util.Locale;

/**
 * A directive whose value is a set of words given as several arguments (shutdown-on-sigterm
 * "nosave now"). The first choice names the empty set ("default"); the value shows its words in
 * the order of the choices.
 */
public final class FlagSetDirective extends ConfigDirective {
    private final List<String> choices;
    private final String[] exclusive;
    private volatile int flags;

    /**
     * @param choices the words; the first stands for no flag at all
     * @param exclusive two words that cannot be given together, and the error when they are, or none
     */
    public FlagSetDirective(String name, List<String> choices, String... exclusive) {
        super(name, true);
        this.choices = List.copyOf(choices);
        this.exclusive = exclusive;
    }

    /** Whether the word, one of the choices, is in the value. */
    public boolean has(String word) {
        int index = choices.indexOf(word);
        return index > 0 && (flags & (1 << index)) != 0;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        if (arguments.isEmpty()) {
            throw notAChoice();
        }
        int parsed = 0;
        for (String argument : arguments) {
            int index = choices.indexOf(ConfigSyntax.cString(argument).toLowerCase(Locale.ROOT));
            if (index < 0) {
                throw notAChoice();
            }
            if (index > 0) {
                parsed |= 1 << index;
            }
        }
        if (exclusive.length == 3) {
            int both = (1 << choices.indexOf(exclusive[0])) | (1 << choices.indexOf(exclusive[1]));
            if ((parsed & both) == both) {
                throw new ConfigException(exclusive[2]);
            }
        }
        flags = parsed;
    }

    private ConfigException notAChoice() {
        return new ConfigException("argument(s) must be one of the following: " + String.join(", ", choices));
    }

    @Override
    public String get() {
        if (flags == 0) {
            return choices.get(0);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < choices.size(); i++) {
            if ((flags & (1 << i)) != 0) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(choices.get(i));
            }
        }
        return text.toString();
    }

    @Override
    public boolean isDefault() {
        return flags == 0;
    }
}
