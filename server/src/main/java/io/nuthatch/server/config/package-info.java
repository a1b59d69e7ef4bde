/**
 * The configuration: every directive of redis-server 7.0.15, how redis.conf and the command line
 * are read, and CONFIG SET and CONFIG REWRITE's rules.
 *
 * <p>What this package owns: the directives, one declaration each, by area ({@link
 * io.nuthatch.server.config.NetworkDirectives}, {@link io.nuthatch.server.config.PersistenceDirectives}...,
 * gathered by {@link io.nuthatch.server.config.ServerConfig}); the grammar of redis.conf
 * ({@link io.nuthatch.server.config.ConfigSyntax}, {@link io.nuthatch.server.config.ConfigLoader}); the
 * command line ({@link io.nuthatch.server.config.CommandLine}); CONFIG SET's all-or-nothing update
 * ({@link io.nuthatch.server.config.ConfigUpdate}) and CONFIG REWRITE ({@link
 * io.nuthatch.server.config.ConfigRewrite}). The CONFIG command family only parses and replies.
 *
 * <p>Decisions:
 * <ul>
 * <li>Redis is the specification, odd corners included: the error texts, the ranges of its C
 *     types (an unsigned directive says "between 1 and 4294967295" to -1), strtoll's and
 *     memtoull's leniency, C strings cut at NUL, save lines that add up, the save quirk after an
 *     include, CONFIG GET's answer under the name as given. The tests compare with redis-server.</li>
 * <li>Values are text with one char per byte (ISO-8859-1), as Redis's are bytes; paths are
 *     decoded in the JVM's file name charset only when a file is opened.</li>
 * <li>dir never changes the JVM's working directory (a JVM cannot, and an embedded server must
 *     not): it holds the absolute real path, which CONFIG GET shows as Redis shows its cwd, and
 *     relative paths (logfile, pidfile, include) are resolved against it.</li>
 * <li>A directive Nuthatch does not act on is accepted, so that our users' redis.conf files load,
 *     and marked {@code withoutEffect(reason)}; the process lists the ones a configuration sets at
 *     startup. What cannot be pretended is refused with a clear message: a replica (replicaof
 *     host port), cluster-enabled yes, loadmodule and module configuration.</li>
 * <li>A directive of several values (Redis's MULTI_ARG_CONFIG: save, bind,
 *     client-output-buffer-limit...) given as one non-empty argument, as charts and compose files
 *     give it ({@code --save "3600 1 300 100"}, or quoted in a file), is split again with the
 *     line's own rules, quotes included, as Redis 7.0 does. CONFIG SET splits its one string at
 *     each single space instead, also as Redis does; the two differ on "3600  1" and quotes.</li>
 * <li>A directive only the command line or a file knows (include, rename-command, user) is not
 *     a directive object: the loader handles it and the configuration records its effect.</li>
 * </ul>
 *
 * <p>What it must never do: act on the server. A directive that must take effect at once
 * (port, bind, loglevel) has listeners, registered by whoever owns that effect.
 */
package io.nuthatch.server.config;
