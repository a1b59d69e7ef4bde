/**
 * Users and their permissions (Redis 7.0's ACL): the users, their passwords (kept as SHA-256
 * hashes only), the commands, keys and channels each may use, the check the dispatcher makes
 * before a command runs, and the text ACL LIST / ACL GETUSER describe a user with.
 *
 * <p>It owns no connection and writes no reply: the ACL commands and AUTH live with the other
 * server commands and call in here. It must never keep a password in clear, and the check on the
 * command path must not allocate for a user allowed every command and key (the default user).
 */
package io.nuthatch.server.acl;
