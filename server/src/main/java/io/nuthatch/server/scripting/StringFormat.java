package io.nuthatch.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;

/**
 * Lua 5.1's string.format, replacing LuaJ's, which ignores the width and precision of %f and
 * prints %g as Java does. Each conversion is C's: flags "-+ #0", a width and a precision of up to
 * two digits, then d i u c o x X e E f g G q s %. Strings are bytes and pass through unchanged.
 */
final class StringFormat extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs arguments) {
        LuaString format = arguments.checkstring(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int argument = 1;
        int i = 0;
        int length = format.m_length;
        byte[] bytes = format.m_bytes;
        int base = format.m_offset;
        while (i < length) {
            byte c = bytes[base + i++];
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (i >= length) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            if (bytes[base + i] == '%') {
                out.write('%');
                i++;
                continue;
            }
            int specStart = i;
            while (i < length && "-+ #0".indexOf(bytes[base + i]) >= 0) {
                i++;
            }
            int digits = 0;
            while (i < length && Character.isDigit(bytes[base + i]) && digits < 2) {
                i++;
                digits++;
            }
            if (i < length && bytes[base + i] == '.') {
                i++;
                digits = 0;
                while (i < length && Character.isDigit(bytes[base + i]) && digits < 2) {
                    i++;
                    digits++;
                }
            }
            if (i >= length) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            if (Character.isDigit(bytes[base + i])) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            String spec = new String(bytes, base + specStart, i - specStart, java.nio.charset.StandardCharsets.ISO_8859_1);
            char conversion = (char) bytes[base + i++];
            argument++;
            switch (conversion) {
                case 'd', 'i' -> out.writeBytes(latin1(String.format("%" + spec + "d", (long) number(arguments, argument))));
                case 'u' -> out.writeBytes(latin1(String.format("%" + spec + "d", (long) number(arguments, argument))));
                case 'c' -> out.write((int) number(arguments, argument));
                case 'o' -> out.writeBytes(latin1(String.format("%" + spec + "o", (long) number(arguments, argument))));
                case 'x', 'X' -> out.writeBytes(latin1(String.format("%" + spec + conversion, (long) number(arguments, argument))));
                case 'e', 'E', 'f' -> out.writeBytes(latin1(fixed(spec, conversion, number(arguments, argument))));
                case 'g', 'G' -> out.writeBytes(latin1(general(spec, conversion, number(arguments, argument))));
                case 'q' -> quoted(arguments.checkstring(argument), out);
                case 's' -> {
                    LuaValue value = arguments.arg(argument);
                    if (argument > arguments.narg()) {
                        arguments.checkstring(argument);
                    }
                    LuaString text = value.type() == LuaValue.TNUMBER
                            ? LuaValue.valueOf(CNumberFormat.g(value.todouble(), 14)) : value.tostring().checkstring();
                    if (spec.isEmpty()) {
                        out.write(text.m_bytes, text.m_offset, text.m_length);
                    } else {
                        out.writeBytes(latin1(String.format("%" + spec + "s", LuaSandbox.text(text))));
                    }
                }
                default -> throw new LuaError("invalid option '%" + conversion + "' to 'format'");
            }
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    /** A numeric argument, or Lua 5.1's error naming it. A string of digits converts, as in Lua. */
    private static double number(Varargs arguments, int index) {
        LuaValue value = arguments.arg(index);
        if (value.type() == LuaValue.TNUMBER || (value.type() == LuaValue.TSTRING && value.isnumber())) {
            return value.todouble();
        }
        String got = index > arguments.narg() ? "no value" : value.typename();
        throw new LuaError("bad argument #" + index + " to 'format' (number expected, got " + got + ")");
    }

    private static String fixed(String spec, char conversion, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            String text = CNumberFormat.g(value, 1);
            return pad(spec, Character.isUpperCase(conversion) ? text.toUpperCase() : text);
        }
        return String.format("%" + spec + conversion, value);
    }

    /** %g as C prints it: the width and flags applied to {@link CNumberFormat}'s digits. */
    private static String general(String spec, char conversion, double value) {
        int dot = spec.indexOf('.');
        int precision = dot < 0 ? 6 : (dot + 1 == spec.length() ? 0 : Integer.parseInt(spec.substring(dot + 1)));
        String text = CNumberFormat.g(value, Math.max(1, precision));
        if (spec.contains("+") && value >= 0) {
            text = "+" + text;
        } else if (spec.contains(" ") && value >= 0) {
            text = " " + text;
        }
        if (conversion == 'G') {
            text = text.toUpperCase();
        }
        return pad(dot < 0 ? spec : spec.substring(0, dot), text);
    }

    private static String pad(String spec, String text) {
        String widthDigits = spec.replaceAll("[^0-9]", "");
        boolean zeroFlag = spec.replaceAll("[1-9].*", "").contains("0");
        int width = widthDigits.isEmpty() ? 0 : Integer.parseInt(widthDigits.replaceFirst("^0+(?=.)", ""));
        if (text.length() >= width) {
            return text;
        }
        String fill = (zeroFlag && !spec.contains("-") ? "0" : " ").repeat(width - text.length());
        if (spec.contains("-")) {
            return text + fill;
        }
        if (fill.startsWith("0") && (text.startsWith("-") || text.startsWith("+"))) {
            return text.charAt(0) + fill + text.substring(1);
        }
        return fill + text;
    }

    private static void quoted(LuaString text, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < text.m_length; i++) {
            int c = text.m_bytes[text.m_offset + i] & 0xff;
            switch (c) {
                case '"', '\\', '\n' -> {
                    out.write('\\');
                    out.write(c);
                }
                case '\r' -> out.writeBytes(latin1("\\r"));
                case 0 -> out.writeBytes(latin1("\\000"));
                default -> out.write(c);
            }
        }
        out.write('"');
    }

    private static byte[] latin1(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
