package io.nuthatch.server.command;

/** The ACL categories of Redis 7.0 (ACL CAT); a command belongs to a set of them. */
public enum AclCategory {
    KEYSPACE("keyspace"),
    READ("read"),
    WRITE("write"),
    SET("set"),
    SORTEDSET("sortedset"),
    LIST("list"),
    HASH("hash"),
    STRING("string"),
    BITMAP("bitmap"),
    HYPERLOGLOG("hyperloglog"),
    GEO("geo"),
    STREAM("stream"),
    PUBSUB("pubsub"),
    ADMIN("admin"),
    FAST("fast"),
    SLOW("slow"),
    BLOCKING("blocking"),
    DANGEROUS("dangerous"),
    CONNECTION("connection"),
    TRANSACTION("transaction"),
    SCRIPTING("scripting");

    private final String categoryName;

    AclCategory(String categoryName) {
        this.categoryName = categoryName;
    }

    /** The name without '@', as ACL CAT lists it. */
    public String categoryName() {
        return categoryName;
    }

    public long bit() {
        return 1L << ordinal();
    }

    /** The category of a name, with or without '@'. */
    static AclCategory byName(String name) {
        String bare = name.startsWith("@") ? name.substring(1) : name;
        for (AclCategory category : values()) {
            if (category.categoryName.equals(bare)) {
                return category;
            }
        }
        throw new IllegalArgumentException("unknown ACL category " + name);
    }
}
