package io.nuthatch.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.nuthatch.chart.HelmChart.FULLNAME;
import static io.nuthatch.chart.HelmChart.ciValues;
import static io.nuthatch.chart.HelmChart.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The rendered PrometheusRule's rules through promtool: they parse and type-check ({@code check
 * rules}), the design's ten alerts are all there, and the down alert fires both when the target
 * answers no scrape and when Prometheus has lost it ({@code test rules}).
 */
class AlertRulesTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @Test
    void promtoolAcceptsTheRenderedRules(@TempDir Path dir) throws Exception {
        Path rules = renderedRules(dir);
        Result check = promtool(dir, "check", "rules", rules.toString());
        assertEquals(0, check.status(), check.output());
    }

    @Test
    void theTenAlertsOfTheDesignAreThere(@TempDir Path dir) throws Exception {
        JsonNode seed = YAML.readTree(AlertRulesTest.class.getResourceAsStream("/seed-redis-alert-rules.yaml"));
        List<String> designed = alertNames(seed.path("groups"));
        JsonNode rendered = YAML.readTree(Files.readString(renderedRules(dir)));
        assertEquals(10, designed.size());
        assertEquals(designed, alertNames(rendered.path("groups")));
    }

    @Test
    void theDownAlertFiresOnAFailedScrapeAndOnALostTarget(@TempDir Path dir) throws Exception {
        Path rules = renderedRules(dir);
        String job = FULLNAME + "-metrics";
        Path tests = Files.writeString(dir.resolve("tests.yaml"), """
                rule_files:
                  - %s
                evaluation_interval: 30s
                tests:
                  - interval: 30s
                    input_series:
                      - series: 'up{job="%s", instance="10.0.0.7:9121"}'
                        values: '1 1 0 0 0 0 0 0'
                    alert_rule_test:
                      - eval_time: 1m
                        alertname: RedisDown
                        exp_alerts: []
                      - eval_time: 3m30s
                        alertname: RedisDown
                        exp_alerts:
                          - exp_labels:
                              severity: critical
                              component: redis
                              job: %s
                              instance: 10.0.0.7:9121
                            exp_annotations:
                              summary: Nuthatch is down
                              description: Nuthatch 10.0.0.7:9121 has not answered a scrape for a minute.
                  - interval: 30s
                    input_series:
                      - series: 'up{job="another-job", instance="10.0.0.8:9121"}'
                        values: '1 1 1 1 1 1'
                    alert_rule_test:
                      - eval_time: 2m
                        alertname: RedisDown
                        exp_alerts:
                          - exp_labels:
                              severity: critical
                              component: redis
                              job: %s
                            exp_annotations:
                              summary: Nuthatch is down
                              description: Nuthatch  has not answered a scrape for a minute.
                """.formatted(rules, job, job, job, job));
        Result test = promtool(dir, "test", "rules", tests.toString());
        assertEquals(0, test.status(), test.output());

        // The test can fail: the same expectations against a healthy target.
        String healthy = Files.readString(tests).replace("'1 1 0 0 0 0 0 0'", "'1 1 1 1 1 1 1 1'");
        Result wrong = promtool(dir, "test", "rules", Files.writeString(dir.resolve("wrong.yaml"), healthy).toString());
        assertNotEquals(0, wrong.status(), wrong.output());
    }

    /** The PrometheusRule's spec (groups) as a Prometheus rules file. */
    private static Path renderedRules(Path dir) throws IOException {
        JsonNode rule = render(ciValues("all-on-values.yaml")).only("PrometheusRule");
        return Files.writeString(dir.resolve("rules.yaml"), YAML.writeValueAsString(rule.path("spec")));
    }

    private static List<String> alertNames(JsonNode groups) {
        List<String> names = new ArrayList<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                names.add(rule.path("alert").asString());
            }
        }
        return names;
    }

    record Result(int status, String output) {
    }

    private static Result promtool(Path dir, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("promtool");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool did not finish: " + output);
        }
        return new Result(process.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
