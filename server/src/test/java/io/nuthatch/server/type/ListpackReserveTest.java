package io.nuthatch.server.type;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Listpack#reserve}: room made ahead of appends changes no entry, and the appends then fit. */
class ListpackReserveTest {
    @Test
    void reservedRoomKeepsTheEntriesAndTakesTheAppends() {
        Listpack listpack = new Listpack();
        listpack.append(bytes("first"));
        listpack.append(bytes("second"));
        listpack.reserve(500);
        byte[] array = listpack.array();
        assertTrue(array.length >= 500);
        for (int i = 0; i < 40; i++) {
            listpack.append(bytes("entry-" + i));
        }
        assertTrue(array == listpack.array(), "the appends fit in the room reserved");
        assertEquals(42, listpack.size());
        assertEquals("first", new String(listpack.copyOf(listpack.first()), StandardCharsets.US_ASCII));
        assertEquals("entry-39", new String(listpack.copyOf(listpack.last()), StandardCharsets.US_ASCII));
        listpack.reserve(10);
        assertTrue(array == listpack.array(), "a smaller reservation changes nothing");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
