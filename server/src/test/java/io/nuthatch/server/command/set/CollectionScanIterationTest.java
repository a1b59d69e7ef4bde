package io.nuthatch.server.command.set;

import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SSCAN and HSCAN over hash tables with small COUNTs, to the end of the iteration: every member or
 * field present throughout is returned, while the value grows through a resize and shrinks
 * through another between the calls (cursors cannot be compared with redis-server's, whose hash
 * seed differs, so the guarantee is checked here).
 */
class CollectionScanIterationTest {
    private static final int PRESENT = 3_000;

    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    @Test
    void sscanReturnsEveryMemberPresentThroughoutWhileTheSetGrowsAndShrinks() throws IOException {
        assertFullIteration("SADD", "SREM", "SSCAN", false);
    }

    @Test
    void hscanReturnsEveryFieldPresentThroughoutWhileTheHashGrowsAndShrinks() throws IOException {
        assertFullIteration("HSET", "HDEL", "HSCAN", true);
    }

    @SuppressWarnings("unchecked")
    private static void assertFullIteration(String add, String remove, String scan, boolean pairs) throws IOException {
        try (RawConnection client = nuthatch.connect()) {
            client.call("FLUSHALL");
            for (int i = 0; i < PRESENT; i++) {
                client.call(pairs ? new String[] {add, "key", "kept:" + i, "v"} : new String[] {add, "key", "kept:" + i});
            }
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int calls = 0;
            int added = 0;
            do {
                List<Object> reply = (List<Object>) RespValue.parse(client.call(scan, "key", cursor, "COUNT", "7"));
                cursor = (String) reply.get(0);
                List<Object> elements = (List<Object>) reply.get(1);
                for (int i = 0; i < elements.size(); i += pairs ? 2 : 1) {
                    seen.add((String) elements.get(i));
                }
                calls++;
                // Grow to several times the size (a resize and its migration), then remove it all again.
                for (int n = 0; n < 40; n++) {
                    if (calls < 200) {
                        String element = "extra:" + added++;
                        client.call(pairs ? new String[] {add, "key", element, "v"} : new String[] {add, "key", element});
                    } else if (added > 0) {
                        client.call(remove, "key", "extra:" + --added);
                    }
                }
            } while (!cursor.equals("0"));
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < PRESENT; i++) {
                if (!seen.contains("kept:" + i)) {
                    missing.add("kept:" + i);
                }
            }
            assertTrue(missing.isEmpty(), missing.size() + " never returned, e.g. " + missing.subList(0,
                    Math.min(5, missing.size())));
            assertTrue(calls > 200, "the iteration ended after " + calls + " calls, before the value shrank");
            assertEquals(List.of("hashtable"), List.of(RespValue.parse(client.call("OBJECT", "ENCODING", "key"))));
        }
    }
}
