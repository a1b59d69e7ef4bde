package io.nuthatch.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * save: the snapshot rules, pairs of "after this many seconds, if at least this many changes".
 * {@code save ""} (or a bare {@code save}) removes them all.
 *
 * <p>In a config file the lines add up: the first save line replaces the defaults, each later one
 * adds its rules, and {@code save ""} drops the rules so far (a bare {@code save} only does when it
 * comes first). CONFIG SET replaces them all. Redis's parser treats the numbers with strtoll, so
 * its quirks are ours: " 5" is a number, "" is 0, and the change count is cut to 32 bits.
 */
public final class SaveDirective extends ConfigDirective {
    /** One rule: snapshot after {@code seconds} when at least {@code changes} writes happened. */
    public record Rule(long seconds, int changes) {
    }

    private static final List<Rule> DEFAULT_RULES = List.of(new Rule(3600, 1), new Rule(300, 100), new Rule(60, 10000));

    private volatile List<Rule> rules = DEFAULT_RULES;
    private boolean loadedFromFile;

    public SaveDirective() {
        super("save", true);
    }

    /** The rules, in the order given; empty when snapshots are off. */
    public List<Rule> rules() {
        return rules;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        rules = parse(arguments);
    }

    @Override
    void loadFromFile(List<String> arguments) throws ConfigException {
        List<Rule> parsed = parse(arguments);
        boolean clears = arguments.size() == 1 && arguments.get(0).isEmpty();
        if (loadedFromFile && !clears) {
            List<Rule> combined = new ArrayList<>(rules);
            combined.addAll(parsed);
            parsed = List.copyOf(combined);
        }
        loadedFromFile = true;
        rules = parsed;
        changed();
    }

    private static List<Rule> parse(List<String> arguments) throws ConfigException {
        List<String> words = arguments.size() == 1 && arguments.get(0).isEmpty() ? List.of() : arguments;
        if (words.size() % 2 != 0) {
            throw new ConfigException("Invalid save parameters");
        }
        List<Rule> parsed = new ArrayList<>();
        for (int i = 0; i < words.size(); i += 2) {
            long seconds = number(words.get(i), 1);
            long changes = number(words.get(i + 1), 0);
            parsed.add(new Rule(seconds, (int) changes));
        }
        return List.copyOf(parsed);
    }

    private static long number(String text, long minimum) throws ConfigException {
        CLibraryNumbers.Parsed parsed = CLibraryNumbers.strtoll(text, 10);
        if (!parsed.consumedAll(text) || parsed.value() < minimum) {
            throw new ConfigException("Invalid save parameters");
        }
        return parsed.value();
    }

    @Override
    public String get() {
        StringBuilder text = new StringBuilder();
        for (Rule rule : rules) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(rule.seconds()).append(' ').append(rule.changes());
        }
        return text.toString();
    }

    @Override
    public boolean isDefault() {
        return rules.equals(DEFAULT_RULES);
    }

    /** Always written, even at the defaults, and {@code save ""} when there are no rules. */
    @Override
    protected void rewrite(ConfigRewrite rewrite) {
        if (rules.isEmpty()) {
            rewrite.line(name(), "save \"\"", true);
        }
        for (Rule rule : rules) {
            rewrite.line(name(), "save " + rule.seconds() + " " + rule.changes(), true);
        }
        rewrite.markProcessed(name());
    }
}
