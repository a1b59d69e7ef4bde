package io.nuthatch.server.command;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds a command by the bytes of its name, ignoring ASCII case, without making a String: an open
 * addressing table, immutable once built, hashed over the lower-cased bytes.
 */
final class CommandNameIndex {
    static final CommandNameIndex EMPTY = new CommandNameIndex(Map.of());

    private final byte[][] names;
    private final CommandSpec[] specs;
    private final int mask;

    /** Indexes the specs under their own lookup names. */
    CommandNameIndex(Collection<CommandSpec> commands) {
        this(toMap(commands));
    }

    /** Indexes the specs under the given names (which differ from theirs after rename-command). */
    CommandNameIndex(Map<String, CommandSpec> commandsByName) {
        int capacity = 8;
        while (capacity < commandsByName.size() * 4) {
            capacity <<= 1;
        }
        names = new byte[capacity][];
        specs = new CommandSpec[capacity];
        mask = capacity - 1;
        for (Map.Entry<String, CommandSpec> entry : commandsByName.entrySet()) {
            byte[] name = entry.getKey().getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < name.length; i++) {
                name[i] = (byte) lowerCase(name[i]);
            }
            int slot = hash(name, 0, name.length) & mask;
            while (names[slot] != null) {
                slot = (slot + 1) & mask;
            }
            names[slot] = name;
            specs[slot] = entry.getValue();
        }
    }

    private static Map<String, CommandSpec> toMap(Collection<CommandSpec> commands) {
        Map<String, CommandSpec> byName = new LinkedHashMap<>();
        for (CommandSpec command : commands) {
            byName.put(new String(command.lookupName(), StandardCharsets.ISO_8859_1), command);
        }
        return byName;
    }

    CommandSpec find(byte[] name, int offset, int length) {
        int slot = hash(name, offset, length) & mask;
        while (true) {
            byte[] candidate = names[slot];
            if (candidate == null) {
                return null;
            }
            if (equalsIgnoreCase(candidate, name, offset, length)) {
                return specs[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    private static int hash(byte[] bytes, int offset, int length) {
        int h = 0x811c9dc5;
        for (int i = offset; i < offset + length; i++) {
            h ^= lowerCase(bytes[i]);
            h *= 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static boolean equalsIgnoreCase(byte[] lowerCaseName, byte[] bytes, int offset, int length) {
        if (lowerCaseName.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (lowerCaseName[i] != lowerCase(bytes[offset + i])) {
                return false;
            }
        }
        return true;
    }

    private static int lowerCase(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }
}
