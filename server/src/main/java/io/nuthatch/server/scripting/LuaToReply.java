package io.nuthatch.server.scripting;

import io.nuthatch.resp.ReplyWriter;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A script's return value written as the reply to its caller, as Redis converts it:
 *
 * <pre>
 * number  -> integer (truncated toward zero)   string -> bulk string
 * true    -> integer 1 (RESP3 script: boolean)  false / nil -> null
 * {ok=s}  -> status   {err=s} -> error          {double=n} -> double (RESP3) or bulk
 * other table -> array of t[1], t[2] ... up to the first nil
 * </pre>
 *
 * A number becomes an integer as C's cast of a double to long long does on x86-64: NaN and
 * values out of range become the smallest long, which is what redis-server replies for
 * {@code return math.huge}.
 */
final class LuaToReply {
    private static final LuaString DOUBLE = LuaString.valueOf("double");
    private static final LuaString MAP = LuaString.valueOf("map");
    private static final LuaString SET = LuaString.valueOf("set");
    private static final LuaString BIG_NUMBER = LuaString.valueOf("big_number");

    private LuaToReply() {
    }

    /**
     * Writes {@code value}. {@code scriptProtocol} is the protocol the script chose with
     * redis.setresp, which decides how booleans and RESP3 tables come back.
     */
    static void write(LuaValue value, ReplyWriter reply, int scriptProtocol) {
        switch (value.type()) {
            case LuaValue.TNUMBER -> reply.integer(toLong(value.todouble()));
            case LuaValue.TSTRING -> {
                LuaString string = value.checkstring();
                reply.bulk(string.m_bytes, string.m_offset, string.m_length);
            }
            case LuaValue.TBOOLEAN -> {
                if (scriptProtocol == 2) {
                    if (value.toboolean()) {
                        reply.integer(1);
                    } else {
                        reply.nullBulk();
                    }
                } else {
                    reply.bool(value.toboolean());
                }
            }
            case LuaValue.TTABLE -> writeTable((LuaTable) value, reply, scriptProtocol);
            default -> reply.nullBulk();
        }
    }

    private static void writeTable(LuaTable table, ReplyWriter reply, int scriptProtocol) {
        LuaValue error = table.rawget(ReplyToLua.ERR);
        if (error.isstring()) {
            reply.error(withoutLineBreaks(error.checkstring()));
            return;
        }
        LuaValue status = table.rawget(ReplyToLua.OK);
        if (status.isstring()) {
            reply.simpleString(withoutLineBreaks(status.checkstring()));
            return;
        }
        LuaValue number = table.rawget(DOUBLE);
        if (number.isnumber()) {
            reply.doubleValue(number.todouble());
            return;
        }
        LuaValue map = table.rawget(MAP);
        if (map.istable()) {
            LuaTable entries = (LuaTable) map;
            reply.mapHeader(entries.keyCount());
            LuaValue key = LuaValue.NIL;
            while (true) {
                org.luaj.vm2.Varargs next = entries.next(key);
                key = next.arg1();
                if (key.isnil()) {
                    break;
                }
                write(key, reply, scriptProtocol);
                write(next.arg(2), reply, scriptProtocol);
            }
            return;
        }
        LuaValue set = table.rawget(SET);
        if (set.istable()) {
            LuaTable members = (LuaTable) set;
            reply.setHeader(members.keyCount());
            LuaValue key = LuaValue.NIL;
            while (true) {
                key = members.next(key).arg1();
                if (key.isnil()) {
                    break;
                }
                write(key, reply, scriptProtocol);
            }
            return;
        }
        LuaValue bigNumber = table.rawget(BIG_NUMBER);
        if (bigNumber.isstring()) {
            reply.bigNumber(bigNumber.tojstring());
            return;
        }
        int length = 0;
        while (!table.rawget(length + 1).isnil()) {
            length++;
        }
        reply.arrayHeader(length);
        for (int i = 1; i <= length; i++) {
            write(table.rawget(i), reply, scriptProtocol);
        }
    }

    /** C's (long long) of a double on x86-64: truncation, and the smallest long when out of range. */
    static long toLong(double value) {
        if (Double.isNaN(value) || value >= 0x1p63 || value < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) value;
    }

    private static byte[] withoutLineBreaks(LuaString text) {
        byte[] bytes = new byte[text.m_length];
        System.arraycopy(text.m_bytes, text.m_offset, bytes, 0, bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                bytes[i] = ' ';
            }
        }
        return bytes;
    }
}
