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
 * The {@code struct} library Redis bundles (Roberto Ierusalimschy's struct): pack, unpack and size
 * of binary records described by a format, as it runs on x86-64: little endian unless '>' says
 * otherwise, no alignment unless '!' asks for it, 'l' and 'L' 8 bytes, 'i'/'I' 4 unless a size
 * follows, 's' zero-terminated, 'c' a fixed count (c0 in unpack: the length read just before).
 */
final class StructLibrary {
    private StructLibrary() {
    }

    static LuaTable create() {
        LuaTable library = new LuaTable();
        library.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                return pack(arguments);
            }
        });
        library.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                return unpack(arguments);
            }
        });
        library.rawset("size", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs arguments) {
                return LuaValue.valueOf(size(arguments.checkjstring(1)));
            }
        });
        return library;
    }

    /** Reads a format one option at a time. */
    private static final class Format {
        final String text;
        int position;
        boolean little = true;
        int maxAlign = 1;

        Format(String text) {
            this.text = text;
        }

        boolean more() {
            return position < text.length();
        }

        char next() {
            return text.charAt(position++);
        }

        int number(int fallback) {
            if (!more() || !Character.isDigit(text.charAt(position))) {
                return fallback;
            }
            int value = 0;
            while (more() && Character.isDigit(text.charAt(position))) {
                value = value * 10 + (text.charAt(position++) - '0');
            }
            return value;
        }

        /** The size of option c, or -1 for options without data; consumes a size that follows. */
        int optionSize(char c) {
            switch (c) {
                case 'B', 'b', 'x': return 1;
                case 'H', 'h': return 2;
                case 'L', 'l', 'T': return 8;
                case 'f': return 4;
                case 'd': return 8;
                case 'c': return number(1);
                case 'i', 'I': {
                    int size = number(4);
                    if (size > 8) {
                        throw new LuaError("integral size " + size + " is larger than limit of 8");
                    }
                    return size;
                }
                default: return 0;
            }
        }

        /** Handles the options that set state; true if c was one of them. */
        boolean control(char c) {
            switch (c) {
                case ' ': return true;
                case '>': little = false; return true;
                case '<': little = true; return true;
                case '!': maxAlign = number(8); return true;
                default: return false;
            }
        }

        int padding(int offset, int size, char c) {
            if (c == 'c' || c == 's' || c == 'x' || maxAlign <= 1) {
                return 0;
            }
            int align = Math.min(size, maxAlign);
            if ((align & (align - 1)) != 0) {
                throw new LuaError("alignment must be power of 2");
            }
            return (align - (offset & (align - 1))) & (align - 1);
        }
    }

    private static Varargs pack(Varargs arguments) {
        Format format = new Format(arguments.checkjstring(1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int argument = 2;
        while (format.more()) {
            char c = format.next();
            if (format.control(c)) {
                continue;
            }
            int size = format.optionSize(c);
            for (int pad = format.padding(out.size(), size, c); pad > 0; pad--) {
                out.write(0);
            }
            switch (c) {
                case 'x' -> out.write(0);
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double number = arguments.checkdouble(argument++);
                    writeInteger((long) number, size, format.little, out);
                }
                case 'f' -> writeInteger(Float.floatToRawIntBits((float) arguments.checkdouble(argument++)) & 0xffffffffL,
                        4, format.little, out);
                case 'd' -> writeInteger(Double.doubleToRawLongBits(arguments.checkdouble(argument++)), 8,
                        format.little, out);
                case 'c', 's' -> {
                    LuaString string = arguments.checkstring(argument++);
                    int length = string.m_length;
                    if (c == 'c') {
                        if (size == 0) {
                            size = length;
                        }
                        if (length < size) {
                            throw new LuaError("bad argument #" + (argument - 1) + " to 'pack' (string too short)");
                        }
                        out.write(string.m_bytes, string.m_offset, size);
                    } else {
                        out.write(string.m_bytes, string.m_offset, length);
                        out.write(0);
                    }
                }
                default -> throw new LuaError("invalid format option '" + c + "'");
            }
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static void writeInteger(long value, int size, boolean little, ByteArrayOutputStream out) {
        for (int i = 0; i < size; i++) {
            int shift = (little ? i : size - 1 - i) * 8;
            out.write(shift < 64 ? (int) (value >>> shift) & 0xff : (value < 0 ? 0xff : 0));
        }
    }

    private static Varargs unpack(Varargs arguments) {
        Format format = new Format(arguments.checkjstring(1));
        LuaString data = arguments.checkstring(2);
        int position = arguments.optint(3, 1) - 1;
        if (position < 0 || position > data.m_length) {
            throw new LuaError("bad argument #3 to 'unpack' (offset out of range)");
        }
        List<LuaValue> values = new ArrayList<>();
        double lastNumber = 0;
        while (format.more()) {
            char c = format.next();
            if (format.control(c)) {
                continue;
            }
            int size = format.optionSize(c);
            position += format.padding(position, size, c);
            switch (c) {
                case 'x' -> position += 1;
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    need(data, position, size);
                    long raw = readInteger(data, position, size, format.little);
                    boolean signed = Character.isLowerCase(c);
                    if (signed && size < 8) {
                        int unused = 64 - size * 8;
                        raw = (raw << unused) >> unused;
                    }
                    lastNumber = (!signed && raw < 0) ? (double) (raw >>> 1) * 2.0 + (raw & 1) : (double) raw;
                    values.add(LuaValue.valueOf(lastNumber));
                    position += size;
                }
                case 'f' -> {
                    need(data, position, 4);
                    values.add(LuaValue.valueOf((double) Float.intBitsToFloat((int) readInteger(data, position, 4, format.little))));
                    position += 4;
                }
                case 'd' -> {
                    need(data, position, 8);
                    values.add(LuaValue.valueOf(Double.longBitsToDouble(readInteger(data, position, 8, format.little))));
                    position += 8;
                }
                case 'c' -> {
                    if (size == 0) {
                        if (values.isEmpty() || !values.get(values.size() - 1).isnumber()) {
                            throw new LuaError("format 'c0' needs a previous size");
                        }
                        size = (int) lastNumber;
                        values.remove(values.size() - 1);
                    }
                    need(data, position, size);
                    values.add(LuaString.valueOf(data.m_bytes, data.m_offset + position, size));
                    position += size;
                }
                case 's' -> {
                    int end = position;
                    while (end < data.m_length && data.m_bytes[data.m_offset + end] != 0) {
                        end++;
                    }
                    if (end >= data.m_length) {
                        throw new LuaError("unfinished string in data");
                    }
                    values.add(LuaString.valueOf(data.m_bytes, data.m_offset + position, end - position));
                    position = end + 1;
                }
                default -> throw new LuaError("invalid format option '" + c + "'");
            }
        }
        values.add(LuaValue.valueOf(position + 1));
        return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
    }

    private static void need(LuaString data, int position, int size) {
        if (position + size > data.m_length) {
            throw new LuaError("data string too short");
        }
    }

    private static long readInteger(LuaString data, int position, int size, boolean little) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            int index = little ? size - 1 - i : i;
            value = (value << 8) | (data.m_bytes[data.m_offset + position + index] & 0xff);
        }
        return value;
    }

    private static int size(String text) {
        Format format = new Format(text);
        int total = 0;
        while (format.more()) {
            char c = format.next();
            if (format.control(c)) {
                continue;
            }
            int size = format.optionSize(c);
            total += format.padding(total, size, c);
            if (c == 's' || (c == 'c' && size == 0)) {
                throw new LuaError("options 'c0' - 's' have undefined sizes");
            }
            total += size;
        }
        return total;
    }
}
