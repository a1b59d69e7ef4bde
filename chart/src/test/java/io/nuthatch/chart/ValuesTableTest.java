package io.nuthatch.chart;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's values table is generated from values.schema.json (keys, types, descriptions) and
 * values.yaml (defaults), so that it cannot drift from the chart: this test fails when it has.
 * {@code -Dnuthatch.readme.write=true} rewrites the table in place.
 */
class ValuesTableTest {
    private static final String START = "<!-- values table: generated from chart/nuthatch/values.schema.json by ValuesTableTest -->\n";
    private static final String END = "<!-- end of values table -->\n";

    @Test
    void theReadmesValuesTableIsTheSchemas() throws Exception {
        String table = table();
        Path readme = HelmChart.repositoryRoot().resolve("README.md");
        String text = Files.readString(readme);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertTrue(start >= 0 && end > start, "README.md has no values table markers");
        String current = text.substring(start + START.length(), end);
        if (Boolean.getBoolean("nuthatch.readme.write")) {
            Files.writeString(readme, text.substring(0, start + START.length()) + table + text.substring(end));
            return;
        }
        assertEquals(table, current, "README's values table is stale: run ValuesTableTest with -Dnuthatch.readme.write=true");
    }

    static String table() {
        JsonNode schema = JsonMapper.builder().build().readTree(HelmChart.read(
                HelmChart.chartDir().resolve("values.schema.json")));
        JsonNode defaults = ChartFacts.defaultValues();
        StringBuilder table = new StringBuilder("| Key | Type | Default | Description |\n|---|---|---|---|\n");
        rows(schema, defaults, "", table);
        return table.toString();
    }

    private static void rows(JsonNode schema, JsonNode defaults, String prefix, StringBuilder table) {
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String key = prefix + property.getKey();
            JsonNode child = property.getValue();
            JsonNode value = defaults == null ? null : defaults.get(property.getKey());
            if (child.has("properties") && !key.equals("global")) {
                rows(child, value, key + ".", table);
                continue;
            }
            table.append("| `").append(key).append("` | ").append(type(child)).append(" | ")
                    .append(value == null || value.isNull() ? "" : "`" + value + "`").append(" | ")
                    .append(child.path("description").asString("").replace("|", "\\|").replace("<", "&lt;")).append(" |\n");
        }
    }

    private static String type(JsonNode schema) {
        if (schema.has("enum")) {
            StringBuilder values = new StringBuilder();
            for (JsonNode value : schema.path("enum")) {
                values.append(values.isEmpty() ? "" : ", ").append(value.asString());
            }
            return "one of " + values;
        }
        if (schema.has("oneOf")) {
            StringBuilder types = new StringBuilder();
            for (JsonNode option : schema.path("oneOf")) {
                types.append(types.isEmpty() ? "" : " or ").append(option.has("enum") ? type(option)
                        : option.path("type").asString());
            }
            return types.toString();
        }
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            StringBuilder types = new StringBuilder();
            for (JsonNode option : type) {
                types.append(types.isEmpty() ? "" : " or ").append(option.asString());
            }
            return types.toString();
        }
        return type.asString();
    }
}
