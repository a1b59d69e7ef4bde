package io.nuthatch.server.config;

/** Authentication and ACL. rename-command is a file-only directive: {@link ServerConfig#renameCommand}. */
public final class SecurityDirectives {
    public final StringDirective requirepass;
    public final StringDirective aclfile;
    public final IntegerDirective acllogMaxLen;
    public final EnumDirective aclPubsubDefault;

    SecurityDirectives(DirectiveRegistry registry) {
        requirepass = registry.add(new StringDirective("requirepass", "").emptyIsUnset().binarySafe()).sensitive();
        aclfile = registry.add(new StringDirective("aclfile", "")).immutable().withoutEffect(NoEffect.ACL);
        acllogMaxLen = registry.add(new IntegerDirective("acllog-max-len", 128, 0, Long.MAX_VALUE))
                .withoutEffect(NoEffect.ACL);
        aclPubsubDefault = registry.add(new EnumDirective("acl-pubsub-default", "resetchannels", "allchannels",
                "resetchannels")).withoutEffect(NoEffect.ACL);
    }
}
