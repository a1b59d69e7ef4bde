package io.nuthatch.server.scripting;

import io.netty.buffer.ByteBuf;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.nio.charset.StandardCharsets;

/**
 * A command's reply, as the script's client received it in RESP2 or RESP3, turned into the Lua
 * value redis.call returns, as Redis documents the conversion:
 *
 * <pre>
 * integer            -> number            bulk string     -> string
 * null bulk / array  -> false (RESP2)     null (RESP3)    -> nil
 * array              -> table 1..n        status          -> {ok = text}
 * error              -> {err = text}      map             -> {map = {k = v}}
 * set                -> {set = {e = true}} boolean       -> boolean
 * double             -> {double = number}  big number     -> {big_number = text}
 * verbatim           -> {verbatim_string = {format = f, string = s}}
 * </pre>
 *
 * A reply is read once, front to back; strings become Lua strings of the same bytes.
 */
final class ReplyToLua {
    static final LuaString OK = LuaString.valueOf("ok");
    static final LuaString ERR = LuaString.valueOf("err");
    private static final LuaString MAP = LuaString.valueOf("map");
    private static final LuaString SET = LuaString.valueOf("set");
    private static final LuaString DOUBLE = LuaString.valueOf("double");
    private static final LuaString BIG_NUMBER = LuaString.valueOf("big_number");
    private static final LuaString VERBATIM = LuaString.valueOf("verbatim_string");
    private static final LuaString FORMAT = LuaString.valueOf("format");
    private static final LuaString STRING = LuaString.valueOf("string");

    private final ByteBuf buffer;
    private int position;

    private ReplyToLua(ByteBuf buffer, int start) {
        this.buffer = buffer;
        this.position = start;
    }

    /** The first reply written into {@code buffer} from {@code start}. */
    static LuaValue convert(ByteBuf buffer, int start) {
        return new ReplyToLua(buffer, start).next();
    }

    /** Whether the reply at {@code start} is an error. */
    static boolean isError(ByteBuf buffer, int start) {
        return buffer.getByte(start) == '-';
    }

    /** The text of an error reply at {@code start}, without '-' and CRLF. */
    static String errorText(ByteBuf buffer, int start) {
        int end = buffer.indexOf(start, buffer.writerIndex(), (byte) '\r');
        return buffer.toString(start + 1, end - start - 1, StandardCharsets.ISO_8859_1);
    }

    private LuaValue next() {
        byte type = buffer.getByte(position++);
        switch (type) {
            case ':':
                return LuaValue.valueOf((double) Long.parseLong(line()));
            case '$': {
                long length = Long.parseLong(line());
                if (length < 0) {
                    return LuaValue.FALSE;
                }
                return bytes((int) length);
            }
            case '+': {
                LuaTable status = new LuaTable();
                status.rawset(OK, lineBytes());
                return status;
            }
            case '-': {
                LuaTable error = new LuaTable();
                error.rawset(ERR, lineBytes());
                return error;
            }
            case '*': {
                long count = Long.parseLong(line());
                if (count < 0) {
                    return LuaValue.FALSE;
                }
                return array((int) count);
            }
            case '%': {
                int pairs = Integer.parseInt(line());
                LuaTable map = new LuaTable();
                for (int i = 0; i < pairs; i++) {
                    LuaValue key = next();
                    map.rawset(key, next());
                }
                LuaTable wrapper = new LuaTable();
                wrapper.rawset(MAP, map);
                return wrapper;
            }
            case '~': {
                int count = Integer.parseInt(line());
                LuaTable set = new LuaTable();
                for (int i = 0; i < count; i++) {
                    set.rawset(next(), LuaValue.TRUE);
                }
                LuaTable wrapper = new LuaTable();
                wrapper.rawset(SET, set);
                return wrapper;
            }
            case '>':
                return array(Integer.parseInt(line()));
            case '_':
                line();
                return LuaValue.NIL;
            case '#':
                return LuaValue.valueOf(line().equals("t"));
            case ',': {
                LuaTable wrapper = new LuaTable();
                wrapper.rawset(DOUBLE, LuaValue.valueOf(parseDouble(line())));
                return wrapper;
            }
            case '(': {
                LuaTable wrapper = new LuaTable();
                wrapper.rawset(BIG_NUMBER, lineBytes());
                return wrapper;
            }
            case '=': {
                int length = Integer.parseInt(line());
                LuaString all = bytes(length);
                LuaTable verbatim = new LuaTable();
                verbatim.rawset(FORMAT, all.substring(0, 3));
                verbatim.rawset(STRING, all.substring(4, all.length()));
                LuaTable wrapper = new LuaTable();
                wrapper.rawset(VERBATIM, verbatim);
                return wrapper;
            }
            default:
                throw new LuaError("unexpected reply type " + (char) type);
        }
    }

    private LuaTable array(int count) {
        LuaTable array = new LuaTable(count, 0);
        for (int i = 1; i <= count; i++) {
            array.rawset(i, next());
        }
        return array;
    }

    private static double parseDouble(String text) {
        return switch (text) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private LuaString bytes(int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(position, bytes);
        position += length + 2;
        return LuaString.valueUsing(bytes, 0, length);
    }

    private String line() {
        int end = buffer.indexOf(position, buffer.writerIndex(), (byte) '\r');
        String text = buffer.toString(position, end - position, StandardCharsets.ISO_8859_1);
        position = end + 2;
        return text;
    }

    private LuaString lineBytes() {
        int end = buffer.indexOf(position, buffer.writerIndex(), (byte) '\r');
        byte[] bytes = new byte[end - position];
        buffer.getBytes(position, bytes);
        position = end + 2;
        return LuaString.valueUsing(bytes, 0, bytes.length);
    }
}
