package io.nuthatch.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * maxmemory-policy-db: a Nuthatch directive (Redis has none) giving databases an eviction policy
 * of their own, in pairs of database number and policy: {@code maxmemory-policy-db 1 noeviction}.
 * A database without one follows maxmemory-policy. It lets a cache and a job queue share a server:
 * the queue's database set to noeviction never loses a key to the cache's allkeys-lru.
 *
 * <p>In a config file the lines add up (one line per database reads best); CONFIG SET replaces
 * them all with the pairs it is given ({@code CONFIG SET maxmemory-policy-db "1 noeviction 2
 * volatile-ttl"}, {@code ""} for none), and CONFIG GET shows them in that form, by database.
 */
public final class DatabasePolicyDirective extends ConfigDirective {
    private final IntegerDirective databases;
    private final List<String> policies;
    private volatile Map<Integer, String> byDatabase = Map.of();
    private boolean loadedFromFile;

    DatabasePolicyDirective(IntegerDirective databases, List<String> policies) {
        super("maxmemory-policy-db", true);
        this.databases = databases;
        this.policies = List.copyOf(policies);
    }

    /** The policy of a database, or null when it follows maxmemory-policy. */
    public String policyOf(int database) {
        return byDatabase.get(database);
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        byDatabase = parse(arguments);
    }

    @Override
    void loadFromFile(List<String> arguments) throws ConfigException {
        Map<Integer, String> parsed = parse(arguments);
        if (loadedFromFile) {
            Map<Integer, String> combined = new TreeMap<>(byDatabase);
            combined.putAll(parsed);
            parsed = Map.copyOf(combined);
        }
        loadedFromFile = true;
        byDatabase = parsed;
        changed();
    }

    private Map<Integer, String> parse(List<String> arguments) throws ConfigException {
        List<String> words = arguments.size() == 1 && arguments.get(0).isEmpty() ? List.of() : arguments;
        if (words.size() % 2 != 0) {
            throw new ConfigException("Invalid maxmemory-policy-db parameters: pairs of database number and policy");
        }
        Map<Integer, String> parsed = new TreeMap<>();
        for (int i = 0; i < words.size(); i += 2) {
            CLibraryNumbers.Parsed number = CLibraryNumbers.strtoll(words.get(i), 10);
            if (words.get(i).isEmpty() || !number.consumedAll(words.get(i)) || number.value() < 0
                    || number.value() >= databases.value()) {
                throw new ConfigException("Invalid database number '" + words.get(i) + "' in maxmemory-policy-db");
            }
            String policy = words.get(i + 1).toLowerCase(Locale.ROOT);
            if (!policies.contains(policy)) {
                throw new ConfigException("Invalid policy '" + words.get(i + 1) + "' in maxmemory-policy-db: must be one"
                        + " of " + String.join(", ", policies));
            }
            parsed.put((int) number.value(), policy);
        }
        return Map.copyOf(parsed);
    }

    @Override
    public String get() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Integer, String> entry : new TreeMap<>(byDatabase).entrySet()) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(entry.getKey()).append(' ').append(entry.getValue());
        }
        return text.toString();
    }

    @Override
    public boolean isDefault() {
        return byDatabase.isEmpty();
    }

    /** One line per database. */
    @Override
    protected void rewrite(ConfigRewrite rewrite) {
        for (Map.Entry<Integer, String> entry : new TreeMap<>(byDatabase).entrySet()) {
            rewrite.line(name(), name() + " " + entry.getKey() + " " + entry.getValue(), true);
        }
        rewrite.markProcessed(name());
    }
}
