package io.nuthatch.server.config;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A directive whose value is free text (a path, a password, a name).
 *
 * <p>Some of Redis's string directives hold "no value" rather than an empty string
 * (pidfile, requirepass, unixsocket...): {@link #emptyIsUnset()}. The difference shows only in
 * CONFIG REWRITE, which removes such a directive from the file instead of writing {@code ""}.
 */
public final class StringDirective extends ConfigDirective {
    private final String defaultValue;
    private boolean emptyIsUnset;
    private boolean binarySafe;
    private UnaryOperator<String> validator = value -> null;
    private volatile String value;

    public StringDirective(String name, String defaultValue) {
        super(name);
        this.defaultValue = defaultValue;
        this.value = defaultValue;
    }

    /** Treats "" as no value at all, as Redis's EMPTY_STRING_IS_NULL. */
    public StringDirective emptyIsUnset() {
        emptyIsUnset = true;
        return this;
    }

    /**
     * Keeps the value whole, NUL chars included, as Redis's sds directives (requirepass,
     * masterauth); the others keep what a C string holds, the text before the first NUL.
     */
    public StringDirective binarySafe() {
        binarySafe = true;
        return this;
    }

    /** Checks values before they are taken: the function returns why a value is refused, or null. */
    public StringDirective validatedBy(UnaryOperator<String> problem) {
        validator = problem;
        return this;
    }

    /** The value; "" when unset. */
    public String value() {
        return value;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        String text = binarySafe ? single(arguments) : ConfigSyntax.cString(single(arguments));
        String problem = validator.apply(text);
        if (problem != null) {
            throw new ConfigException(problem);
        }
        value = text;
    }

    @Override
    public String get() {
        return value;
    }

    @Override
    public boolean isDefault() {
        return value.equals(defaultValue);
    }

    @Override
    protected void rewrite(ConfigRewrite rewrite) {
        if (emptyIsUnset && value.isEmpty()) {
            rewrite.markProcessed(name());
            return;
        }
        rewrite.line(name(), name() + " " + ConfigSyntax.quote(value), !isDefault());
    }
}
