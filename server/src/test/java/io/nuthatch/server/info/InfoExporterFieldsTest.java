package io.nuthatch.server.info;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every INFO field redis_exporter turns into a metric (the table in
 * shared/reference/redis_exporter-metrics.md, copied to the test resources) is in our INFO with a
 * value the exporter can read: a number, or a status it maps to 0/1.
 */
class InfoExporterFieldsTest {
    /**
     * Fields Redis prints only in a state Nuthatch is never in yet: the aof_* sizes with the
     * append-only log on, slave_priority on a replica, cluster_stats_* in CLUSTER INFO in cluster
     * mode. The test checks that redis-server does not print them either in the same state.
     */
    private static final Set<String> STATE_DEPENDENT = Set.of("aof_current_size", "aof_base_size",
            "aof_pending_rewrite", "aof_buffer_length", "aof_rewrite_buffer_length", "aof_pending_bio_fsync",
            "aof_delayed_fsync", "slave_priority", "cluster_stats_messages_sent", "cluster_stats_messages_received");

    @Test
    void everyFieldTheExporterReadsIsPresentAndReadable() throws IOException {
        List<String> fields = exporterFields();
        assertTrue(fields.size() > 150, "the table was read: " + fields.size());
        ReferencePair pair = ReferencePair.shared();
        Map<String, String> ours = flatten(fetchAll(pair.nuthatchPort()));
        Map<String, String> redis = flatten(fetchAll(pair.redisPort()));
        List<String> missing = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String field : fields) {
            if (STATE_DEPENDENT.contains(field)) {
                assertFalse(redis.containsKey(field), field + " is printed by redis-server in this state");
                continue;
            }
            String value = ours.get(field);
            if (value == null) {
                missing.add(field);
            } else if (!value.matches("-?\\d+(\\.\\d+)?") && !value.matches("ok|err|fail")) {
                unreadable.add(field + "=" + value);
            }
        }
        assertEquals(List.of(), missing, "fields redis_exporter reads");
        assertEquals(List.of(), unreadable, "values redis_exporter cannot parse");
    }

    private static InfoText fetchAll(int port) throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            return InfoText.fetch(connection, "everything");
        }
    }

    private static Map<String, String> flatten(InfoText info) {
        Map<String, String> all = new HashMap<>();
        info.sections().values().forEach(all::putAll);
        return all;
    }

    /** The first column of the table: `field` names. */
    static List<String> exporterFields() throws IOException {
        try (InputStream in = InfoExporterFieldsTest.class.getResourceAsStream("/info/redis_exporter-metrics.md")) {
            List<String> fields = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("| `")) {
                    fields.add(line.substring(3, line.indexOf('`', 3)));
                }
            }
            return fields;
        }
    }
}
