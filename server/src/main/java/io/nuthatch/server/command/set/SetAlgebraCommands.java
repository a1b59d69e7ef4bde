package io.nuthatch.server.command.set;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.SetValue;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Intersections, unions and differences of sets: SINTER, SINTERCARD, SINTERSTORE, SUNION,
 * SUNIONSTORE, SDIFF, SDIFFSTORE.
 *
 * <p>They follow Redis 7.0's algorithms, because the algorithm decides the order of the reply:
 * <ul>
 * <li>Every key's type is checked before anything is computed; a missing key is an empty set.</li>
 * <li>An intersection walks the smallest set (the sets sorted by size, stably) and keeps the members
 *     every other set holds; its reply comes in that set's order (ascending for an intset).</li>
 * <li>A union or a difference builds a new set, starting as an intset as Redis's does, and replies
 *     in its order: ascending while the result is an intset. A difference walks the first set and
 *     checks the others (largest first) when that is cheaper than copying the first set and
 *     removing every member of the others; which one runs changes only the work done.</li>
 * <li>The STORE forms replace the destination (dropping its expiry), or delete it when the result
 *     is empty, and are propagated as sent.</li>
 * </ul>
 */
public final class SetAlgebraCommands {
    private static final CommandError NUMKEYS_NOT_POSITIVE = new CommandError("ERR numkeys should be greater than 0");
    private static final CommandError TOO_MANY_KEYS =
            new CommandError("ERR Number of keys can't be greater than number of args");
    private static final CommandError NEGATIVE_LIMIT = new CommandError("ERR LIMIT can't be negative");
    private static final byte[] LIMIT = CommandContext.keyword("LIMIT");

    private SetAlgebraCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("sinter", "Returns the members every given set holds.",
                "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets",
                SetAlgebraCommands::sinter);
        table.command("sintercard", "Returns how many members every given set holds, up to a limit.",
                "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets",
                SetAlgebraCommands::sintercard);
        table.command("sinterstore", "Stores the members every given set holds in a key.",
                "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets",
                SetAlgebraCommands::sinterstore);
        table.command("sunion", "Returns the members any of the given sets holds.",
                "O(N) where N is the total number of elements in all given sets", SetAlgebraCommands::sunion);
        table.command("sunionstore", "Stores the members any of the given sets holds in a key.",
                "O(N) where N is the total number of elements in all given sets", SetAlgebraCommands::sunionstore);
        table.command("sdiff", "Returns the members of the first set that no other given set holds.",
                "O(N) where N is the total number of elements in all given sets", SetAlgebraCommands::sdiff);
        table.command("sdiffstore", "Stores the members of the first set that no other given set holds in a key.",
                "O(N) where N is the total number of elements in all given sets", SetAlgebraCommands::sdiffstore);
    }

    /** The sets of arguments [from, to), null for missing keys, every type checked first. */
    private static SetValue[] sets(CommandContext c, int from, int to, boolean forWrite) {
        Database database = c.database();
        SetValue[] sets = new SetValue[to - from];
        for (int i = from; i < to; i++) {
            KeyEntry entry = forWrite ? database.lookupWrite(c.arguments(), i) : database.lookupRead(c.arguments(), i);
            sets[i - from] = SetCommands.setOf(entry);
        }
        return sets;
    }

    // ---------------------------------------------------------------- intersection

    static void sinter(CommandContext c) {
        SetValue[] sets = sets(c, 1, c.argumentCount(), false);
        ReplyWriter reply = c.reply();
        if (anyMissing(sets)) {
            reply.setHeader(0);
            return;
        }
        // Replied as the smallest set is walked, in its order, as Redis replies.
        SetValue[] sorted = bySize(sets);
        SetValue smallest = sorted[0];
        int mark = reply.beginDeferred();
        long count = 0;
        for (int position = smallest.first(); position != SetValue.NONE; position = smallest.next(position)) {
            if (inAllOthers(sorted, smallest, position)) {
                SetCommands.replyMember(reply, smallest, position);
                count++;
            }
        }
        reply.endDeferredSet(mark, count);
    }

    static void sinterstore(CommandContext c) {
        SetValue[] sets = sets(c, 2, c.argumentCount(), true);
        SetValue result = anyMissing(sets) ? null : intersection(sets, SetCommands.maxIntsetEntries(c));
        store(c, result, EventNames.SINTERSTORE);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit] */
    static void sintercard(CommandContext c) {
        long keys;
        try {
            keys = c.longArgument(1);
        } catch (CommandError notAnInteger) {
            throw NUMKEYS_NOT_POSITIVE;
        }
        if (keys < 1) {
            throw NUMKEYS_NOT_POSITIVE;
        }
        if (keys > c.argumentCount() - 2) {
            throw TOO_MANY_KEYS;
        }
        int firstOption = 2 + (int) keys;
        long limit = 0;
        for (int i = firstOption; i < c.argumentCount(); i += 2) {
            if (i + 1 < c.argumentCount() && c.isKeyword(i, LIMIT)) {
                try {
                    limit = c.longArgument(i + 1);
                } catch (CommandError notAnInteger) {
                    throw NEGATIVE_LIMIT;
                }
                if (limit < 0) {
                    throw NEGATIVE_LIMIT;
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        SetValue[] sets = sets(c, 2, firstOption, false);
        if (anyMissing(sets)) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer(intersectionSize(sets, limit));
    }

    private static boolean anyMissing(SetValue[] sets) {
        for (SetValue set : sets) {
            if (set == null) {
                return true;
            }
        }
        return false;
    }

    /** The sets ordered smallest first, stably; the intersection walks the first. */
    private static SetValue[] bySize(SetValue[] sets) {
        SetValue[] sorted = sets.clone();
        Arrays.sort(sorted, Comparator.comparingInt(SetValue::size));
        return sorted;
    }

    private static SetValue intersection(SetValue[] sets, long maxIntset) {
        SetValue[] sorted = bySize(sets);
        SetValue smallest = sorted[0];
        SetValue result = SetValue.emptyIntset();
        for (int position = smallest.first(); position != SetValue.NONE; position = smallest.next(position)) {
            if (inAllOthers(sorted, smallest, position)) {
                addMember(result, smallest, position, maxIntset);
            }
        }
        return result;
    }

    private static long intersectionSize(SetValue[] sets, long limit) {
        SetValue[] sorted = bySize(sets);
        SetValue smallest = sorted[0];
        long count = 0;
        for (int position = smallest.first(); position != SetValue.NONE; position = smallest.next(position)) {
            if (inAllOthers(sorted, smallest, position)) {
                count++;
                if (limit > 0 && count >= limit) {
                    break;
                }
            }
        }
        return count;
    }

    private static boolean inAllOthers(SetValue[] sets, SetValue walked, int position) {
        for (int j = 1; j < sets.length; j++) {
            // The same key given twice is the same set: every member of it is in it.
            if (sets[j] != walked && !holds(sets[j], walked, position)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code set} holds the member of {@code other} at {@code position}. */
    private static boolean holds(SetValue set, SetValue other, int position) {
        return other.isIntset() ? set.containsInteger(other.integerAt(position)) : set.contains(other.memberAt(position));
    }

    private static void addMember(SetValue result, SetValue from, int position, long maxIntset) {
        if (from.isIntset()) {
            result.addInteger(from.integerAt(position), maxIntset);
        } else {
            result.add(from.memberAt(position), maxIntset);
        }
    }

    private static void removeMember(SetValue result, SetValue from, int position) {
        if (from.isIntset()) {
            byte[] text = NumericStrings.toBytes(from.integerAt(position));
            result.remove(text);
        } else {
            result.remove(from.memberAt(position));
        }
    }

    // ---------------------------------------------------------------- union and difference

    static void sunion(CommandContext c) {
        replySet(c.reply(), union(sets(c, 1, c.argumentCount(), false), SetCommands.maxIntsetEntries(c)));
    }

    static void sunionstore(CommandContext c) {
        store(c, union(sets(c, 2, c.argumentCount(), true), SetCommands.maxIntsetEntries(c)), EventNames.SUNIONSTORE);
    }

    static void sdiff(CommandContext c) {
        replySet(c.reply(), difference(sets(c, 1, c.argumentCount(), false), SetCommands.maxIntsetEntries(c)));
    }

    static void sdiffstore(CommandContext c) {
        store(c, difference(sets(c, 2, c.argumentCount(), true), SetCommands.maxIntsetEntries(c)),
                EventNames.SDIFFSTORE);
    }

    private static SetValue union(SetValue[] sets, long maxIntset) {
        SetValue result = SetValue.emptyIntset();
        for (SetValue set : sets) {
            if (set == null) {
                continue;
            }
            for (int position = set.first(); position != SetValue.NONE; position = set.next(position)) {
                addMember(result, set, position, maxIntset);
            }
        }
        return result;
    }

    /**
     * Redis's two algorithms, chosen by its estimate of their work: walking the first set and
     * looking each member up in the others (half of size times the number of sets), or copying
     * the first set and removing the others' members (the sum of the sizes).
     */
    private static SetValue difference(SetValue[] sets, long maxIntset) {
        SetValue result = SetValue.emptyIntset();
        SetValue first = sets[0];
        if (first == null) {
            return result;
        }
        for (int j = 1; j < sets.length; j++) {
            if (sets[j] == first) {
                return result;
            }
        }
        long walkWork = 0;
        long removeWork = 0;
        for (SetValue set : sets) {
            if (set != null) {
                walkWork += first.size();
                removeWork += set.size();
            }
        }
        walkWork /= 2;
        if (walkWork <= removeWork) {
            SetValue[] others = Arrays.copyOfRange(sets, 1, sets.length);
            Arrays.sort(others, Comparator.comparingInt((SetValue set) -> set == null ? 0 : set.size()).reversed());
            for (int position = first.first(); position != SetValue.NONE; position = first.next(position)) {
                boolean elsewhere = false;
                for (SetValue other : others) {
                    if (other != null && holds(other, first, position)) {
                        elsewhere = true;
                        break;
                    }
                }
                if (!elsewhere) {
                    addMember(result, first, position, maxIntset);
                }
            }
            return result;
        }
        for (int position = first.first(); position != SetValue.NONE; position = first.next(position)) {
            addMember(result, first, position, maxIntset);
        }
        for (int j = 1; j < sets.length && !result.isEmpty(); j++) {
            SetValue other = sets[j];
            if (other == null) {
                continue;
            }
            for (int position = other.first(); position != SetValue.NONE; position = other.next(position)) {
                removeMember(result, other, position);
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- replies and stores

    private static void replySet(ReplyWriter reply, SetValue result) {
        reply.setHeader(result.size());
        for (int position = result.first(); position != SetValue.NONE; position = result.next(position)) {
            SetCommands.replyMember(reply, result, position);
        }
    }

    /**
     * Puts the result in the destination (argument 1) in place of whatever it held, expiry
     * included, or deletes the destination when the result is empty or null (no result: a source
     * was missing); replies the result's size.
     */
    private static void store(CommandContext c, SetValue result, byte[] event) {
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        if (result == null || result.isEmpty()) {
            KeyEntry destination = database.lookupWrite(arguments, 1);
            if (destination != null) {
                database.delete(destination);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, 1);
            }
            c.reply().integer(0);
            return;
        }
        database.set(c.copyArgument(1), result, false);
        c.notifyKeyspaceEvent(KeyspaceEvents.SET, event, 1);
        c.reply().integer(result.size());
    }
}
