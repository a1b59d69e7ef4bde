package io.nuthatch.server;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * requirepass-file: the default user's password from a mounted Secret, read at startup, on CONFIG
 * SET requirepass-file and on SIGHUP (the reload Main's handler runs; the signal itself is sent to
 * a real process by the chart module's PodLifecycleTest).
 */
class RequirepassFileTest {
    @TempDir
    Path directory;

    @Test
    void thePasswordInTheFileIsTheDefaultUsersWithoutItsTrailingNewline() throws Exception {
        Path file = Files.writeString(directory.resolve("password"), "s3cret\n");
        try (NuthatchServer server = ReferencePair.startNuthatch("requirepass-file", file.toString());
                RawConnection connection = new RawConnection(server.port())) {
            assertTrue(reply(connection, "PING").startsWith("-NOAUTH"), "no password, no command");
            assertTrue(reply(connection, "AUTH", "s3cret\n").startsWith("-WRONGPASS"), "the newline is not part of it");
            assertEquals("+OK\r\n", reply(connection, "AUTH", "s3cret"));
            assertEquals("+PONG\r\n", reply(connection, "PING"));
        }
    }

    @Test
    void onlyOneTrailingNewlineIsDroppedAndCrLfCountsAsOne() throws Exception {
        Path file = Files.write(directory.resolve("password"), "two\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        try (NuthatchServer server = ReferencePair.startNuthatch("requirepass-file", file.toString());
                RawConnection connection = new RawConnection(server.port())) {
            assertTrue(reply(connection, "AUTH", "two").startsWith("-WRONGPASS"));
            assertEquals("+OK\r\n", reply(connection, "AUTH", "two\n"));
        }
    }

    @Test
    void aRotatedFileIsReadOnReloadAndOnConfigSet() throws Exception {
        Path file = Files.writeString(directory.resolve("password"), "first");
        try (NuthatchServer server = ReferencePair.startNuthatch("requirepass-file", file.toString());
                RawConnection connection = new RawConnection(server.port())) {
            assertEquals("+OK\r\n", reply(connection, "AUTH", "first"));

            // The kubelet swaps the file; SIGHUP makes the server read it (Main runs this on the gate).
            Files.writeString(file, "second\n");
            assertTrue(server.engine().gate().runExclusive(server.engine().requirepassFile()::reload, 10_000));
            assertTrue(reply(connection, "AUTH", "first").startsWith("-WRONGPASS"));
            assertEquals("+OK\r\n", reply(connection, "AUTH", "second"));

            Path other = Files.writeString(directory.resolve("other"), "third\n");
            assertEquals("+OK\r\n", reply(connection, "CONFIG", "SET", "requirepass-file", other.toString()));
            assertEquals("+OK\r\n", reply(connection, "AUTH", "third"));
            assertTrue(reply(connection, "CONFIG", "GET", "requirepass-file").contains(other.toString()));

            // A file that cannot be read is refused, and the password stays.
            String missing = directory.resolve("missing").toString();
            String refused = reply(connection, "CONFIG", "SET", "requirepass-file", missing);
            assertTrue(refused.startsWith("-ERR") && refused.contains(missing), refused);
            assertEquals("+OK\r\n", reply(connection, "AUTH", "third"));

            // A reload that fails keeps the password too.
            Files.delete(other);
            server.engine().gate().runExclusive(server.engine().requirepassFile()::reload, 10_000);
            assertEquals("+OK\r\n", reply(connection, "AUTH", "third"));
        }
    }

    @Test
    void aMissingEmptyOrRelativeFileStopsTheStartupNamingIt() throws Exception {
        Path empty = Files.writeString(directory.resolve("empty"), "\n");
        String missing = directory.resolve("missing").toString();
        for (String path : new String[] {missing, empty.toString(), "secret/password"}) {
            MainTest.Run run = MainTest.main("", "--port", "0", "--requirepass-file", path);
            assertEquals(1, run.status(), run.out() + run.err());
            String said = run.out() + run.err();
            assertTrue(said.contains("requirepass-file") && said.contains(path), said);
        }
    }

    private static String reply(RawConnection connection, String... arguments) throws Exception {
        return new String(connection.call(arguments), StandardCharsets.ISO_8859_1);
    }
}
