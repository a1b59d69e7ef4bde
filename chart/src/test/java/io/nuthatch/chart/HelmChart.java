package io.nuthatch.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * chart/nuthatch as Helm sees it, through helm-java (Helm's Go library in-process, no binary, no
 * cluster): lint, and template with values files and --set pairs, the output parsed into one YAML
 * tree per object.
 */
final class HelmChart {
    static final String RELEASE = "nh";
    static final String NAMESPACE = "cache";
    /** The Kubernetes version renders are made for (helm-java's default, 1.20, is older than the chart allows). */
    static final String KUBE_VERSION = "1.31.0";
    /** The names the templates give a release "nh" of chart "nuthatch". */
    static final String FULLNAME = "nh-nuthatch";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private HelmChart() {
    }

    /** chart/nuthatch, found from the module directory Surefire runs in. */
    static Path chartDir() {
        Path dir = Path.of("nuthatch").toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            dir = Path.of("chart", "nuthatch").toAbsolutePath();
        }
        return dir;
    }

    /** The repository's root (for bin/ and server/target/). */
    static Path repositoryRoot() {
        return chartDir().getParent().getParent();
    }

    static Path ciValues(String name) {
        return chartDir().resolve("ci").resolve(name);
    }

    static LintResult lintStrict(Path chart) {
        return new Helm(chart).lint().strict().call();
    }

    /** helm template RELEASE CHART -n NAMESPACE -f each file --set each pair. */
    static String template(Path chart, List<Path> valuesFiles, Map<String, Object> sets) {
        FakeKubernetesApi.ensureStarted();
        TemplateCommand template = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            template.withValuesFile(file);
        }
        sets.forEach(template::set);
        return template.call();
    }

    static Rendered render(List<Path> valuesFiles, Map<String, Object> sets) {
        return Rendered.parse(template(chartDir(), valuesFiles, sets));
    }

    static Rendered render(Path... valuesFiles) {
        return render(List.of(valuesFiles), Map.of());
    }

    static Map<String, Object> sets(Object... keysAndValues) {
        Map<String, Object> sets = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            sets.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return sets;
    }

    /** The objects of one render, in the order Helm wrote them. */
    record Rendered(String text, List<JsonNode> objects) {
        static Rendered parse(String text) {
            List<JsonNode> objects = new ArrayList<>();
            try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
                while (documents.hasNext()) {
                    JsonNode document = documents.next();
                    if (document != null && !document.isNull() && !document.isMissingNode()) {
                        objects.add(document);
                    }
                }
            }
            return new Rendered(text, objects);
        }

        List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(o -> o.path("kind").asString().equals(kind)).toList();
        }

        JsonNode only(String kind) {
            List<JsonNode> found = ofKind(kind);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + ", found " + found.size() + " in:\n" + text);
            }
            return found.get(0);
        }

        JsonNode named(String kind, String name) {
            return ofKind(kind).stream().filter(o -> o.path("metadata").path("name").asString().equals(name))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in:\n" + text));
        }

        List<String> kinds() {
            return objects.stream().map(o -> o.path("kind").asString()).toList();
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
