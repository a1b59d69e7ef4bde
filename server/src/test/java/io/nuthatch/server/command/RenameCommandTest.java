package io.nuthatch.server.command;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rename-command as COMMAND and its subcommands show it, next to a redis-server started with the
 * same renames: a renamed command is listed under its original name but looked up by its new one,
 * a removed one is gone everywhere.
 */
class RenameCommandTest {
    @TempDir
    Path directory;

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static List<String> bulkStrings(String reply) {
        List<String> names = new ArrayList<>();
        Matcher matcher = Pattern.compile("\\$\\d+\\r\\n([^\\r]*)\\r\\n").matcher(reply);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static long integer(String reply) {
        return Long.parseLong(reply.substring(1).trim());
    }

    @Test
    void commandShowsARenamedCommandUnderItsOriginalNameAndNoRemovedOne() throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        config.find("bind").set("127.0.0.1");
        config.find("save").set("");
        config.find("exporter-port").set("0");
        config.renameCommand("CONFIG", "NEWCONFIG");
        config.renameCommand("FLUSHALL", "");
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        List<String> renames = List.of("--save", "", "--rename-command", "CONFIG", "NEWCONFIG", "--rename-command",
                "FLUSHALL", "");
        try (RedisCommandLine.Started redis = RedisCommandLine.start(directory, renames);
             NuthatchServer nuthatch = NuthatchServer.start(config, log);
             RawConnection reference = new RawConnection(redis.port());
             RawConnection candidate = new RawConnection(nuthatch.port())) {
            for (String[] command : new String[][] {
                    {"COMMAND", "INFO", "config", "flushall", "config|get", "nosuch"},
                    {"COMMAND", "INFO", "newconfig|get", "NEWCONFIG|SET"},
                    {"COMMAND", "DOCS", "config", "flushall", "config|get"},
                    {"COMMAND", "GETKEYS", "newconfig", "get", "x"},
                    {"COMMAND", "GETKEYS", "config", "get", "x"},
                    {"COMMAND", "GETKEYS", "flushall"},
                    {"CONFIG", "GET", "maxmemory"},
                    {"FLUSHALL"},
                    {"NEWCONFIG", "GET", "maxmemory"}}) {
                assertEquals(text(reference.call(command)), text(candidate.call(command)), String.join(" ", command));
            }
            for (RawConnection connection : List.of(reference, candidate)) {
                String docs = text(connection.call("COMMAND", "DOCS", "newconfig|get", "newconfig"));
                assertTrue(docs.startsWith("*4\r\n$10\r\nconfig|get\r\n"), docs);
                List<String> listed = bulkStrings(text(connection.call("COMMAND", "LIST")));
                assertTrue(listed.contains("config") && listed.contains("config|get"), listed.toString());
                assertFalse(listed.contains("newconfig") || listed.contains("flushall"), listed.toString());
                long topLevel = listed.stream().filter(name -> name.indexOf('|') < 0).count();
                assertEquals(topLevel, integer(text(connection.call("COMMAND", "COUNT"))));
                String all = text(connection.call("COMMAND"));
                assertTrue(all.startsWith("*" + topLevel + "\r\n"), all.substring(0, 20));
                assertFalse(all.contains("$8\r\nflushall\r\n"));
                assertEquals(List.of("config"), bulkStrings(text(connection.call("COMMAND", "LIST", "FILTERBY",
                        "PATTERN", "conf?g"))));
                String allDocs = text(connection.call("COMMAND", "DOCS"));
                assertTrue(allDocs.startsWith("*" + 2 * topLevel + "\r\n"), allDocs.substring(0, 20));
            }
        }
    }
}
