package io.nuthatch.server.config;

import java.util.List;

/**
 * replicaof (slaveof): the primary to replicate, "host port", or "no one". Nuthatch has no
 * replication: it accepts "no one" and refuses a primary at startup rather than run as a
 * primary that was meant to be a replica.
 */
public final class ReplicaOfDirective extends ConfigDirective {
    private volatile String host;
    private volatile int port;

    public ReplicaOfDirective() {
        super("replicaof", true);
    }

    /** The primary's host, or null when this server is a primary. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        if (arguments.size() != 2) {
            throw new ConfigException("wrong number of arguments");
        }
        if (arguments.get(0).equalsIgnoreCase("no") && arguments.get(1).equalsIgnoreCase("one")) {
            host = null;
            return;
        }
        CLibraryNumbers.Parsed parsed = CLibraryNumbers.strtoll(arguments.get(1), 10);
        if (!parsed.consumedAll(arguments.get(1)) || parsed.value() < 0 || parsed.value() > 65535) {
            throw new ConfigException("Invalid master port");
        }
        throw new ConfigException("Nuthatch does not replicate from another server (replicaof " + arguments.get(0)
                + " " + parsed.value() + "); remove the directive or use 'replicaof no one'");
    }

    @Override
    public String get() {
        return host == null ? "" : host + " " + port;
    }

    @Override
    public boolean isDefault() {
        return host == null;
    }

    /** Removed from the file on a primary. */
    @Override
    protected void rewrite(ConfigRewrite rewrite) {
        if (host == null) {
            rewrite.markProcessed(name());
        } else {
            rewrite.line(name(), name() + " " + host + " " + port, true);
        }
    }
}
