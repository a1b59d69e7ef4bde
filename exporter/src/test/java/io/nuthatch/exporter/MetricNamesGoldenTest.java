package io.nuthatch.exporter;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract: for every INFO field of the reference table of redis_exporter's metrics (a copy
 * of shared/reference/redis_exporter-metrics.md; the shared original is read instead when it is
 * beside the repository), a scrape exports the metric of that name and type, and the code's table
 * says the same.
 */
class MetricNamesGoldenTest {

    record Reference(String field, String metric, String type, String section) {
    }

    static List<Reference> reference() throws IOException {
        Path shared = Path.of("..", "..", "shared", "reference", "redis_exporter-metrics.md");
        String text;
        if (Files.exists(shared)) {
            text = Files.readString(shared);
        } else {
            try (InputStream in = MetricNamesGoldenTest.class.getResourceAsStream("/redis_exporter-metrics.md")) {
                assertNotNull(in, "the reference table is a test resource");
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        List<Reference> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] cells = line.split("\\|");
            if (cells.length < 5 || !cells[1].trim().startsWith("`")) {
                continue;
            }
            rows.add(new Reference(unquote(cells[1]), unquote(cells[2]), cells[3].trim(), cells[4].trim()));
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.trim().replace("`", "");
    }

    @Test
    void theTableMapsEveryReferenceFieldToTheReferenceNameAndType() throws IOException {
        List<Reference> reference = reference();
        assertTrue(reference.size() > 150, "the reference table was read: " + reference.size() + " rows");
        for (Reference row : reference) {
            InfoMetricTable.Row ours = InfoMetricTable.forField(row.field());
            assertNotNull(ours, "no row for INFO field " + row.field());
            assertEquals(row.metric(), ours.metric(), row.field());
            assertEquals(row.type(), ours.type().exposed(), row.field());
        }
    }

    @Test
    void aScrapeOfEveryReferenceFieldExportsItsNameAndType() throws IOException {
        FakeSource source = new FakeSource();
        for (Reference row : reference()) {
            String section = row.section().startsWith("Stats/CPU") ? "stats" : row.section().toLowerCase();
            source.field(section, row.field(), "7");
        }
        Map<String, MetricFamily> families = new LinkedHashMap<>();
        for (MetricFamily family : InfoCollector.collect(source)) {
            families.put(family.name(), family);
        }
        for (Reference row : reference()) {
            MetricFamily family = families.get(row.metric());
            assertNotNull(family, row.metric() + " from " + row.field());
            assertEquals(row.type(), family.type().exposed(), row.metric());
            assertEquals(7.0, family.samples().get(0).value(), row.metric());
        }
    }

    @Test
    void countersWithoutTotalKeepTheirNamesInBothFormats() throws IOException {
        FakeSource source = new FakeSource().field("stats", "total_error_replies", "3")
                .field("stats", "keyspace_hits", "5");
        for (Exposition.Format format : Exposition.Format.values()) {
            java.io.StringWriter out = new java.io.StringWriter();
            Exposition.write(InfoCollector.collect(source), format, out);
            String text = out.toString();
            assertTrue(text.contains("\nredis_total_error_replies 3\n"), format + ":\n" + text);
            assertTrue(text.contains("\nredis_keyspace_hits_total 5\n"), format + ":\n" + text);
        }
    }
}
