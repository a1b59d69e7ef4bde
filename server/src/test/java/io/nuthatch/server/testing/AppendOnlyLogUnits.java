package io.nuthatch.server.testing;

import io.nuthatch.server.propagation.PropagatedUnit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Execution units in one comparable form, read from redis-server's incremental append-only file
 * or from what Nuthatch propagated: a MULTI ... EXEC block is one unit written
 * {@code "MULTI [0 SET k v, 0 INCR n] EXEC"}, any other record a unit of its own written
 * {@code "0 SET k v"}, each record with the database its SELECTs put it in.
 */
public final class AppendOnlyLogUnits {
    private AppendOnlyLogUnits() {
    }

    /** The units of redis-server's incremental log so far. */
    public static List<String> read(Path log) throws IOException {
        return read(log, UnaryOperator.identity());
    }

    /**
     * The units of redis-server's incremental log so far, each record passed through
     * {@code normalizer} (which hides what differs from run to run, such as times).
     */
    public static List<String> read(Path log, UnaryOperator<String> normalizer) throws IOException {
        List<String> units = new ArrayList<>();
        List<String> transaction = null;
        int database = 0;
        for (List<String> command : commands(Files.readAllBytes(log))) {
            String name = command.get(0).toUpperCase();
            if (name.equals("SELECT")) {
                database = Integer.parseInt(command.get(1));
            } else if (name.equals("MULTI")) {
                transaction = new ArrayList<>();
            } else if (name.equals("EXEC")) {
                units.add("MULTI " + transaction + " EXEC");
                transaction = null;
            } else {
                String record = normalizer.apply(database + " " + String.join(" ", command));
                if (transaction != null) {
                    transaction.add(record);
                } else {
                    units.add(record);
                }
            }
        }
        return units;
    }

    /** Every command of a log in RESP, in order, as its arguments. */
    public static List<List<String>> commands(byte[] log) {
        List<List<String>> commands = new ArrayList<>();
        int[] position = {0};
        while (position[0] < log.length) {
            commands.add(readCommand(log, position));
        }
        return commands;
    }

    /** A unit Nuthatch propagated, in the same form (several units when it is not wrapped). */
    public static List<String> of(PropagatedUnit unit) {
        return of(unit, UnaryOperator.identity());
    }

    /** A unit Nuthatch propagated, each record passed through {@code normalizer}. */
    public static List<String> of(PropagatedUnit unit, UnaryOperator<String> normalizer) {
        List<String> records = new ArrayList<>();
        for (int record = 0; record < unit.recordCount(); record++) {
            StringBuilder line = new StringBuilder().append(unit.database(record));
            for (int argument = 0; argument < unit.argumentCount(record); argument++) {
                line.append(' ').append(new String(unit.array(record, argument), unit.argumentOffset(record, argument),
                        unit.argumentLength(record, argument), StandardCharsets.ISO_8859_1));
            }
            records.add(normalizer.apply(line.toString()));
        }
        return unit.isWrapped() ? List.of("MULTI " + records + " EXEC") : records;
    }

    private static List<String> readCommand(byte[] log, int[] position) {
        int count = Integer.parseInt(readLine(log, position).substring(1));
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = Integer.parseInt(readLine(log, position).substring(1));
            arguments.add(new String(log, position[0], length, StandardCharsets.ISO_8859_1));
            position[0] += length + 2;
        }
        return arguments;
    }

    private static String readLine(byte[] log, int[] position) {
        int start = position[0];
        int end = start;
        while (log[end] != '\r') {
            end++;
        }
        position[0] = end + 2;
        return new String(log, start, end - start, StandardCharsets.US_ASCII);
    }
}
