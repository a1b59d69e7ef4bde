package io.nuthatch.server.scripting;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * The scripts of EVAL and EVALSHA: the cache of compiled scripts by SHA1, and running one with its
 * KEYS and ARGV. Every script runs in the one {@link LuaSandbox}; a script is compiled once, the
 * first time EVAL or SCRIPT LOAD sees its body, and each later call runs the compiled function.
 *
 * <p>Errors reach the caller in Redis 7.0's form: a compile error as "ERR Error compiling script
 * (new function): user_script:1: ...", a runtime error as its message, then " script: <sha>, on
 * @user_script:<line>.", a string error with "ERR " before it and its position, an error table
 * ({@code {err=...}}, which redis.call raises for a command's error reply) with its own code.
 */
public final class LuaScripts {
    /** A compiled script. */
    public record Script(String sha, byte[] body, LuaFunction function) {
    }

    /** LuaJ's token number for the end of the input (TK_EOS). */
    private static final int END_OF_STREAM = 286;
    private static final LuaString KEYS = LuaString.valueOf("KEYS");
    private static final LuaString ARGV = LuaString.valueOf("ARGV");

    private final Engine engine;
    private final LuaSandbox sandbox = new LuaSandbox();
    private final Map<String, Script> cache = new HashMap<>();
    private final RedisLibrary redis;
    private long cacheBytes;

    public LuaScripts(Engine engine) {
        this.engine = engine;
        this.redis = new RedisLibrary(engine);
        sandbox.globals.rawset("redis", redis.table());
    }

    /** The script of a body, compiled now unless cached. */
    public Script load(byte[] body) {
        String sha = sha1Hex(body, 0, body.length);
        Script script = cache.get(sha);
        if (script != null) {
            return script;
        }
        LuaFunction function;
        try {
            function = sandbox.compile(body, LuaSandbox.CHUNK_NAME);
        } catch (LuaError error) {
            throw new CommandError("ERR Error compiling script (new function): " + compileMessage(error.getMessage()));
        }
        script = new Script(sha, body, function);
        cache.put(sha, script);
        cacheBytes += body.length;
        return script;
    }

    /** The cached script of a SHA1 (any case), or null. */
    public Script find(String sha) {
        if (sha.length() != 40) {
            return null;
        }
        return cache.get(sha.toLowerCase(java.util.Locale.ROOT));
    }

    /** SCRIPT FLUSH. */
    public void flush() {
        cache.clear();
        cacheBytes = 0;
    }

    public int cachedCount() {
        return cache.size();
    }

    /** Bytes of the cached scripts' bodies (INFO used_memory_scripts_eval). */
    public long cacheBytes() {
        return cacheBytes;
    }

    /**
     * Runs a script for the command in {@code caller}: arguments {@code firstKey} to
     * {@code firstKey + keyCount - 1} are KEYS, those after ARGV. Writes the reply.
     */
    public void run(CommandContext caller, Script script, int firstKey, int keyCount, boolean readOnly) {
        int argumentCount = caller.argumentCount();
        LuaTable keys = new LuaTable(keyCount, 0);
        for (int i = 0; i < keyCount; i++) {
            keys.rawset(i + 1, LuaString.valueUsing(caller.copyArgument(firstKey + i)));
        }
        int argvStart = firstKey + keyCount;
        LuaTable argv = new LuaTable(Math.max(0, argumentCount - argvStart), 0);
        for (int i = argvStart; i < argumentCount; i++) {
            argv.rawset(i - argvStart + 1, LuaString.valueUsing(caller.copyArgument(i)));
        }
        sandbox.globals.rawset(KEYS, keys);
        sandbox.globals.rawset(ARGV, argv);
        ReplyWriter reply = caller.reply();
        redis.begin(caller, script.sha(), readOnly);
        try {
            LuaValue result = script.function().call();
            LuaToReply.write(result, reply, redis.protocol());
        } catch (LuaError error) {
            reply.error(errorReply(error, script.sha()));
        } catch (StackOverflowError overflow) {
            reply.error("ERR Error running script (call to f_" + script.sha() + "): stack overflow");
        } finally {
            redis.end();
        }
    }

    /** LuaJ's parser names a one-character token by its code ("unexpected symbol 43 (+)"); Lua 5.1 quotes it. */
    private static String compileMessage(String message) {
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("unexpected symbol (\\d+) \\(.*\\)$").matcher(message);
        if (!token.find()) {
            return message;
        }
        int code = Integer.parseInt(token.group(1));
        String name = code == END_OF_STREAM ? "<eof>" : code < 256 ? String.valueOf((char) code) : null;
        return name == null ? message : message.substring(0, token.start()) + "unexpected symbol near '" + name + "'";
    }

    /** Redis 7.0's error reply for an error that ended a script. */
    static String errorReply(LuaError error, String sha) {
        String message = error.getMessage();
        String position = null;
        String text = message;
        // LuaJ writes the position as "@user_script:3 message"; Lua 5.1 as "user_script:3: message".
        if (message != null && message.startsWith(LuaSandbox.CHUNK_NAME + ":")) {
            int space = message.indexOf(' ');
            if (space > 0) {
                position = message.substring(0, space);
                text = position.substring(1) + ": " + message.substring(space + 1);
            }
        }
        LuaValue object = error.getMessageObject();
        String reply;
        if (object != null && object.istable() && object.rawget(ReplyToLua.ERR).isstring()) {
            reply = LuaSandbox.text(object.rawget(ReplyToLua.ERR));
        } else {
            reply = "ERR " + text;
        }
        if (position != null) {
            reply += " script: " + sha + ", on " + position + ".";
        }
        return reply;
    }

    /** SHA1 of bytes, in lower-case hex (SCRIPT LOAD's reply, redis.sha1hex). */
    public static String sha1Hex(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            digest.update(bytes, offset, length);
            byte[] hash = digest.digest();
            StringBuilder hex = new StringBuilder(40);
            for (byte b : hash) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException(missing);
        }
    }

    static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
