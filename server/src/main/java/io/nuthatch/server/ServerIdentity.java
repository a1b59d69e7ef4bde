package io.nuthatch.server;

/**
 * The versions the server reports. Clients (BullMQ, Redisson, Lettuce) choose features by the
 * Redis version a server claims, so Nuthatch claims the Redis release whose behaviour it matches:
 * the one our differential tests compare against.
 */
public final class ServerIdentity {
    /** The Redis release our replies are compared with (Debian bookworm's redis-server). */
    public static final String REDIS_VERSION = "7.0.15";

    private ServerIdentity() {
    }

    /** Nuthatch's own version, from the jar's manifest ("dev" when run from classes). */
    public static String nuthatchVersion() {
        String version = ServerIdentity.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
