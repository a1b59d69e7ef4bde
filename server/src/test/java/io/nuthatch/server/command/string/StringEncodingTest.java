package io.nuthatch.server.command.string;

import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The encoding each string command leaves a value in, read from the keyspace (what OBJECT ENCODING
 * reports); the expected encodings are what redis-server 7.0.15 answered to OBJECT ENCODING after
 * the same commands.
 */
class StringEncodingTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    @BeforeEach
    void flush() throws IOException {
        try (RawConnection connection = new RawConnection(nuthatch.server().port())) {
            connection.call("FLUSHALL");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "SET k 123|int",
            "SET k abc|embstr",
            "SET k 12345678901234567890123456789012345678901234|embstr",
            "SET k 123456789012345678901234567890123456789012345|raw",
            "APPEND k ''|embstr",
            "APPEND k 123|int",
            "SET k 123;APPEND k 4|raw",
            "SET k 12;APPEND k ''|raw",
            "SETRANGE k 0 12|raw",
            "SET k 12;SETRANGE k 0 ''|int",
            "SET k 12;SETRANGE k 0 3|raw",
            "SET k 12;APPEND k '';INCR k|int",
            "INCR k|int",
            "INCRBYFLOAT k 1|embstr",
            "SET k 12;INCRBYFLOAT k 1|embstr",
            "INCRBYFLOAT k 1.5|embstr",
            "INCRBYFLOAT k 1e50|raw",
            "MSET k 5|int",
            "GETSET k 5|int",
            "SETEX k 100 abc|embstr",
            "SETNX k 7|int",
    })
    void encodingAfter(String commands, String expected) throws IOException {
        try (RawConnection connection = new RawConnection(nuthatch.server().port())) {
            for (String command : commands.split(";")) {
                String[] arguments = command.split(" ");
                for (int i = 0; i < arguments.length; i++) {
                    arguments[i] = arguments[i].equals("''") ? "" : arguments[i];
                }
                connection.call(arguments);
            }
        }
        nuthatch.server().engine().lock().lock();
        try {
            KeyEntry entry = nuthatch.server().engine().keyspace().database(0).peek("k".getBytes(StandardCharsets.US_ASCII));
            assertEquals(expected, entry.encoding(), commands);
        } finally {
            nuthatch.server().engine().lock().unlock();
        }
    }
}
