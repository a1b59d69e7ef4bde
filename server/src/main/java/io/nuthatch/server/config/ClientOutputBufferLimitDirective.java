package io.nuthatch.server.config;

import java.util.List;
import java.util.Locale;

/**
 * client-output-buffer-limit: for each class of client (normal, replica, pubsub), the hard limit
 * of pending output, and the soft limit with the seconds it may be exceeded. A line or a CONFIG SET
 * gives any number of classes, four words each; the classes not given keep their limits.
 */
public final class ClientOutputBufferLimitDirective extends ConfigDirective {
    /** The client classes, in the order CONFIG GET lists them. */
    public enum ClientClass {
        NORMAL("normal", "normal"), REPLICA("slave", "replica"), PUBSUB("pubsub", "pubsub");

        private final String shownName;
        private final String rewrittenName;

        ClientClass(String shownName, String rewrittenName) {
            this.shownName = shownName;
            this.rewrittenName = rewrittenName;
        }
    }

    /** The limits of one class; zero means no limit. */
    public record Limit(long hardBytes, long softBytes, int softSeconds) {
    }

    private static final Limit[] DEFAULTS = {
        new Limit(0, 0, 0),
        new Limit(256L * 1024 * 1024, 64L * 1024 * 1024, 60),
        new Limit(32L * 1024 * 1024, 8L * 1024 * 1024, 60),
    };

    private volatile Limit[] limits = DEFAULTS.clone();

    public ClientOutputBufferLimitDirective() {
        super("client-output-buffer-limit", true);
    }

    public Limit limit(ClientClass clientClass) {
        return limits[clientClass.ordinal()];
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        if (arguments.size() % 4 != 0) {
            throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        }
        Limit[] updated = limits.clone();
        for (int i = 0; i < arguments.size(); i += 4) {
            ClientClass clientClass = classNamed(ConfigSyntax.cString(arguments.get(i)));
            if (clientClass == null) {
                throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            }
            long hard;
            long soft;
            try {
                hard = MemorySize.parse(ConfigSyntax.cString(arguments.get(i + 1)));
                soft = MemorySize.parse(ConfigSyntax.cString(arguments.get(i + 2)));
            } catch (NumberFormatException notASize) {
                throw badNumbers();
            }
            String secondsText = arguments.get(i + 3);
            CLibraryNumbers.Parsed seconds = CLibraryNumbers.strtoll(secondsText, 10);
            // Redis keeps strtoll's result in an int before checking it, so the check sees 32 bits.
            int softSeconds = (int) seconds.value();
            if (softSeconds < 0 || !seconds.consumedAll(secondsText)) {
                throw badNumbers();
            }
            updated[clientClass.ordinal()] = new Limit(hard, soft, softSeconds);
        }
        limits = updated;
    }

    private static ConfigException badNumbers() {
        return new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    }

    private static ClientClass classNamed(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "normal" -> ClientClass.NORMAL;
            case "slave", "replica" -> ClientClass.REPLICA;
            case "pubsub" -> ClientClass.PUBSUB;
            default -> null;
        };
    }

    @Override
    public String get() {
        StringBuilder text = new StringBuilder();
        for (ClientClass clientClass : ClientClass.values()) {
            Limit limit = limits[clientClass.ordinal()];
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(clientClass.shownName).append(' ').append(Long.toUnsignedString(limit.hardBytes()))
                    .append(' ').append(Long.toUnsignedString(limit.softBytes())).append(' ').append(limit.softSeconds());
        }
        return text.toString();
    }

    @Override
    public boolean isDefault() {
        for (ClientClass clientClass : ClientClass.values()) {
            if (!limits[clientClass.ordinal()].equals(DEFAULTS[clientClass.ordinal()])) {
                return false;
            }
        }
        return true;
    }

    /** One line per class, written when that class is not at its defaults. */
    @Override
    protected void rewrite(ConfigRewrite rewrite) {
        for (ClientClass clientClass : ClientClass.values()) {
            Limit limit = limits[clientClass.ordinal()];
            String line = name() + " " + clientClass.rewrittenName + " " + MemorySize.format(limit.hardBytes()) + " "
                    + MemorySize.format(limit.softBytes()) + " " + limit.softSeconds();
            rewrite.line(name(), line, !limit.equals(DEFAULTS[clientClass.ordinal()]));
        }
    }
}
