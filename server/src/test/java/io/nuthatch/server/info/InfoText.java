package io.nuthatch.server.info;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.Resp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** An INFO reply taken apart: section title to its fields, in order. */
record InfoText(String text, Map<String, Map<String, String>> sections) {

    /** Sends INFO with the given sections over a RESP2 connection and parses the bulk reply. */
    static InfoText fetch(RawConnection connection, String... sections) throws IOException {
        String[] request = new String[sections.length + 1];
        request[0] = "INFO";
        System.arraycopy(sections, 0, request, 1, sections.length);
        byte[] reply = connection.call(request);
        assertNotNull(reply, "connection closed");
        String raw = new String(reply, StandardCharsets.ISO_8859_1);
        assertEquals('$', raw.charAt(0), "INFO reply is not a bulk string: " + Resp.escape(reply));
        int headerEnd = raw.indexOf("\r\n");
        int length = Integer.parseInt(raw.substring(1, headerEnd));
        String text = raw.substring(headerEnd + 2, headerEnd + 2 + length);
        assertEquals(raw.length(), headerEnd + 2 + length + 2, "bulk length matches the content");
        return parse(text);
    }

    static InfoText parse(String text) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        if (!text.isEmpty()) {
            assertTrue(text.endsWith("\r\n"), "INFO text ends with CRLF");
        }
        String[] lines = text.split("\r\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            assertTrue(line.indexOf('\n') < 0 && line.indexOf('\r') < 0, "bare CR or LF in line " + line);
            if (line.startsWith("# ")) {
                if (current != null) {
                    fail("no empty line before section " + line);
                }
                current = new LinkedHashMap<>();
                sections.put(line.substring(2), current);
            } else if (line.isEmpty()) {
                assertNotNull(current, "empty line outside a section");
                current = null;
            } else {
                assertNotNull(current, "field outside a section: " + line);
                int colon = line.indexOf(':');
                assertTrue(colon > 0, "field without a colon: " + line);
                current.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return new InfoText(text, sections);
    }

    Map<String, String> section(String title) {
        Map<String, String> section = sections.get(title);
        assertNotNull(section, "no section " + title + " in\n" + text);
        return section;
    }

    String field(String title, String name) {
        String value = section(title).get(name);
        assertNotNull(value, "no field " + name + " in section " + title);
        return value;
    }

    long number(String title, String name) {
        return Long.parseLong(field(title, name));
    }

    /** A "key=value,key=value" field value as a map. */
    static Map<String, String> subfields(String value) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int equals = part.indexOf('=');
            parts.put(part.substring(0, equals), part.substring(equals + 1));
        }
        return parts;
    }
}
