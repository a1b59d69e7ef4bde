/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT: argument checks and replies; the scripts
 * themselves run in {@link io.nuthatch.server.scripting}. A script's command is never propagated
 * itself: its redis.call writes are, as one execution unit.
 */
package io.nuthatch.server.command.scripting;
