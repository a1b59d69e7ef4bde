package io.nuthatch.server.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directives of one configuration, by name and alias. The area classes (NetworkDirectives,
 * PersistenceDirectives...) declare their directives into it.
 */
final class DirectiveRegistry {
    private final List<ConfigDirective> directives = new ArrayList<>();
    private final Map<String, ConfigDirective> byName = new HashMap<>();

    <T extends ConfigDirective> T add(T directive) {
        directives.add(directive);
        if (byName.putIfAbsent(directive.name(), directive) != null) {
            throw new IllegalStateException("directive declared twice: " + directive.name());
        }
        return directive;
    }

    /** Indexes the aliases, once every directive is declared with its alias. */
    void indexAliases() {
        for (ConfigDirective directive : directives) {
            if (directive.alias() != null && byName.putIfAbsent(directive.alias(), directive) != null) {
                throw new IllegalStateException("alias declared twice: " + directive.alias());
            }
        }
    }

    ConfigDirective find(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    List<ConfigDirective> all() {
        return Collections.unmodifiableList(directives);
    }
}
