package io.nuthatch.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code bit} library Redis bundles (LuaBitOp): operations on 32-bit integers, results as
 * signed 32-bit numbers. A number becomes 32 bits as LuaBitOp makes it: rounded to the nearest
 * integer (ties to even), then taken modulo 2^32.
 */
final class BitLibrary {
    private BitLibrary() {
    }

    private enum Operation { TOBIT, TOHEX, BNOT, BAND, BOR, BXOR, LSHIFT, RSHIFT, ARSHIFT, ROL, ROR, BSWAP }

    static LuaTable create() {
        LuaTable bit = new LuaTable();
        for (Operation operation : Operation.values()) {
            bit.rawset(operation.name().toLowerCase(java.util.Locale.ROOT), new BitFunction(operation));
        }
        return bit;
    }

    static int toBit(LuaValue value, int position, String name) {
        if (!value.isnumber()) {
            throw new LuaError("bad argument #" + position + " to '" + name + "' (number expected, got "
                    + (value.isnil() ? "no value" : value.typename()) + ")");
        }
        double number = value.todouble();
        return (int) (long) Math.rint(number);
    }

    private static final class BitFunction extends VarArgFunction {
        private final Operation operation;
        private final String name;

        BitFunction(Operation operation) {
            this.operation = operation;
            this.name = operation.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public Varargs invoke(Varargs arguments) {
            int first = toBit(arguments.arg1(), 1, name);
            switch (operation) {
                case TOBIT:
                    return LuaValue.valueOf(first);
                case TOHEX: {
                    int digits = arguments.isnoneornil(2) ? 8 : toBit(arguments.arg(2), 2, name);
                    boolean upper = digits < 0;
                    digits = Math.min(8, Math.abs(digits));
                    String hex = String.format(upper ? "%08X" : "%08x", first);
                    return LuaValue.valueOf(hex.substring(8 - digits));
                }
                case BNOT:
                    return LuaValue.valueOf(~first);
                case BAND:
                case BOR:
                case BXOR: {
                    int result = first;
                    for (int i = 2; i <= arguments.narg(); i++) {
                        int next = toBit(arguments.arg(i), i, name);
                        result = switch (operation) {
                            case BAND -> result & next;
                            case BOR -> result | next;
                            default -> result ^ next;
                        };
                    }
                    return LuaValue.valueOf(result);
                }
                case BSWAP:
                    return LuaValue.valueOf(Integer.reverseBytes(first));
                default: {
                    int shift = toBit(arguments.arg(2), 2, name) & 31;
                    int result = switch (operation) {
                        case LSHIFT -> first << shift;
                        case RSHIFT -> first >>> shift;
                        case ARSHIFT -> first >> shift;
                        case ROL -> Integer.rotateLeft(first, shift);
                        default -> Integer.rotateRight(first, shift);
                    };
                    return LuaValue.valueOf(result);
                }
            }
        }
    }
}
