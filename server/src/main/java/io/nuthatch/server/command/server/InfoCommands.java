package io.nuthatch.server.command.server;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandTable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * INFO [section ...]: Redis's sections and field names, written by the engine's
 * {@link io.nuthatch.server.info.InfoReport}. The reply is a bulk string in RESP2 and a verbatim
 * "txt" string in RESP3, as Redis sends it.
 */
public final class InfoCommands {
    private InfoCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("info", "Returns the server's information and statistics, by section: server, clients,"
                + " memory, persistence, stats, replication, cpu, modules, commandstats, errorstats, latencystats,"
                + " cluster, keyspace; or default, all, everything.", "O(1)", InfoCommands::info);
    }

    static void info(CommandContext c) {
        List<String> sections = new ArrayList<>(c.argumentCount() - 1);
        for (int i = 1; i < c.argumentCount(); i++) {
            sections.add(c.argumentText(i));
        }
        String text = c.engine().info().text(sections);
        c.reply().verbatim("txt", text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
