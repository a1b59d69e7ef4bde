package io.nuthatch.server.acl;

/** A rule of ACL SETUSER (or of a user directive) that cannot be applied; the message is Redis's reason. */
public final class AclRuleException extends Exception {
    AclRuleException(String reason) {
        super(reason, null, false, false);
    }
}
