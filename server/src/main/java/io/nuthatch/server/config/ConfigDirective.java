package io.nuthatch.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One configuration directive: its name and aliases, how it parses and shows its value, whether it
 * can change at run time, and who must hear of a change.
 *
 * <p>Subclasses are the value kinds (yes/no, integer, memory size, enumeration, string) and the few
 * directives with a grammar of their own (save, bind, client-output-buffer-limit...).
 */
public abstract class ConfigDirective {
    private final String name;
    private final List<String> aliases = new ArrayList<>();
    private final List<Runnable> changeListeners = new ArrayList<>();
    private boolean mutable = true;
    private boolean sensitive;
    private String noEffectReason;
    private boolean setExplicitly;

    protected ConfigDirective(String name) {
        this.name = name;
    }

    public final String name() {
        return name;
    }

    public final List<String> aliases() {
        return aliases;
    }

    /** Adds another name the directive answers to (hash-max-ziplist-entries for hash-max-listpack-entries). */
    @SuppressWarnings("unchecked")
    public <T extends ConfigDirective> T alias(String alias) {
        aliases.add(alias);
        return (T) this;
    }

    /** Marks the directive as settable only at startup, as Redis's IMMUTABLE_CONFIG. */
    @SuppressWarnings("unchecked")
    public <T extends ConfigDirective> T immutable() {
        mutable = false;
        return (T) this;
    }

    public final boolean isMutable() {
        return mutable;
    }

    /** Marks the value as secret: not to be logged. */
    @SuppressWarnings("unchecked")
    public <T extends ConfigDirective> T sensitive() {
        sensitive = true;
        return (T) this;
    }

    public final boolean isSensitive() {
        return sensitive;
    }

    /**
     * Marks the directive as accepted for compatibility but without effect in Nuthatch; the reason
     * is logged once at startup when a configuration sets it.
     */
    @SuppressWarnings("unchecked")
    public <T extends ConfigDirective> T withoutEffect(String reason) {
        noEffectReason = reason;
        return (T) this;
    }

    /** Why setting this directive changes nothing here, or null when it has an effect. */
    public final String noEffectReason() {
        return noEffectReason;
    }

    /** Whether a config file, the command line or CONFIG SET gave this directive a value. */
    public final boolean isSetExplicitly() {
        return setExplicitly;
    }

    public final void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /**
     * Sets the value from a config file line's or CONFIG SET's arguments (one argument for most
     * directives) and tells the listeners.
     */
    public final void set(List<String> arguments) throws ConfigException {
        apply(arguments);
        setExplicitly = true;
        for (Runnable listener : changeListeners) {
            listener.run();
        }
    }

    public final void set(String value) throws ConfigException {
        set(List.of(value));
    }

    /** Parses and stores the value; throws without changing anything when it is invalid. */
    protected abstract void apply(List<String> arguments) throws ConfigException;

    /** The value as CONFIG GET shows it. */
    public abstract String get();

    /** Takes the single argument most directives have. */
    protected static String single(List<String> arguments) throws ConfigException {
        if (arguments.size() != 1) {
            throw new ConfigException("wrong number of arguments");
        }
        return arguments.get(0);
    }
}
