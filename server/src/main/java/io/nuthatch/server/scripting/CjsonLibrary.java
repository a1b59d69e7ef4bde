package io.nuthatch.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;

/**
 * The {@code cjson} library Redis bundles (lua-cjson 2.1.0 with Redis's settings), written here:
 * encode and decode, cjson.null, and the settings functions.
 *
 * <p>Encoding: a table whose keys are all positive integers is an array (missing entries become
 * null; one sparser than max > 2 * count with max > 10 is refused, as cjson's default refuses
 * it), any other an object whose keys must be strings or numbers; numbers as {@code %.14g}; NaN
 * and infinity refused; '/' escaped as cjson escapes it; nesting deeper than 1000 refused. Strings
 * are bytes: UTF-8 passes through unchanged. Decoding gives numbers, strings, booleans, tables
 * and cjson.null, and reports errors with cjson's messages and character positions.
 */
final class CjsonLibrary {
    static final LuaUserdata NULL = new LuaUserdata(new Object());
    private static final int MAX_DEPTH = 1000;

    private CjsonLibrary() {
    }

    static LuaTable create() {
        LuaTable cjson = new LuaTable();
        cjson.rawset("encode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue value) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                encode(value, out, 1);
                return LuaString.valueUsing(out.toByteArray());
            }
        });
        cjson.rawset("decode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue text) {
                return new Decoder(text.checkstring()).decodeWhole();
            }
        });
        cjson.rawset("null", NULL);
        cjson.rawset("_NAME", "cjson");
        cjson.rawset("_VERSION", "2.1.0");
        for (String setting : new String[] {"encode_sparse_array", "encode_max_depth", "decode_max_depth",
                "encode_number_precision", "encode_keep_buffer", "encode_invalid_numbers", "decode_invalid_numbers"}) {
            cjson.rawset(setting, new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs arguments) {
                    // The defaults Redis runs with are the only behaviour; a setting call reports them.
                    return arguments.narg() == 0 ? LuaValue.TRUE : arguments;
                }
            });
        }
        return cjson;
    }

    // ---------------------------------------------------------------- encode

    private static void encode(LuaValue value, ByteArrayOutputStream out, int depth) {
        switch (value.type()) {
            case LuaValue.TSTRING -> encodeString(value.checkstring(), out);
            case LuaValue.TNUMBER -> encodeNumber(value.todouble(), out);
            case LuaValue.TBOOLEAN -> out.writeBytes(value.toboolean() ? TRUE_BYTES : FALSE_BYTES);
            case LuaValue.TNIL -> out.writeBytes(NULL_BYTES);
            case LuaValue.TTABLE -> {
                if (depth > MAX_DEPTH) {
                    throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
                }
                encodeTable((LuaTable) value, out, depth);
            }
            case LuaValue.TUSERDATA, LuaValue.TLIGHTUSERDATA -> {
                if (value == NULL) {
                    out.writeBytes(NULL_BYTES);
                } else {
                    throw new LuaError("Cannot serialise userdata: type not supported");
                }
            }
            default -> throw new LuaError("Cannot serialise " + value.typename() + ": type not supported");
        }
    }

    private static final byte[] TRUE_BYTES = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE_BYTES = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL_BYTES = {'n', 'u', 'l', 'l'};

    private static void encodeNumber(double number, ByteArrayOutputStream out) {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            throw new LuaError("Cannot serialise number: must not be NaN or Inf");
        }
        out.writeBytes(LuaScripts.latin1(CNumberFormat.g(number, 14)));
    }

    private static void encodeString(LuaString string, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < string.m_length; i++) {
            int c = string.m_bytes[string.m_offset + i] & 0xFF;
            switch (c) {
                case '"' -> out.writeBytes(new byte[] {'\\', '"'});
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '/' -> out.writeBytes(new byte[] {'\\', '/'});
                case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
                case '\f' -> out.writeBytes(new byte[] {'\\', 'f'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.writeBytes(LuaScripts.latin1(String.format("\\u%04x", c)));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    private static void encodeTable(LuaTable table, ByteArrayOutputStream out, int depth) {
        int arrayLength = arrayLength(table);
        if (arrayLength >= 0 && !(arrayLength == 0 && hasAnyKey(table))) {
            if (arrayLength == 0) {
                out.writeBytes(new byte[] {'{', '}'});
                return;
            }
            out.write('[');
            for (int i = 1; i <= arrayLength; i++) {
                if (i > 1) {
                    out.write(',');
                }
                encode(table.rawget(i), out, depth + 1);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(key);
            key = next.arg1();
            if (key.isnil()) {
                break;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            if (key.type() == LuaValue.TSTRING) {
                encodeString(key.checkstring(), out);
            } else if (key.type() == LuaValue.TNUMBER) {
                out.write('"');
                encodeNumber(key.todouble(), out);
                out.write('"');
            } else {
                throw new LuaError("Cannot serialise " + key.typename() + ": table key must be a number or string");
            }
            out.write(':');
            encode(next.arg(2), out, depth + 1);
        }
        out.write('}');
    }

    private static boolean hasAnyKey(LuaTable table) {
        return !table.next(LuaValue.NIL).arg1().isnil();
    }

    /** The array length of a table whose keys are all positive integers; -1 for an object. */
    private static int arrayLength(LuaTable table) {
        double max = 0;
        int items = 0;
        LuaValue key = LuaValue.NIL;
        while (true) {
            key = table.next(key).arg1();
            if (key.isnil()) {
                break;
            }
            if (key.type() != LuaValue.TNUMBER) {
                return -1;
            }
            double k = key.todouble();
            if (k != Math.floor(k) || k < 1) {
                return -1;
            }
            max = Math.max(max, k);
            items++;
        }
        if (max > 10 && max > items * 2.0) {
            throw new LuaError("Cannot serialise table: excessively sparse array");
        }
        return (int) max;
    }

    // ---------------------------------------------------------------- decode

    /** A recursive-descent JSON reader over the bytes of a Lua string. */
    private static final class Decoder {
        private final byte[] bytes;
        private final int start;
        private final int end;
        private int position;
        private int depth;

        Decoder(LuaString text) {
            this.bytes = text.m_bytes;
            this.start = text.m_offset;
            this.end = text.m_offset + text.m_length;
            this.position = start;
        }

        LuaValue decodeWhole() {
            LuaValue value = value();
            skipSpace();
            if (position < end) {
                throw error("the end", foundToken());
            }
            return value;
        }

        private LuaError error(String expected, String found) {
            return new LuaError("Expected " + expected + " but found " + found + " at character "
                    + (position - start + 1));
        }

        /** How cjson names the token at the current position in its errors. */
        private String foundToken() {
            if (position >= end) {
                return "T_END";
            }
            byte c = bytes[position];
            switch (c) {
                case '{': return "T_OBJ_BEGIN";
                case '}': return "T_OBJ_END";
                case '[': return "T_ARR_BEGIN";
                case ']': return "T_ARR_END";
                case '"': return "T_STRING";
                case ':': return "T_COLON";
                case ',': return "T_COMMA";
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return "T_NUMBER";
                    }
                    if (startsWith("true") || startsWith("false")) {
                        return "T_BOOLEAN";
                    }
                    if (startsWith("null")) {
                        return "T_NULL";
                    }
                    return "invalid token";
            }
        }

        private boolean startsWith(String word) {
            int length = word.length();
            return position + length <= end
                    && new String(bytes, position, length, java.nio.charset.StandardCharsets.ISO_8859_1).equals(word);
        }

        private void skipSpace() {
            while (position < end) {
                byte c = bytes[position];
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    position++;
                } else {
                    break;
                }
            }
        }

        private LuaValue value() {
            skipSpace();
            if (position >= end) {
                throw error("value", "T_END");
            }
            byte c = bytes[position];
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", LuaValue.TRUE);
                case 'f':
                    return literal("false", LuaValue.FALSE);
                case 'n':
                    return literal("null", NULL);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("value", foundToken());
            }
        }

        private LuaValue literal(String word, LuaValue value) {
            int length = word.length();
            if (position + length <= end && new String(bytes, position, length, java.nio.charset.StandardCharsets.ISO_8859_1).equals(word)) {
                position += length;
                return value;
            }
            throw error("value", "invalid token");
        }

        private LuaValue number() {
            int begin = position;
            if (bytes[position] == '-') {
                position++;
            }
            while (position < end) {
                byte c = bytes[position];
                if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    position++;
                } else {
                    break;
                }
            }
            String text = new String(bytes, begin, position - begin, java.nio.charset.StandardCharsets.ISO_8859_1);
            try {
                return LuaValue.valueOf(Double.parseDouble(text));
            } catch (NumberFormatException invalid) {
                position = begin;
                throw error("value", "invalid number");
            }
        }

        private LuaValue string() {
            position++;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (position >= end) {
                    throw error("value", "unexpected end of string");
                }
                byte c = bytes[position++];
                if (c == '"') {
                    break;
                }
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (position >= end) {
                    throw error("value", "invalid escape code");
                }
                byte escaped = bytes[position++];
                switch (escaped) {
                    case '"', '\\', '/' -> out.write(escaped);
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> unicodeEscape(out);
                    default -> {
                        position -= 2;
                        throw error("value", "invalid escape code");
                    }
                }
            }
            return LuaString.valueUsing(out.toByteArray());
        }

        private void unicodeEscape(ByteArrayOutputStream out) {
            int codePoint = hex4();
            if (codePoint >= 0xD800 && codePoint <= 0xDBFF) {
                if (position + 6 <= end && bytes[position] == '\\' && bytes[position + 1] == 'u') {
                    position += 2;
                    int low = hex4();
                    if (low < 0xDC00 || low > 0xDFFF) {
                        throw error("value", "invalid unicode escape code");
                    }
                    codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
                } else {
                    throw error("value", "invalid unicode escape code");
                }
            }
            out.writeBytes(new String(Character.toChars(codePoint)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        private int hex4() {
            if (position + 4 > end) {
                throw error("value", "invalid unicode escape code");
            }
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(bytes[position++], 16);
                if (digit < 0) {
                    throw error("value", "invalid unicode escape code");
                }
                value = value * 16 + digit;
            }
            return value;
        }

        private LuaValue object() {
            enter();
            position++;
            LuaTable table = new LuaTable();
            skipSpace();
            if (position < end && bytes[position] == '}') {
                position++;
                depth--;
                return table;
            }
            while (true) {
                skipSpace();
                if (position >= end || bytes[position] != '"') {
                    throw error("object key string", foundToken());
                }
                LuaValue key = string();
                skipSpace();
                if (position >= end || bytes[position] != ':') {
                    throw error("colon", foundToken());
                }
                position++;
                table.rawset(key, value());
                skipSpace();
                if (position < end && bytes[position] == ',') {
                    position++;
                    continue;
                }
                if (position < end && bytes[position] == '}') {
                    position++;
                    depth--;
                    return table;
                }
                throw error("comma or object end", foundToken());
            }
        }

        private LuaValue array() {
            enter();
            position++;
            LuaTable table = new LuaTable();
            skipSpace();
            if (position < end && bytes[position] == ']') {
                position++;
                depth--;
                return table;
            }
            for (int index = 1; ; index++) {
                table.rawset(index, value());
                skipSpace();
                if (position < end && bytes[position] == ',') {
                    position++;
                    continue;
                }
                if (position < end && bytes[position] == ']') {
                    position++;
                    depth--;
                    return table;
                }
                throw error("comma or array end", foundToken());
            }
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw new LuaError("Found too many nested data structures (" + depth + ") at character "
                        + (position - start + 1));
            }
        }
    }
}
