/**
 * Lua scripting: the interpreter state scripts run in ({@link io.nuthatch.server.scripting.LuaSandbox}),
 * the cache of compiled scripts ({@link io.nuthatch.server.scripting.LuaScripts}), the {@code redis}
 * table ({@link io.nuthatch.server.scripting.RedisLibrary}), the conversions between RESP and Lua
 * both ways, and the libraries Redis bundles (cjson, cmsgpack, bit, struct), written here.
 * Redis 7's function libraries ({@link io.nuthatch.server.scripting.FunctionLibraries}) live in
 * the same state: Redis gives them a state of their own, but the globals are read-only either way,
 * KEYS and ARGV are cleared before a function runs, and only the globals seen while a library
 * loads differ (swapped for the load's small redis table, then back), so one state costs less and
 * shows no difference. FCALL runs a function on the same path as EVAL (inline, then the script
 * thread, BUSY, KILL), named by the function in errors and as FUNCTION long work at the gate.
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
 * First on the thread of the command that runs them (the connection's event loop, holding the
 * engine), within a short inline slice (2 ms at most): the short script costs nothing more. Its
 * writes run there too while nobody but the script can see them (no keyspace notifications,
 * tracking, MONITOR or snapshot walk at that moment), the keyspace recording each changed key's old
 * contents ({@link io.nuthatch.server.keyspace.UndoLog}). Past that slice, before a write that
 * cannot be taken back (FLUSHALL, more keys or bigger values than the log keeps) and before a
 * PUBLISH, the script is stopped, its changes and log records are taken back, and it runs again
 * from its start on the {@link io.nuthatch.server.scripting.ScriptThread} while the caller waits:
 * nobody saw the first run, so nobody can tell. LuaJ's debug hooks count instructions
 * ({@link io.nuthatch.server.scripting.InstructionHook}); every 256 a checkpoint looks at the clock,
 * the kill flag and the heap ({@link io.nuthatch.server.scripting.ScriptMemoryBudget}). Past a first
 * slice on the script thread (busy-reply-threshold, at most 100 ms) the caller parks its client,
 * keeps the script's execution unit open and hands the engine to the script's thread as the gate's
 * long work; from then on each checkpoint is a yield point, where other clients get -BUSY once the
 * threshold has passed and SCRIPT KILL or SHUTDOWN NOSAVE run. A script is stopped by an Error that
 * neither pcall nor LuaJ catches. Its writes are still propagated together when it ends (Redis
 * 7.0's effects replication), EVAL itself never. A transaction holding a script runs its whole
 * queue on the script thread (command/transaction/ScriptedTransaction), so that a script inside
 * EXEC passes its slice, answers -BUSY and stops as one outside it does.
 *
 * <p>Why not every script on the script thread: measured with {@code TESTS=evalsha
 * bench/compare.sh} on the shared two-core machine (load 30), a hand-off per script gave 0.38x of
 * redis-server without pipelining and 0.08x with 16; see ScriptThread. Taking a writing
 * script's changes back instead of moving it before its first write took the rate limiter of
 * {@code TESTS=evalsha_ratelimit bench/compare.sh} from 0.28x/0.44x to 0.92x/0.73x (-P 1/-P 16,
 * bench/results/2026-12-02-scripts-taken-back.md).
 *
 * <p>This package must never give scripts file, OS, network or Java access (no io, os, package,
 * require, luajava), nor let a script start a JVM collection.
 */
package io.nuthatch.server.scripting;
