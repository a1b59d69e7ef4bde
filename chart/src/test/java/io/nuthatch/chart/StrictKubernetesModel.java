package io.nuthatch.chart;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a rendered object against the Kubernetes API model, failing on any field the API does not
 * have (a typo'd key is silently dropped by a real API server, so Helm would install it happily).
 *
 * <p>The core kinds go through fabric8's kubernetes-model. Its classes accept unknown fields into
 * an {@code additionalProperties} map instead of failing, so after reading an object the check
 * walks the whole object graph and fails on any non-empty such map, naming the path. Types are
 * checked by the reading itself (a string where the API has an integer fails).
 *
 * <p>ServiceMonitor and PrometheusRule (monitoring.coreos.com/v1) have no fabric8 model in 8.0.0
 * that Maven Central serves; they are read into the records below, which carry the fields of the
 * Prometheus Operator's v1 API that this chart may use, with unknown fields failing.
 */
final class StrictKubernetesModel {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    private StrictKubernetesModel() {
    }

    /** The problems of one object: empty when the API model has every field it sets. */
    static List<String> problems(JsonNode object) {
        String kind = object.path("apiVersion").asString() + "/" + object.path("kind").asString();
        String name = kind + " " + object.path("metadata").path("name").asString();
        Class<?> type = KINDS.get(kind);
        if (type == null) {
            return List.of(name + ": no model for this apiVersion/kind");
        }
        Object typed;
        try {
            typed = MAPPER.treeToValue(object, type);
        } catch (RuntimeException e) {
            return List.of(name + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        walk(typed, name, problems, new IdentityHashMap<>());
        return problems;
    }

    private static void walk(Object value, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, problems, seen));
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                walk(item, path + "[" + index++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Record record) {
            for (var component : record.getClass().getRecordComponents()) {
                walk(invoke(component.getAccessor(), record), path + "." + component.getName(), problems, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object result = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (result instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": fields the API does not have: " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            walk(result, path + "." + field, problems, seen);
        }
    }

    private static Object invoke(Method method, Object target) {
        try {
            return method.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }

    // monitoring.coreos.com/v1, the fields the chart may set (the operator's names and types).

    record ServiceMonitor(String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec) {
    }

    record ServiceMonitorSpec(String jobLabel, List<String> targetLabels, List<String> podTargetLabels,
            LabelSelector selector, NamespaceSelector namespaceSelector, List<Endpoint> endpoints,
            Long sampleLimit) {
    }

    record NamespaceSelector(Boolean any, List<String> matchNames) {
    }

    record Endpoint(String port, String targetPort, String path, String scheme, String interval,
            String scrapeTimeout, Boolean honorLabels, Map<String, List<String>> params) {
    }

    record PrometheusRule(String apiVersion, String kind, ObjectMeta metadata, PrometheusRuleSpec spec) {
    }

    record PrometheusRuleSpec(List<RuleGroup> groups) {
    }

    record RuleGroup(String name, String interval, Integer limit, List<Rule> rules) {
    }

    record Rule(String alert, String record, String expr, @JsonProperty("for") String forDuration,
            @JsonProperty("keep_firing_for") String keepFiringFor, Map<String, String> labels,
            Map<String, String> annotations) {
    }
}
