package io.nuthatch.server.command.sort;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.server.type.DoubleStrings;
import io.nuthatch.server.type.ListValue;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.SetValue;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.sortedset.SortedSet;

import java.util.Arrays;
import java.util.Comparator;

/**
 * SORT and SORT_RO: the elements of a list, a set or a sorted set, sorted numerically or as
 * strings, by themselves or by keys their patterns name, a range of them replied (with values
 * their GET patterns name) or stored as a list.
 *
 * <p>The steps are Redis 7.0's, because each decides something a client sees:
 * <ol>
 * <li>The options are read left to right and the first bad one is the error (a syntax error, or a
 *     LIMIT that is not an integer), before the key is even looked up. A BY pattern without
 *     {@code *} means "do not sort", for good, even if another BY follows. SORT_RO knows no STORE.</li>
 * <li>The key must be a list, a set or a sorted set; a missing key sorts as an empty list.</li>
 * <li>A set that is not to be sorted is sorted as strings anyway when the result is stored, so
 *     that what is stored does not depend on the set's layout.</li>
 * <li>A sorted set is converted to its skiplist encoding, for good, as Redis's SORT does to every
 *     sorted set it reads (OBJECT ENCODING shows it); this counts as no change.</li>
 * <li>LIMIT is clamped to the elements there are. A list or sorted set that is not sorted gives the
 *     range of its own order (from the end under DESC); a set gives its own order, whatever DESC
 *     says.</li>
 * <li>The sort is stable (glibc's qsort, a merge sort, is) but for BY a pattern with a LIMIT that
 *     leaves elements out, where Redis sorts only as much as the range needs, with an unstable
 *     algorithm whose order of equal elements a client sees ({@link PartialQuickSort}).</li>
 * <li>Scores are read with strtod (see {@link DoubleStrings#parseLenientInRange}); a missing BY key
 *     scores 0. One score that cannot be read fails the whole command, after the sort, and nothing
 *     is stored.</li>
 * <li>The reply is each element, or for each the values of the GET patterns in order (nil where
 *     one names nothing); STORE stores the same as a list (an empty string for nil), or deletes the
 *     destination when there is nothing to store, and replies the count. It is propagated as sent.</li>
 * </ol>
 * See {@link SortElement#order} for the comparison and {@link SortPattern} for the patterns.
 */
public final class SortCommands {
    private static final byte[] ASC = CommandContext.keyword("ASC");
    private static final byte[] DESC = CommandContext.keyword("DESC");
    private static final byte[] ALPHA = CommandContext.keyword("ALPHA");
    private static final byte[] LIMIT = CommandContext.keyword("LIMIT");
    private static final byte[] STORE = CommandContext.keyword("STORE");
    private static final byte[] BY = CommandContext.keyword("BY");
    private static final byte[] GET = CommandContext.keyword("GET");
    private static final CommandError SCORE_NOT_A_DOUBLE =
            new CommandError("ERR One or more scores can't be converted into double");

    private SortCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("sort", "Sorts the elements of a list, a set or a sorted set, and replies or stores them.",
                "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
                c -> sort(c, false));
        table.command("sort_ro", "Sorts the elements of a list, a set or a sorted set, and replies them.",
                "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
                c -> sort(c, true));
    }

    /** The options of one call, as read. */
    private static final class Options {
        boolean descending;
        boolean alpha;
        boolean dontSort;
        int by = -1;
        int store = -1;
        long limitStart;
        long limitCount = -1;
        final int[] gets;
        int getCount;

        Options(int argumentCount) {
            gets = new int[argumentCount];
        }
    }

    static void sort(CommandContext c, boolean readOnly) {
        Options options = parse(c, readOnly);
        Database database = c.database();
        KeyEntry entry = database.lookupRead(c.arguments(), 1);
        StoredValue value = entry == null ? null : entry.value();
        if (entry != null && !(value instanceof ListValue || value instanceof SetValue || value instanceof SortedSet)) {
            throw Errors.WRONG_TYPE;
        }
        boolean storing = options.store >= 0;
        if (options.dontSort && value instanceof SetValue && storing) {
            options.dontSort = false;
            options.alpha = true;
            options.by = -1;
        }
        if (value instanceof SortedSet sortedSet && sortedSet.isPacked()) {
            database.writableValue(entry);
            sortedSet.unpack();
            database.relaidOut(entry);
        }

        int size = value == null ? 0 : value instanceof ListValue list ? list.size()
                : value instanceof SetValue set ? set.size() : ((SortedSet) value).size();
        long start = Math.max(options.limitStart, 0);
        long end = options.limitCount < 0 ? size - 1 : start + Math.min(options.limitCount, Long.MAX_VALUE - start) - 1;
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        if (end >= size) {
            end = size - 1;
        }

        SortElement[] elements;
        if (options.dontSort && (value instanceof ListValue || value instanceof SortedSet)) {
            // Only the range is read, in the value's own order; the output then starts at 0.
            elements = end >= start ? range(value, (int) start, (int) end, options.descending) : new SortElement[0];
            end -= start;
            start = 0;
        } else {
            elements = all(value, size);
        }

        SortPattern patterns = new SortPattern(database, c.arguments());
        boolean scoreError = false;
        if (!options.dontSort) {
            scoreError = loadScores(elements, options, patterns);
            Comparator<SortElement> order = SortElement.order(options.alpha, options.by >= 0, storing, options.descending);
            if (options.by >= 0 && (start != 0 || end != size - 1)) {
                PartialQuickSort.sort(elements, order, start, end);
            } else {
                Arrays.sort(elements, order);
            }
        }
        if (scoreError) {
            throw SCORE_NOT_A_DOUBLE;
        }
        if (storing) {
            store(c, options, elements, (int) start, (int) end, patterns);
        } else {
            reply(c.reply(), options, elements, (int) start, (int) end, patterns);
        }
    }

    private static Options parse(CommandContext c, boolean readOnly) {
        RequestArguments arguments = c.arguments();
        int count = arguments.count();
        Options options = new Options(count);
        for (int j = 2; j < count; j++) {
            int left = count - j - 1;
            if (c.isKeyword(j, ASC)) {
                options.descending = false;
            } else if (c.isKeyword(j, DESC)) {
                options.descending = true;
            } else if (c.isKeyword(j, ALPHA)) {
                options.alpha = true;
            } else if (c.isKeyword(j, LIMIT) && left >= 2) {
                options.limitStart = c.longArgument(j + 1);
                options.limitCount = c.longArgument(j + 2);
                j += 2;
            } else if (c.isKeyword(j, STORE) && left >= 1 && !readOnly) {
                options.store = ++j;
            } else if (c.isKeyword(j, BY) && left >= 1) {
                options.by = ++j;
                if (!SortPattern.substitutes(arguments, j)) {
                    options.dontSort = true;
                }
            } else if (c.isKeyword(j, GET) && left >= 1) {
                options.gets[options.getCount++] = ++j;
            } else {
                throw Errors.SYNTAX;
            }
        }
        return options;
    }

    /** Ranks {@code start} to {@code end} of a list or sorted set in its own order, from its end under DESC. */
    private static SortElement[] range(StoredValue value, int start, int end, boolean descending) {
        SortElement[] elements = new SortElement[end - start + 1];
        if (value instanceof SortedSet sortedSet) {
            int[] next = {0};
            sortedSet.visitRanks(start, end, descending, (member, offset, length, score) ->
                    elements[next[0]++] = new SortElement(Arrays.copyOfRange(member, offset, offset + length)));
            return elements;
        }
        ListValue list = (ListValue) value;
        long position = list.positionAt(descending ? list.size() - 1 - start : start);
        for (int i = 0; i < elements.length; i++) {
            elements[i] = new SortElement(list.copyOf(position));
            position = descending ? list.previous(position) : list.next(position);
        }
        return elements;
    }

    /** Every element, in the value's order (a sorted set's by rank, where Redis walks its hash table). */
    private static SortElement[] all(StoredValue value, int size) {
        SortElement[] elements = new SortElement[size];
        if (value instanceof ListValue list) {
            int i = 0;
            for (long position = list.first(); position != ListValue.NONE; position = list.next(position)) {
                elements[i++] = new SortElement(list.copyOf(position));
            }
        } else if (value instanceof SetValue set) {
            int i = 0;
            for (int position = set.first(); position != SetValue.NONE; position = set.next(position)) {
                elements[i++] = new SortElement(set.isIntset()
                        ? NumericStrings.toBytes(set.integerAt(position)) : set.memberAt(position));
            }
        } else if (value instanceof SortedSet sortedSet) {
            int[] next = {0};
            sortedSet.forEach((member, offset, length, score) ->
                    elements[next[0]++] = new SortElement(Arrays.copyOfRange(member, offset, offset + length)));
        }
        return elements;
    }

    /** Gives each element what it is compared by; true when a score could not be read. */
    private static boolean loadScores(SortElement[] elements, Options options, SortPattern patterns) {
        boolean scoreError = false;
        for (SortElement element : elements) {
            byte[] array;
            int offset;
            int length;
            if (options.by >= 0) {
                if (!patterns.resolve(options.by, element.element)) {
                    continue;
                }
                if (options.alpha) {
                    element.compared = patterns.copy();
                    continue;
                }
                array = patterns.array;
                offset = patterns.offset;
                length = patterns.length;
            } else if (options.alpha) {
                continue;
            } else {
                array = element.element;
                offset = 0;
                length = array.length;
            }
            try {
                element.score = DoubleStrings.parseLenientInRange(array, offset, length);
            } catch (NumberFormatException notADouble) {
                scoreError = true;
            }
        }
        return scoreError;
    }

    private static void reply(ReplyWriter reply, Options options, SortElement[] elements, int start, int end,
                              SortPattern patterns) {
        long count = (long) (end - start + 1) * Math.max(options.getCount, 1);
        reply.arrayHeader(count);
        for (int j = start; j <= end; j++) {
            byte[] element = elements[j].element;
            if (options.getCount == 0) {
                reply.bulk(element);
            }
            for (int g = 0; g < options.getCount; g++) {
                if (patterns.resolve(options.gets[g], element)) {
                    reply.bulk(patterns.array, patterns.offset, patterns.length);
                } else {
                    reply.nullBulk();
                }
            }
        }
    }

    private static void store(CommandContext c, Options options, SortElement[] elements, int start, int end,
                              SortPattern patterns) {
        Database database = c.database();
        ListValue list = new ListValue(c.config().encoding.listMaxListpackSize.intValue());
        for (int j = start; j <= end; j++) {
            byte[] element = elements[j].element;
            if (options.getCount == 0) {
                list.pushTail(element, 0, element.length);
            }
            for (int g = 0; g < options.getCount; g++) {
                if (patterns.resolve(options.gets[g], element)) {
                    list.pushTail(patterns.array, patterns.offset, patterns.length);
                } else {
                    list.pushTail(element, 0, 0);
                }
            }
        }
        if (list.isEmpty()) {
            KeyEntry destination = database.lookupWrite(c.arguments(), options.store);
            if (destination != null) {
                database.delete(destination);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, options.store);
            }
        } else {
            database.set(c.copyArgument(options.store), list, false);
            c.notifyKeyspaceEvent(KeyspaceEvents.LIST, EventNames.SORTSTORE, options.store);
        }
        c.reply().integer(list.size());
    }
}
