/**
 * Users and their permissions (Redis 7.0's ACL): the users, their passwords (kept as SHA-256
 * hashes only), the commands, keys and channels each may use, the check the dispatcher, EXEC and
 * scripts make before a command runs, the ACL log of failures and denials, the aclfile, and the
 * text ACL LIST / ACL GETUSER describe a user with (which is also the aclfile's line).
 *
 * <p>It owns no connection and writes no reply: the ACL commands and AUTH live with the other
 * server commands and call in here, and close the connections a change of users requires. It must
 * never keep a password in clear, and the check on the command path must not allocate for a user
 * allowed every command, key and channel (the default user).
 */
package io.nuthatch.server.acl;
