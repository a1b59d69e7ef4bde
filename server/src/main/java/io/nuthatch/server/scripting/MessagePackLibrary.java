package io.nuthatch.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cmsgpack} library Redis bundles, written from the MessagePack specification with
 * the choices of Redis's lua-cmsgpack (0.4.0), which BullMQ relies on to pass job options:
 *
 * <ul>
 * <li>a number equal to a 64-bit integer is packed in the smallest integer form (positive and
 *     negative fixint, uint 8-64, int 8-64); any other as float 32 when a float holds it exactly,
 *     else float 64;</li>
 * <li>strings as fixstr, str 8, str 16 or str 32;</li>
 * <li>a table whose keys are exactly 1..n is an array (the empty table too), any other a map;
 *     tables nested deeper than 16 are packed as nil, as are functions and userdata;</li>
 * <li>unpacking reads every type but extensions; bin becomes a string, integers and floats
 *     numbers; "Missing bytes in input." and "Bad data format in input." as lua-cmsgpack says.</li>
 * </ul>
 */
final class MessagePackLibrary {
    private static final int MAX_NESTING = 16;

    private MessagePackLibrary() {
    }

    static LuaTable create() {
        LuaTable library = new LuaTable();
        library.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                if (arguments.narg() == 0) {
                    throw new LuaError("bad argument #0 to 'pack' (MessagePack pack needs input.)");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 1; i <= arguments.narg(); i++) {
                    pack(arguments.arg(i), out, 0);
                }
                return LuaString.valueUsing(out.toByteArray());
            }
        });
        library.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                return unpack(arguments.checkstring(1), 0, 0, false);
            }
        });
        library.rawset("unpack_one", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                return unpack(arguments.checkstring(1), 1, arguments.optint(2, 0), true);
            }
        });
        library.rawset("unpack_limit", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                return unpack(arguments.checkstring(1), arguments.checkint(2), arguments.optint(3, 0), true);
            }
        });
        library.rawset("_NAME", "cmsgpack");
        library.rawset("_VERSION", "lua-cmsgpack 0.4.0");
        library.rawset("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo");
        library.rawset("_DESCRIPTION", "MessagePack C implementation for Lua");
        return library;
    }

    // ---------------------------------------------------------------- pack

    private static void pack(LuaValue value, ByteArrayOutputStream out, int level) {
        switch (value.type()) {
            case LuaValue.TNIL -> out.write(0xc0);
            case LuaValue.TBOOLEAN -> out.write(value.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> packNumber(value.todouble(), out);
            case LuaValue.TSTRING -> packString(value.checkstring(), out);
            case LuaValue.TTABLE -> {
                if (level >= MAX_NESTING) {
                    out.write(0xc0);
                } else {
                    packTable((LuaTable) value, out, level + 1);
                }
            }
            default -> out.write(0xc0);
        }
    }

    private static void packNumber(double number, ByteArrayOutputStream out) {
        if (!Double.isInfinite(number) && !Double.isNaN(number) && (double) (long) number == number
                && number < 0x1p63) {
            packInteger((long) number, out);
        } else {
            float single = (float) number;
            if ((double) single == number || Double.isNaN(number)) {
                out.write(0xca);
                writeBig(Float.floatToRawIntBits(single), 4, out);
            } else {
                out.write(0xcb);
                writeBig(Double.doubleToRawLongBits(number), 8, out);
            }
        }
    }

    private static void packInteger(long n, ByteArrayOutputStream out) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                writeBig(n, 1, out);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                writeBig(n, 2, out);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                writeBig(n, 4, out);
            } else {
                out.write(0xcf);
                writeBig(n, 8, out);
            }
        } else if (n >= -32) {
            out.write((int) (n & 0xff));
        } else if (n >= -128) {
            out.write(0xd0);
            writeBig(n, 1, out);
        } else if (n >= -32768) {
            out.write(0xd1);
            writeBig(n, 2, out);
        } else if (n >= Integer.MIN_VALUE) {
            out.write(0xd2);
            writeBig(n, 4, out);
        } else {
            out.write(0xd3);
            writeBig(n, 8, out);
        }
    }

    private static void packString(LuaString string, ByteArrayOutputStream out) {
        int length = string.m_length;
        if (length < 32) {
            out.write(0xa0 | length);
        } else if (length <= 0xff) {
            out.write(0xd9);
            writeBig(length, 1, out);
        } else if (length <= 0xffff) {
            out.write(0xda);
            writeBig(length, 2, out);
        } else {
            out.write(0xdb);
            writeBig(length, 4, out);
        }
        out.write(string.m_bytes, string.m_offset, length);
    }

    private static void packTable(LuaTable table, ByteArrayOutputStream out, int level) {
        int count = 0;
        double max = 0;
        boolean array = true;
        LuaValue key = LuaValue.NIL;
        while (true) {
            key = table.next(key).arg1();
            if (key.isnil()) {
                break;
            }
            count++;
            if (key.type() == LuaValue.TNUMBER && key.todouble() >= 1 && key.todouble() == Math.floor(key.todouble())) {
                max = Math.max(max, key.todouble());
            } else {
                array = false;
            }
        }
        if (array && max == count) {
            header(count, 0x90, 0xdc, 0xdd, out);
            for (int i = 1; i <= count; i++) {
                pack(table.rawget(i), out, level);
            }
            return;
        }
        header(count, 0x80, 0xde, 0xdf, out);
        key = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(key);
            key = next.arg1();
            if (key.isnil()) {
                break;
            }
            pack(key, out, level);
            pack(next.arg(2), out, level);
        }
    }

    private static void header(int count, int fix, int sixteen, int thirtyTwo, ByteArrayOutputStream out) {
        if (count <= 15) {
            out.write(fix | count);
        } else if (count <= 0xffff) {
            out.write(sixteen);
            writeBig(count, 2, out);
        } else {
            out.write(thirtyTwo);
            writeBig(count, 4, out);
        }
    }

    private static void writeBig(long value, int bytes, ByteArrayOutputStream out) {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift) & 0xff);
        }
    }

    // ---------------------------------------------------------------- unpack

    /**
     * Unpacks up to {@code limit} objects (0: all) from {@code offset}. With {@code withOffset}, the
     * offset after the last one comes first (-1 when the input is used up), as unpack_one and
     * unpack_limit return it.
     */
    private static Varargs unpack(LuaString input, int limit, int offset, boolean withOffset) {
        if (offset < 0 || offset > input.m_length) {
            throw new LuaError("Start offset " + offset + " greater than input length " + input.m_length + ".");
        }
        Reader reader = new Reader(input, offset);
        List<LuaValue> values = new ArrayList<>();
        while (reader.remaining() > 0 && (limit == 0 || values.size() < limit)) {
            values.add(reader.read());
        }
        if (withOffset) {
            values.add(0, LuaValue.valueOf(reader.remaining() > 0 ? reader.position - input.m_offset : -1));
        }
        return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
    }

    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int position;

        Reader(LuaString input, int offset) {
            this.bytes = input.m_bytes;
            this.end = input.m_offset + input.m_length;
            this.position = input.m_offset + offset;
        }

        int remaining() {
            return end - position;
        }

        private long big(int count) {
            need(count);
            long value = 0;
            for (int i = 0; i < count; i++) {
                value = (value << 8) | (bytes[position++] & 0xff);
            }
            return value;
        }

        private void need(int count) {
            if (end - position < count) {
                throw new LuaError("Missing bytes in input.");
            }
        }

        LuaValue read() {
            need(1);
            int type = bytes[position++] & 0xff;
            if (type <= 0x7f) {
                return LuaValue.valueOf(type);
            }
            if (type >= 0xe0) {
                return LuaValue.valueOf((byte) type);
            }
            if ((type & 0xe0) == 0xa0) {
                return string(type & 0x1f);
            }
            if ((type & 0xf0) == 0x90) {
                return array(type & 0x0f);
            }
            if ((type & 0xf0) == 0x80) {
                return map(type & 0x0f);
            }
            switch (type) {
                case 0xc0: return LuaValue.NIL;
                case 0xc2: return LuaValue.FALSE;
                case 0xc3: return LuaValue.TRUE;
                case 0xcc: return LuaValue.valueOf((double) big(1));
                case 0xcd: return LuaValue.valueOf((double) big(2));
                case 0xce: return LuaValue.valueOf((double) big(4));
                case 0xcf: {
                    long value = big(8);
                    return LuaValue.valueOf(value >= 0 ? (double) value : (double) (value >>> 1) * 2.0 + (value & 1));
                }
                case 0xd0: return LuaValue.valueOf((double) (byte) big(1));
                case 0xd1: return LuaValue.valueOf((double) (short) big(2));
                case 0xd2: return LuaValue.valueOf((double) (int) big(4));
                case 0xd3: return LuaValue.valueOf((double) big(8));
                case 0xca: return LuaValue.valueOf((double) Float.intBitsToFloat((int) big(4)));
                case 0xcb: return LuaValue.valueOf(Double.longBitsToDouble(big(8)));
                case 0xd9, 0xc4: return string((int) big(1));
                case 0xda, 0xc5: return string((int) big(2));
                case 0xdb, 0xc6: return string(length(big(4)));
                case 0xdc: return array((int) big(2));
                case 0xdd: return array(length(big(4)));
                case 0xde: return map((int) big(2));
                case 0xdf: return map(length(big(4)));
                default: throw new LuaError("Bad data format in input.");
            }
        }

        private static int length(long value) {
            if (value > Integer.MAX_VALUE) {
                throw new LuaError("Missing bytes in input.");
            }
            return (int) value;
        }

        private LuaValue string(int length) {
            need(length);
            LuaString value = LuaString.valueOf(bytes, position, length);
            position += length;
            return value;
        }

        private LuaValue array(int count) {
            LuaTable table = new LuaTable();
            for (int i = 1; i <= count; i++) {
                table.rawset(i, read());
            }
            return table;
        }

        private LuaValue map(int count) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < count; i++) {
                LuaValue key = read();
                LuaValue value = read();
                if (!key.isnil()) {
                    table.rawset(key, value);
                }
            }
            return table;
        }
    }
}
