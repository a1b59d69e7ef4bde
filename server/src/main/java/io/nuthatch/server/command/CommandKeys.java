package io.nuthatch.server.command;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.server.ServerCommands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds which arguments of a command are keys, and how the command uses them (COMMAND GETKEYS and
 * GETKEYSANDFLAGS; later key extraction for scripts and cluster), the way Redis 7.0 does.
 *
 * <p>The key specs of the command catalog say where keys are: a begin-search step (a fixed index, or
 * the argument after a keyword, searched forwards or backwards) and a find-keys step (a range, or a
 * count read from an argument). Redis trusts them unless they cannot be trusted for these arguments:
 * a spec of unknown shape (SORT), flags that depend on the arguments (SET ... GET, BITFIELD), a spec
 * marked incomplete that matched (MIGRATE ... KEYS), or arguments the spec cannot parse (a bad numkeys). Then
 * the command's own rule decides; those rules are here too, with the same results as Redis's, and
 * most of them give no flags, as Redis's do.
 */
public final class CommandKeys {

    /** A key: its argument index and the key spec flags that describe its use ("RW", "access"...). */
    public record KeyReference(int position, List<String> flags) {
    }

    private static final List<String> RO_ACCESS = List.of("RO", "access");
    private static final List<String> RW_ACCESS_UPDATE = List.of("RW", "access", "update");
    private static final List<String> RW_ACCESS_DELETE = List.of("RW", "access", "delete");
    private static final List<String> OW_UPDATE = List.of("OW", "update");
    private static final List<String> NO_FLAGS = List.of();

    private final RequestArguments arguments;
    private final int base;
    private final int count;

    /** The command's arguments are those of {@code arguments} from index {@code base} on. */
    private CommandKeys(RequestArguments arguments, int base) {
        this.arguments = arguments;
        this.base = base;
        this.count = arguments.count() - base;
    }

    /** Whether the command takes keys at all (COMMAND GETKEYS: "The command has no key arguments"). */
    public static boolean hasKeys(CommandSpec command) {
        return hasOwnRule(command.name()) || hasKeySpec(command, "not_key", false);
    }

    /**
     * The keys of a command line: {@code arguments} from {@code base} on, whose first is the
     * command's name. Empty when the arguments name no key or do not parse.
     */
    public static List<KeyReference> find(CommandSpec command, RequestArguments arguments, int base) {
        CommandKeys line = new CommandKeys(arguments, base);
        boolean trustSpecs = hasKeySpec(command, "not_key", false) && !hasKeySpec(command, "variable_flags", true);
        if (trustSpecs) {
            List<KeyReference> keys = line.fromSpecs(command);
            if (keys != null) {
                return keys;
            }
        }
        List<KeyReference> keys = line.byOwnRule(command);
        return keys == null ? List.of() : keys;
    }

    /** Whether some key spec has (or, with {@code present} false, lacks) the flag. */
    @SuppressWarnings("unchecked")
    private static boolean hasKeySpec(CommandSpec command, String flag, boolean present) {
        for (Map<String, Object> spec : keySpecs(command)) {
            if (((List<Object>) spec.get("flags")).contains(flag) == present) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> keySpecs(CommandSpec command) {
        Object specs = command.catalogEntry().get("key_specs");
        return specs == null ? List.of() : (List<Map<String, Object>>) (List<?>) specs;
    }

    // ---------------------------------------------------------------- key specs

    /** The keys the specs give, or null when the arguments do not fit them. */
    @SuppressWarnings("unchecked")
    private List<KeyReference> fromSpecs(CommandSpec command) {
        List<KeyReference> keys = new ArrayList<>();
        for (Map<String, Object> spec : keySpecs(command)) {
            List<String> flags = (List<String>) (List<?>) spec.get("flags");
            if (flags.contains("not_key")) {
                continue;
            }
            Map<String, Object> begin = (Map<String, Object>) spec.get("begin_search");
            Map<String, Object> beginSpec = (Map<String, Object>) begin.get("spec");
            int first;
            switch ((String) begin.get("type")) {
                case "index" -> first = number(beginSpec, "index");
                case "keyword" -> {
                    first = afterKeyword((String) beginSpec.get("keyword"), number(beginSpec, "startfrom"));
                    if (first == 0) {
                        continue;
                    }
                }
                default -> {
                    return null;
                }
            }
            Map<String, Object> find = (Map<String, Object>) spec.get("find_keys");
            Map<String, Object> findSpec = (Map<String, Object>) find.get("spec");
            int last;
            int step;
            switch ((String) find.get("type")) {
                case "range" -> {
                    step = number(findSpec, "keystep");
                    int lastKey = number(findSpec, "lastkey");
                    int limit = number(findSpec, "limit");
                    if (lastKey >= 0) {
                        last = first + lastKey;
                    } else if (limit == 0) {
                        last = count + lastKey;
                    } else {
                        // A range to the end, of which 1/limit are keys (XREAD's keys and ids).
                        last = first + ((count - first) / limit + lastKey);
                    }
                }
                case "keynum" -> {
                    step = number(findSpec, "keystep");
                    int countIndex = number(findSpec, "keynumidx");
                    if (countIndex >= count - first) {
                        continue;
                    }
                    long keyCount = strictInteger(first + countIndex);
                    if (keyCount < 0) {
                        return null;
                    }
                    first += number(findSpec, "firstkey");
                    last = (int) (first + keyCount - 1);
                }
                default -> {
                    return null;
                }
            }
            if (last >= count || last < first || first >= count) {
                return null;
            }
            for (int i = first; i <= last; i += step) {
                keys.add(new KeyReference(i, flags));
            }
            if (flags.contains("incomplete")) {
                // Found, but maybe not all of them (MIGRATE ... KEYS): the command's own rule decides.
                return null;
            }
        }
        return keys;
    }

    /**
     * The index after the keyword, searched from {@code startFrom} towards the end (or, when it is
     * negative, from that far before the end towards the start); 0 when absent. As in Redis, the
     * search stops one short of the far end.
     */
    private int afterKeyword(String keyword, int startFrom) {
        int start = startFrom > 0 ? startFrom : count + startFrom;
        int end = startFrom > 0 ? count - 1 : 0;
        int direction = start <= end ? 1 : -1;
        for (int i = start; i != end && i < count && i >= 1; i += direction) {
            if (is(i, keyword)) {
                return i + 1;
            }
        }
        return 0;
    }

    private static int number(Map<String, Object> spec, String field) {
        return ((Long) spec.get(field)).intValue();
    }

    /** An argument as a canonical integer (Redis's string2ll), or -1 when it is not one. */
    private long strictInteger(int index) {
        try {
            return io.nuthatch.server.type.NumericStrings.parseLong(arguments.array(base + index),
                    arguments.offset(base + index), arguments.length(base + index));
        } catch (NumberFormatException notAnInteger) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- commands' own rules

    private static boolean hasOwnRule(String name) {
        return switch (name) {
            case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "zunion", "zinter", "zdiff",
                 "zintercard", "sintercard", "lmpop", "zmpop", "blmpop", "bzmpop", "zunionstore", "zinterstore",
                 "zdiffstore", "set", "bitfield", "sort", "sort_ro", "migrate", "georadius", "georadiusbymember" -> true;
            default -> false;
        };
    }

    /** The command's own rule, or null when it has none. */
    private List<KeyReference> byOwnRule(CommandSpec command) {
        return switch (command.name()) {
            case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro" -> counted(0, 2, 3);
            case "zunion", "zinter", "zdiff", "zintercard", "sintercard", "lmpop", "zmpop" -> counted(0, 1, 2);
            case "blmpop", "bzmpop" -> counted(0, 2, 3);
            case "zunionstore", "zinterstore", "zdiffstore" -> counted(1, 2, 3);
            case "set" -> List.of(new KeyReference(1, anyFrom(3, "GET") ? RW_ACCESS_UPDATE : OW_UPDATE));
            case "bitfield" -> List.of(new KeyReference(1, bitfieldReadOnly() ? RO_ACCESS : RW_ACCESS_UPDATE));
            case "sort" -> sortKeys();
            case "sort_ro" -> List.of(new KeyReference(1, RO_ACCESS));
            case "migrate" -> migrateKeys();
            case "georadius", "georadiusbymember" -> geoRadiusKeys();
            default -> null;
        };
    }

    /**
     * Keys counted by a numkeys argument, read leniently (C's atoi) and checked against the
     * arguments there are; then the destination key, if the command has one. No flags.
     */
    private List<KeyReference> counted(int destinationIndex, int countIndex, int firstKey) {
        long keyCount = ServerCommands.leadingInteger(text(countIndex));
        if (keyCount < 1 || keyCount > count - firstKey) {
            return List.of();
        }
        List<KeyReference> keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            keys.add(new KeyReference(firstKey + i, NO_FLAGS));
        }
        if (destinationIndex > 0) {
            keys.add(new KeyReference(destinationIndex, NO_FLAGS));
        }
        return keys;
    }

    private boolean anyFrom(int from, String keyword) {
        for (int i = from; i < count; i++) {
            if (is(i, keyword)) {
                return true;
            }
        }
        return false;
    }

    /** BITFIELD only reads when it has nothing but well-formed GET and OVERFLOW operations. */
    private boolean bitfieldReadOnly() {
        for (int i = 2; i < count; i++) {
            int more = count - i - 1;
            if (is(i, "GET") && more >= 2) {
                i += 2;
            } else if (is(i, "OVERFLOW") && more >= 1) {
                i += 1;
            } else {
                return false;
            }
        }
        return true;
    }

    /** SORT key [BY p] [LIMIT o c] [GET p ...] [STORE dest]: the last STORE names the destination. */
    private List<KeyReference> sortKeys() {
        int destination = -1;
        for (int i = 2; i < count; i++) {
            if (is(i, "LIMIT")) {
                i += 2;
            } else if (is(i, "GET") || is(i, "BY")) {
                i += 1;
            } else if (is(i, "STORE") && i + 1 < count) {
                destination = i + 1;
            }
        }
        List<KeyReference> keys = new ArrayList<>(2);
        keys.add(new KeyReference(1, RO_ACCESS));
        if (destination > 0) {
            keys.add(new KeyReference(destination, OW_UPDATE));
        }
        return keys;
    }

    /** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH p | AUTH2 u p] [KEYS key ...] */
    private List<KeyReference> migrateKeys() {
        int first = 3;
        int keyCount = 1;
        for (int i = 6; i < count; i++) {
            if (is(i, "KEYS")) {
                if (arguments.length(base + 3) > 0) {
                    return List.of();
                }
                first = i + 1;
                keyCount = count - first;
                break;
            } else if (is(i, "AUTH")) {
                i += 1;
            } else if (is(i, "AUTH2")) {
                i += 2;
            }
        }
        List<KeyReference> keys = new ArrayList<>(keyCount);
        for (int i = 0; i < keyCount; i++) {
            keys.add(new KeyReference(first + i, RW_ACCESS_DELETE));
        }
        return keys;
    }

    /** GEORADIUS key ... [STORE dest | STOREDIST dest]: the last one names the destination. */
    private List<KeyReference> geoRadiusKeys() {
        int destination = -1;
        for (int i = 5; i < count; i++) {
            if ((is(i, "STORE") || is(i, "STOREDIST")) && i + 1 < count) {
                destination = i + 1;
                i++;
            }
        }
        List<KeyReference> keys = new ArrayList<>(2);
        keys.add(new KeyReference(1, RO_ACCESS));
        if (destination > 0) {
            keys.add(new KeyReference(destination, OW_UPDATE));
        }
        return keys;
    }

    private boolean is(int index, String keyword) {
        return text(index).equalsIgnoreCase(keyword);
    }

    private String text(int index) {
        return arguments.toLatin1String(base + index);
    }
}
