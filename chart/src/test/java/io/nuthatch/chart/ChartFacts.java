package io.nuthatch.chart;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Path;

/** What the tests read from the chart's own files rather than repeat: Chart.yaml, values.yaml. */
final class ChartFacts {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private ChartFacts() {
    }

    static JsonNode chartYaml() {
        return yaml(HelmChart.chartDir().resolve("Chart.yaml"));
    }

    static JsonNode defaultValues() {
        return yaml(HelmChart.chartDir().resolve("values.yaml"));
    }

    static String version() {
        return chartYaml().path("version").asString();
    }

    static String appVersion() {
        return chartYaml().path("appVersion").asString();
    }

    static JsonNode yaml(Path file) {
        return YAML.readTree(HelmChart.read(file));
    }

    static JsonNode yamlText(String text) {
        return YAML.readTree(text);
    }
}
