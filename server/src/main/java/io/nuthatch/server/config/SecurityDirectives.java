package io.nuthatch.server.config;

/**
 * Authentication and ACL. rename-command is a file-only directive: {@link ServerConfig#renameCommand}.
 * requirepass-file is Nuthatch's own ({@link RequirepassFile}), hidden from CONFIG GET patterns so
 * that {@code CONFIG GET *} lists what redis-server lists.
 */
public final class SecurityDirectives {
    public final StringDirective requirepass;
    public final StringDirective requirepassFile;
    public final StringDirective aclfile;
    public final IntegerDirective acllogMaxLen;
    public final EnumDirective aclPubsubDefault;

    SecurityDirectives(DirectiveRegistry registry) {
        requirepass = registry.add(new StringDirective("requirepass", "").emptyIsUnset().binarySafe()).sensitive();
        requirepassFile = registry.add(new StringDirective("requirepass-file", "").emptyIsUnset()
                .validatedBy(RequirepassFile::problem)).hidden();
        aclfile = registry.add(new StringDirective("aclfile", "")).immutable();
        acllogMaxLen = registry.add(new IntegerDirective("acllog-max-len", 128, 0, Long.MAX_VALUE));
        aclPubsubDefault = registry.add(new EnumDirective("acl-pubsub-default", "resetchannels", "allchannels",
                "resetchannels"));
    }
}
