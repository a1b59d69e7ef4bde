/**
 * Lua scripting: the interpreter state scripts run in ({@link io.nuthatch.server.scripting.LuaSandbox}),
 * the cache of compiled scripts ({@link io.nuthatch.server.scripting.LuaScripts}), the {@code redis}
 * table ({@link io.nuthatch.server.scripting.RedisLibrary}), the conversions between RESP and Lua
 * both ways, and the libraries Redis bundles (cjson, cmsgpack, bit, struct), written here.
 *
 * <h2>Why LuaJ, and what it costs</h2>
 * Scripts run on LuaJ 3.0.1 (org.luaj:luaj-jse), compiled once to LuaJ's prototypes and
 * interpreted; one state serves every script, as Redis keeps one. The alternative was an
 * interpreter of our own with Lua 5.1's exact semantics; LuaJ was chosen to land scripting (and
 * BullMQ) first, with its 5.2 differences bridged where a script can see them:
 * <ul>
 * <li>bridged: unpack, loadstring (refusing bytecode), table.getn, gcinfo, _VERSION "Lua 5.1",
 *     tostring of numbers as {@code %.14g}, string.format (LuaJ ignores %5.2f's width and
 *     precision; ours is C's), numbers passed to commands as {@code %.17g}, tail calls (rewritten
 *     to call + return so that an error of {@code return redis.call(...)} keeps the script's line),
 *     compile errors naming a one-character token or the end of input as 5.1 does;</li>
 * <li>not bridged (checked against redis-server, and left out of the differential script):
 *     concatenating a non-integral number ({@code 1/3 .. ''} is LuaJ's float text
 *     "0.33333334", 5.1's "0.33333333333333"), -0 (LuaJ folds it to 0), some runtime error
 *     texts ("attempt to perform arithmetic __add on number and table", "attempt to index ?"
 *     where 5.1 names the local), some compile error texts ("syntax error" where 5.1 says "'='
 *     expected"), coroutines (not loaded: LuaJ runs each on a Java thread).</li>
 * </ul>
 * Replacing LuaJ's number class or the interpreter would close the first three.
 *
 * <h2>Where scripts run</h2>
 * On the thread of the command that runs them, inside its execution unit: a script's writes are
 * propagated together when it ends (Redis 7.0's effects replication), EVAL itself never. Not yet
 * on the gate's long-work thread: a script that runs for seconds holds the event loop (see the
 * README's status for what remains: busy-reply-threshold, SCRIPT KILL, an instruction budget).
 *
 * <p>This package must never give scripts file, OS, network or Java access (no io, os, package,
 * require, luajava), nor let a script start a JVM collection.
 */
package io.nuthatch.server.scripting;
