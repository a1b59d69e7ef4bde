package io.nuthatch.server.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * CONFIG SET name value [name value ...]: all the values or none, as Redis 7 does it.
 *
 * <p>First every name is checked (unknown, immutable, protected, given twice) without changing
 * anything. Then the old values are kept as CONFIG GET shows them, and the new ones are set one by
 * one; when one is invalid, those already set are put back. Last, the appliers of the directives
 * that changed run (each once: listening on a new port...); when one fails, every value is put
 * back and the appliers run again on the old values. The error names the argument as Redis does:
 * as the client wrote it for the checks, by the directive's own name for a bad value.
 */
public final class ConfigUpdate {
    private ConfigUpdate() {
    }

    /**
     * Sets the values.
     *
     * @param names            the names, as given
     * @param values           the values, in the same order
     * @param protectedAllowed whether enable-protected-configs lets this client change dir and dbfilename
     * @param warnings         where to log what a failed roll-back could not restore
     * @return null when all values are set, else the error reply ("ERR ...")
     */
    public static String set(ServerConfig config, List<String> names, List<String> values, boolean protectedAllowed,
                             Consumer<String> warnings) {
        int count = names.size();
        List<ConfigDirective> directives = new ArrayList<>(count);
        List<String> entries = new ArrayList<>(count);
        String unknownName = null;
        String failedName = null;
        String reason = null;
        boolean invalid = false;
        for (int i = 0; i < count; i++) {
            ConfigDirective directive = config.find(names.get(i));
            directives.add(directive);
            entries.add(directive == null ? null : registeredName(directive, names.get(i)));
            if (directive == null) {
                if (!invalid) {
                    unknownName = names.get(i);
                    invalid = true;
                }
                continue;
            }
            if (invalid) {
                continue;
            }
            if (!directive.isMutable() || (directive.isProtected() && !protectedAllowed)) {
                reason = directive.isMutable() ? "can't set protected config" : "can't set immutable config";
                failedName = names.get(i);
                invalid = true;
                continue;
            }
            // Redis's table has an entry per name, alias included: a name and its alias are not duplicates.
            if (entries.subList(0, i).contains(entries.get(i))) {
                reason = "duplicate parameter";
                failedName = names.get(i);
                invalid = true;
            }
        }
        if (unknownName != null) {
            return "ERR Unknown option or number of arguments for CONFIG SET - '" + unknownName + "'";
        }
        if (invalid) {
            return failure(failedName, reason);
        }

        List<String> oldValues = new ArrayList<>(count);
        for (ConfigDirective directive : directives) {
            oldValues.add(directive.get());
        }
        Set<ConfigApplier> appliers = new LinkedHashSet<>();
        List<ConfigDirective> applierOwners = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ConfigDirective directive = directives.get(i);
            try {
                directive.setFromCommand(values.get(i));
            } catch (ConfigException e) {
                restore(directives, oldValues, i + 1, warnings);
                return failure(registeredName(directive, names.get(i)), e.getMessage());
            }
            if (!directive.get().equals(oldValues.get(i))) {
                for (ConfigApplier applier : directive.appliers()) {
                    if (appliers.add(applier)) {
                        applierOwners.add(directive);
                    }
                }
            }
        }

        int index = 0;
        for (ConfigApplier applier : appliers) {
            ConfigDirective owner = applierOwners.get(index++);
            try {
                applier.apply();
            } catch (ConfigException e) {
                warnings.accept("Failed applying new configuration. Possibly related to new " + owner.name()
                        + " setting. Restoring previous settings.");
                restore(directives, oldValues, count, warnings);
                for (ConfigApplier undo : appliers) {
                    try {
                        undo.apply();
                    } catch (ConfigException again) {
                        warnings.accept("Failed applying restored failed CONFIG SET command: " + again.getMessage());
                    }
                }
                return failure(owner.name(), e.getMessage());
            }
        }
        return null;
    }

    private static void restore(List<ConfigDirective> directives, List<String> oldValues, int count,
                                Consumer<String> warnings) {
        for (int i = 0; i < count; i++) {
            try {
                directives.get(i).setFromCommand(oldValues.get(i));
            } catch (ConfigException e) {
                warnings.accept("Failed restoring failed CONFIG SET command. Error setting " + directives.get(i).name()
                        + " to '" + oldValues.get(i) + "': " + e.getMessage());
            }
        }
    }

    /** The name Redis's table has for what the client wrote: the alias, when that is what it used. */
    private static String registeredName(ConfigDirective directive, String given) {
        return given.equalsIgnoreCase(directive.alias()) ? directive.alias() : directive.name();
    }

    private static String failure(String name, String reason) {
        String message = "ERR CONFIG SET failed (possibly related to argument '" + name + "')";
        return reason == null ? message : message + " - " + reason;
    }
}
