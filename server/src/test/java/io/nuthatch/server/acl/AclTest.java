package io.nuthatch.server.acl;

import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ACL behaviour a differential script cannot show: INFO counters, closed connections, requirepass, ACL CAT's lists. */
class AclTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static long infoField(RawConnection connection, String field) throws IOException {
        Matcher matcher = Pattern.compile(field + ":(\\d+)").matcher(text(connection.call("INFO", "stats")));
        assertTrue(matcher.find(), field);
        return Long.parseLong(matcher.group(1));
    }

    private static Set<String> bulkStrings(byte[] reply) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\$\\d+\\r\\n([^\\r]*)\\r\\n").matcher(text(reply));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    @Test
    void deniedChannelsAreCountedInInfo() throws IOException {
        try (RawConnection admin = nuthatch.connect(); RawConnection user = nuthatch.connect()) {
            admin.call("ACL", "SETUSER", "listener", "on", ">pw", "+@all", "&news");
            assertEquals("+OK\r\n", text(user.call("AUTH", "listener", "pw")));
            long channels = infoField(admin, "acl_access_denied_channel");
            assertTrue(text(user.call("PUBLISH", "other", "x")).startsWith("-NOPERM"));
            assertEquals(":0\r\n", text(user.call("PUBLISH", "news", "x")));
            assertEquals(channels + 1, infoField(admin, "acl_access_denied_channel"));
            admin.call("ACL", "DELUSER", "listener");
        }
    }

    @Test
    void deniedCommandsAndKeysAreCountedInInfo() throws IOException {
        try (RawConnection admin = nuthatch.connect(); RawConnection user = nuthatch.connect()) {
            admin.call("ACL", "SETUSER", "counted", "on", ">pw", "-@all", "+get", "~k*");
            assertEquals("+OK\r\n", text(user.call("AUTH", "counted", "pw")));
            long commands = infoField(admin, "acl_access_denied_cmd");
            long keys = infoField(admin, "acl_access_denied_key");
            assertTrue(text(user.call("SET", "k", "v")).startsWith("-NOPERM"));
            assertTrue(text(user.call("GET", "other")).startsWith("-NOPERM"));
            assertEquals(commands + 1, infoField(admin, "acl_access_denied_cmd"));
            assertEquals(keys + 1, infoField(admin, "acl_access_denied_key"));
            admin.call("ACL", "DELUSER", "counted");
        }
    }

    @Test
    void deletingAUserClosesItsConnections() throws IOException {
        try (RawConnection admin = nuthatch.connect(); RawConnection user = nuthatch.connect()) {
            admin.call("ACL", "SETUSER", "leaving", "on", ">pw", "+@all", "allkeys");
            assertEquals("+OK\r\n", text(user.call("AUTH", "leaving", "pw")));
            assertEquals(":1\r\n", text(admin.call("ACL", "DELUSER", "leaving")));
            assertTrue(user.isClosedByServer(2000));
            assertEquals("+PONG\r\n", text(admin.call("PING")));
        }
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("rotated".getBytes(StandardCharsets.US_ASCII)));
        try (RawConnection admin = nuthatch.connect()) {
            assertEquals("+OK\r\n", text(admin.call("CONFIG", "SET", "requirepass", "rotated")));
            try {
                assertTrue(text(admin.call("ACL", "GETUSER", "default")).contains(hash));
                try (RawConnection client = nuthatch.connect()) {
                    assertTrue(text(client.call("GET", "k")).startsWith("-NOAUTH"));
                    assertTrue(text(client.call("AUTH", "wrong")).startsWith("-WRONGPASS"));
                    assertEquals("+OK\r\n", text(client.call("AUTH", "rotated")));
                    assertEquals("+OK\r\n", text(client.call("AUTH", "default", "rotated")));
                }
            } finally {
                assertEquals("+OK\r\n", text(admin.call("CONFIG", "SET", "requirepass", "")));
            }
            assertFalse(text(admin.call("ACL", "GETUSER", "default")).contains(hash));
        }
    }

    @Test
    void aclCatListsWhatCommandListFiltersByCategory() throws IOException {
        try (RawConnection connection = nuthatch.connect()) {
            for (String category : bulkStrings(connection.call("ACL", "CAT"))) {
                Set<String> listed = bulkStrings(connection.call("ACL", "CAT", category));
                Set<String> filtered = bulkStrings(connection.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", category));
                assertEquals(filtered, listed, category);
            }
        }
    }
}
