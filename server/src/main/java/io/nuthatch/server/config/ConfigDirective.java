package io.nuthatch.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One configuration directive: its name and alias, how it parses, shows and rewrites its value,
 * whether CONFIG SET may change it, and who must hear of a change.
 *
 * <p>Subclasses are the value kinds (yes/no, integer, memory size, enumeration, string) and the few
 * directives with a grammar of their own (save, bind, client-output-buffer-limit...). Values are
 * text as redis.conf holds it: one char per byte (ISO-8859-1), so that any byte survives a round
 * trip through a file, CONFIG SET and CONFIG GET.
 */
public abstract class ConfigDirective {
    private final String name;
    private final boolean multipleArguments;
    private final List<Runnable> changeListeners = new ArrayList<>();
    private final List<ConfigApplier> appliers = new ArrayList<>();
    private String alias;
    private boolean mutable = true;
    private boolean sensitive;
    private boolean protectedConfig;
    private boolean hidden;
    private String noEffectReason;
    private boolean setExplicitly;

    /** A directive that takes exactly one argument. */
    protected ConfigDirective(String name) {
        this(name, false);
    }

    /**
     * @param multipleArguments whether it takes any number of arguments on a config file line, and a
     *                          space-separated list in CONFIG SET (Redis's MULTI_ARG_CONFIG)
     */
    protected ConfigDirective(String name, boolean multipleArguments) {
        this.name = name;
        this.multipleArguments = multipleArguments;
    }

    public final String name() {
        return name;
    }

    /** The other name the directive answers to (hash-max-ziplist-entries), or null. */
    public final String alias() {
        return alias;
    }

    public final List<String> aliases() {
        return alias == null ? List.of() : List.of(alias);
    }

    /** Adds the other name the directive answers to (hash-max-ziplist-entries for hash-max-listpack-entries). */
    @SuppressWarnings("unchecked")
    public <T extends ConfigDirective> T alias(String otherName) {
        alias = otherName;
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

    /** Marks the value as secret: never logged. */
    @SuppressWarnings("unchecked")
    public <T extends ConfigDirective> T sensitive() {
        sensitive = true;
        return (T) this;
    }

    public final boolean isSensitive() {
        return sensitive;
    }

    /**
     * Marks the directive as one CONFIG SET changes only when enable-protected-configs allows it
     * (Redis's PROTECTED_CONFIG: dir, dbfilename), as it can make the server write anywhere.
     */
    @SuppressWarnings("unchecked")
    public <T extends ConfigDirective> T protectedConfig() {
        protectedConfig = true;
        return (T) this;
    }

    public final boolean isProtected() {
        return protectedConfig;
    }

    /** Marks the directive as one a CONFIG GET pattern never matches; only its exact name does. */
    @SuppressWarnings("unchecked")
    public <T extends ConfigDirective> T hidden() {
        hidden = true;
        return (T) this;
    }

    public final boolean isHidden() {
        return hidden;
    }

    public final boolean takesMultipleArguments() {
        return multipleArguments;
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

    /** Runs the listener after every change of the value, wherever it comes from. */
    public final void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /**
     * Puts a change made by CONFIG SET into effect (listen on the new port...), after all the
     * values of the command are set. When it fails, CONFIG SET restores every value and runs the
     * appliers again, as Redis's apply functions.
     */
    public final void onApply(ConfigApplier applier) {
        appliers.add(applier);
    }

    final List<ConfigApplier> appliers() {
        return appliers;
    }

    /**
     * Sets the value from a config file line's or the command line's arguments and tells the
     * listeners. Throws without changing anything when the value is not valid.
     */
    public final void set(List<String> arguments) throws ConfigException {
        if (!multipleArguments && arguments.size() != 1) {
            throw new ConfigException("wrong number of arguments");
        }
        apply(arguments);
        changed();
    }

    /**
     * Sets the value as CONFIG SET gives it: one string, which a directive of several arguments
     * splits at each single space ("3600 1 300 100"; "" is no argument at all).
     */
    public final void set(String value) throws ConfigException {
        set(multipleArguments ? ConfigSyntax.splitOnSpaces(value) : List.of(value));
    }

    /** The same as {@link #set(String)}: CONFIG SET's form of a value. */
    public final void setFromCommand(String value) throws ConfigException {
        set(value);
    }

    /**
     * Sets the value from a line of a config file being read. Only save differs from {@link #set}:
     * its lines add up.
     */
    void loadFromFile(List<String> arguments) throws ConfigException {
        set(arguments);
    }

    /** Tells the listeners of a change made by a subclass outside {@link #set}. */
    protected final void changed() {
        setExplicitly = true;
        for (Runnable listener : changeListeners) {
            listener.run();
        }
    }

    /** Parses and stores the value; throws without changing anything when it is invalid. */
    protected abstract void apply(List<String> arguments) throws ConfigException;

    /** The value as CONFIG GET shows it. */
    public abstract String get();

    /** Whether the value is the default one: CONFIG REWRITE then writes it only over a line already there. */
    public abstract boolean isDefault();

    /**
     * The value as CONFIG REWRITE writes it after the name, for a directive of one line; the
     * special directives override {@link #rewrite} instead.
     */
    protected String rewriteValue() {
        return get();
    }

    /** Writes the directive's lines into a rewrite of the config file (CONFIG REWRITE). */
    protected void rewrite(ConfigRewrite rewrite) {
        rewrite.line(name, name + " " + rewriteValue(), !isDefault());
    }

    /** Takes the single argument most directives have. */
    protected static String single(List<String> arguments) throws ConfigException {
        if (arguments.size() != 1) {
            throw new ConfigException("wrong number of arguments");
        }
        return arguments.get(0);
    }

    @Override
    public String toString() {
        return name;
    }
}
