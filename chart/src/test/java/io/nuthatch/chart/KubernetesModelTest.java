package io.nuthatch.chart;

import io.nuthatch.chart.HelmChart.Rendered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.nuthatch.chart.HelmChart.ciValues;
import static io.nuthatch.chart.HelmChart.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rendered object, of every test render, against the Kubernetes API model, unknown fields failing. */
class KubernetesModelTest {

    @Test
    void theDefaultRenderHasOnlyFieldsTheApiKnows() {
        assertValid(render(ciValues("default-values.yaml")));
    }

    @Test
    void theRenderWithEveryOptionOnHasOnlyFieldsTheApiKnows() {
        Rendered rendered = render(ciValues("all-on-values.yaml"));
        assertValid(rendered);
        List<String> kinds = rendered.kinds();
        assertTrue(kinds.contains("ServiceMonitor") && kinds.contains("PrometheusRule"), kinds::toString);
    }

    @Test
    void theSubchartRenderHasOnlyFieldsTheApiKnows(@TempDir Path dir) {
        Path parent = SubchartFixture.create(dir.resolve("alerthistory"));
        assertValid(Rendered.parse(HelmChart.template(parent, List.of(), Map.of())));
    }

    @Test
    void theCheckCatchesAMisspelledFieldAndAWrongType() {
        JsonNode statefulSet = render().only("StatefulSet");
        String text = ChartFacts.yamlText(statefulSet.toString()).toString();

        JsonNode misspelled = ChartFacts.yamlText(text.replace("\"terminationGracePeriodSeconds\"",
                "\"terminationGracePeriodSecond\""));
        List<String> problems = StrictKubernetesModel.problems(misspelled);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("terminationGracePeriodSecond"), problems::toString);

        JsonNode wrongType = ChartFacts.yamlText(text.replace("\"replicas\":1", "\"replicas\":\"one\""));
        assertFalse(StrictKubernetesModel.problems(wrongType).isEmpty());

        JsonNode rule = render(ciValues("all-on-values.yaml")).only("PrometheusRule");
        JsonNode misspelledRule = ChartFacts.yamlText(rule.toString().replace("\"expr\"", "\"expression\""));
        assertFalse(StrictKubernetesModel.problems(misspelledRule).isEmpty());
    }

    private static void assertValid(Rendered rendered) {
        assertFalse(rendered.objects().isEmpty());
        List<String> problems = new ArrayList<>();
        for (JsonNode object : rendered.objects()) {
            problems.addAll(StrictKubernetesModel.problems(object));
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }
}
