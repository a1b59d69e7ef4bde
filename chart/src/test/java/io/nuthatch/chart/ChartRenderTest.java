package io.nuthatch.chart;

import io.nuthatch.chart.HelmChart.Rendered;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.nuthatch.chart.HelmChart.FULLNAME;
import static io.nuthatch.chart.HelmChart.NAMESPACE;
import static io.nuthatch.chart.HelmChart.ciValues;
import static io.nuthatch.chart.HelmChart.render;
import static io.nuthatch.chart.HelmChart.sets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** helm lint --strict and helm template of chart/nuthatch: what each set of values renders. */
class ChartRenderTest {

    @AfterEach
    void forgetSecrets() {
        FakeKubernetesApi.removeSecret(NAMESPACE, FULLNAME);
    }

    @Test
    void lintStrictFindsNothing() {
        var result = HelmChart.lintStrict(HelmChart.chartDir());
        assertFalse(result.isFailed(), () -> "helm lint --strict: " + result.getMessages());
        assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                () -> "helm lint --strict: " + result.getMessages());
    }

    @Test
    void defaultsRenderTheServerWithItsGuardsAndNoOperatorObjects() {
        Rendered rendered = render(ciValues("default-values.yaml"));
        List<String> kinds = rendered.kinds();
        for (String kind : List.of("StatefulSet", "ConfigMap", "Secret", "NetworkPolicy", "PodDisruptionBudget",
                "ServiceAccount")) {
            assertEquals(1, rendered.ofKind(kind).size(), kind + " in " + kinds);
        }
        assertEquals(3, rendered.ofKind("Service").size(), "headless, client and metrics Services: " + kinds);
        assertTrue(rendered.ofKind("ServiceMonitor").isEmpty() && rendered.ofKind("PrometheusRule").isEmpty(),
                "operator objects are off by default: " + kinds);
        assertEquals(false, rendered.only("ServiceAccount").path("automountServiceAccountToken").asBoolean(true));

        JsonNode pod = rendered.only("StatefulSet").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertEquals("OrderedReady", rendered.only("StatefulSet").path("spec").path("podManagementPolicy").asString());
        assertEquals(FULLNAME + "-headless", rendered.only("StatefulSet").path("spec").path("serviceName").asString());
        assertEquals(999, pod.path("securityContext").path("runAsUser").asInt());
        assertEquals(999, pod.path("securityContext").path("fsGroup").asInt());
        assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
        assertEquals("ALL", container.path("securityContext").path("capabilities").path("drop").get(0).asString());
        assertEquals("RuntimeDefault", pod.path("securityContext").path("seccompProfile").path("type").asString());
        assertEquals("/health", container.path("livenessProbe").path("httpGet").path("path").asString());
        assertEquals("/ready", container.path("readinessProbe").path("httpGet").path("path").asString());
        assertEquals("/health", container.path("startupProbe").path("httpGet").path("path").asString());

        // The password is a mounted file the config names, with auth on by default.
        String config = config(rendered);
        assertTrue(config.contains("requirepass-file /etc/nuthatch/secret/password"), config);
        assertTrue(config.contains("dir /data"), config);
        String password = secretPassword(rendered, "password");
        assertEquals(32, password.length(), "a generated password of 32 characters");
    }

    @Test
    void everyOptionOnRendersMonitoringTlsAndTheUsersSecret() {
        Rendered rendered = render(ciValues("all-on-values.yaml"));
        assertEquals(1, rendered.ofKind("ServiceMonitor").size());
        assertEquals(1, rendered.ofKind("PrometheusRule").size());
        JsonNode dashboard = rendered.named("ConfigMap", FULLNAME + "-dashboard");
        assertEquals("1", dashboard.path("metadata").path("labels").path("grafana_dashboard").asString());
        ChartFacts.yamlText(dashboard.path("data").path("nuthatch.json").asString()); // parses as JSON
        assertTrue(rendered.ofKind("Secret").isEmpty(), "existingSecret: the chart makes no Secret");

        String config = config(rendered);
        for (String directive : List.of("tls-port 6380", "tls-cert-file /etc/nuthatch/tls/tls.crt",
                "tls-key-file /etc/nuthatch/tls/tls.key", "tls-ca-cert-file /etc/nuthatch/tls/ca.crt",
                "tls-auth-clients optional", "appendfsync always", "save \"3600 1 300 100\"", "maxclients 5000")) {
            assertTrue(config.contains(directive + "\n"), directive + " in:\n" + config);
        }
        JsonNode pod = rendered.only("StatefulSet").path("spec").path("template").path("spec");
        JsonNode passwordVolume = volume(pod, "password");
        assertEquals("nuthatch-credentials", passwordVolume.path("secret").path("secretName").asString());
        assertEquals("redis-password", passwordVolume.path("secret").path("items").get(0).path("key").asString());
        assertEquals("nuthatch-tls", volume(pod, "tls").path("secret").path("secretName").asString());
        assertEquals("high-priority", pod.path("priorityClassName").asString());
        assertEquals(1, pod.path("topologySpreadConstraints").size());
        assertEquals("Delete", rendered.only("StatefulSet").path("spec").path("persistentVolumeClaimRetentionPolicy")
                .path("whenDeleted").asString());
    }

    @Test
    void maxmemoryAsAPercentageFollowsTheMemoryLimit(@TempDir Path dir) throws Exception {
        for (String limit : List.of("512Mi", "3Gi", "1G")) {
            Rendered rendered = render(List.of(), sets("resources.limits.memory", limit, "settings.maxmemory", "60%"));
            long expected = quantityBytes(limit) * 60 / 100;
            assertTrue(config(rendered).contains("\nmaxmemory " + expected + "\n"), limit + ":\n" + config(rendered));
        }
        Rendered absolute = render(List.of(), sets("settings.maxmemory", "384mb"));
        assertTrue(config(absolute).contains("\nmaxmemory 384mb\n"), config(absolute));

        // null removes a default in Helm: a pod without a memory limit.
        Path noLimitValues = java.nio.file.Files.writeString(dir.resolve("no-limit.yaml"),
                "resources:\n  limits: null\nsettings:\n  maxmemory: 75%\n");
        Exception noLimit = assertThrows(Exception.class, () -> render(noLimitValues));
        assertTrue(noLimit.getMessage().contains("resources.limits.memory"), noLimit.getMessage());
    }

    @Test
    void aChangedConfigRollsThePodAndTheSameConfigDoesNot() {
        String first = checksum(render(List.of(), sets("password.value", "p")), "checksum/config");
        String same = checksum(render(List.of(), sets("password.value", "p")), "checksum/config");
        String changed = checksum(render(List.of(), sets("password.value", "p", "settings.loglevel", "warning")),
                "checksum/config");
        assertEquals(first, same);
        assertNotEquals(first, changed);
        String secret = checksum(render(List.of(), sets("password.value", "p")), "checksum/secret");
        String rotated = checksum(render(List.of(), sets("password.value", "q")), "checksum/secret");
        assertNotEquals(secret, rotated);
    }

    @Test
    void anUpgradeKeepsThePasswordAlreadyInTheCluster() {
        String generatedOnce = secretPassword(render(), "password");
        String generatedAgain = secretPassword(render(), "password");
        assertNotEquals(generatedOnce, generatedAgain, "without a Secret in the cluster each install draws anew");

        String existing = "kept-from-the-first-install";
        FakeKubernetesApi.putSecret(NAMESPACE, FULLNAME, "{\"password\":\""
                + Base64.getEncoder().encodeToString(existing.getBytes(StandardCharsets.UTF_8)) + "\"}");
        assertEquals(existing, secretPassword(render(), "password"));
    }

    @Test
    void theUsersValkeyValuesRenderUnchangedAsASubchart(@TempDir Path dir) {
        Path parent = SubchartFixture.create(dir.resolve("alerthistory"));
        var lint = HelmChart.lintStrict(parent);
        assertFalse(lint.isFailed(), () -> "helm lint --strict of the parent chart: " + lint.getMessages());
        Rendered rendered = Rendered.parse(HelmChart.template(parent, List.of(), Map.of()));
        JsonNode seed = ChartFacts.yamlText(HelmChart.read(Path.of("src/test/resources/seed-values-valkey.yaml")))
                .path("valkey");

        JsonNode statefulSet = rendered.named("StatefulSet", "nh-valkey");
        JsonNode container = statefulSet.path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals(seed.path("replicas").asInt(), statefulSet.path("spec").path("replicas").asInt());
        assertEquals(seed.path("resources").path("limits").path("memory").asString(),
                container.path("resources").path("limits").path("memory").asString());
        assertEquals(seed.path("resources").path("requests").path("cpu").asString(),
                container.path("resources").path("requests").path("cpu").asString());
        assertEquals("nuthatch:" + ChartFacts.appVersion(), container.path("image").asString(),
                "redis:7-alpine cannot run Nuthatch: the chart's image replaces it");
        assertEquals(seed.path("storage").path("requestedSize").asString(), statefulSet.path("spec")
                .path("volumeClaimTemplates").get(0).path("spec").path("resources").path("requests").path("storage")
                .asString());

        String config = rendered.named("ConfigMap", "nh-valkey").path("data").path("nuthatch.conf").asString();
        JsonNode settings = seed.path("settings");
        for (String directive : List.of(
                "maxmemory " + settings.path("maxmemory").asString(),
                "maxmemory-policy " + settings.path("maxmemoryPolicy").asString(),
                "appendonly " + settings.path("appendonly").asString(),
                "appendfsync " + settings.path("appendfsync").asString(),
                "loglevel " + settings.path("loglevel").asString(),
                "slowlog-log-slower-than " + settings.path("slowlogThreshold").asString(),
                "requirepass-file /etc/nuthatch/secret/password")) {
            assertTrue(config.contains(directive + "\n"), directive + " in:\n" + config);
        }
        assertTrue(rendered.ofKind("Secret").size() == 1, "existingSecret \"\": the chart makes the Secret");
    }

    @Test
    void aFormerStatefulSetsPvcIsKeptByItsNames() {
        // The seed chart's PVC: redis-data-alerthistory-redis-0 (claim template redis-data, StatefulSet alerthistory-redis).
        Rendered rendered = render(List.of(), sets("fullnameOverride", "alerthistory-redis",
                "storage.volumeName", "redis-data"));
        JsonNode statefulSet = rendered.only("StatefulSet");
        String pvc = statefulSet.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asString()
                + "-" + statefulSet.path("metadata").path("name").asString() + "-0";
        assertEquals("redis-data-alerthistory-redis-0", pvc);
        JsonNode mounts = statefulSet.path("spec").path("template").path("spec").path("containers").get(0)
                .path("volumeMounts");
        assertTrue(mounts.toString().contains("{\"name\":\"redis-data\",\"mountPath\":\"/data\"}"), mounts::toString);
    }

    @Test
    void theSchemaRejectsWrongTypesUnknownKeysAndValuesOutOfRange() {
        List<Map<String, Object>> bad = List.of(
                sets("replicaCount", 1),                     // not a key of this chart
                sets("replicas", "one"),                     // a string for an integer
                sets("replicas", 2),                         // no replication: two pods would be two caches
                sets("settings.appendfsync", "sometimes"),   // not one of always, everysec, no
                sets("settings.maxmemory", "lots"),          // neither bytes nor a percentage
                sets("settings.unknownDirective", "x"),      // settings has a fixed set of keys
                sets("storage.requestedSize", "5 gigs"),     // not a Kubernetes quantity
                sets("password.enabled", "maybe"));          // a string for a boolean
        for (Map<String, Object> values : bad) {
            Exception e = assertThrows(Exception.class, () -> render(List.of(), values), values::toString);
            assertTrue(e.getMessage().contains("schema"), values + ": " + e.getMessage());
        }
        render(List.of(), sets("replicas", 0, "settings.maxmemory", "100%"));
    }

    static String config(Rendered rendered) {
        return rendered.named("ConfigMap", FULLNAME).path("data").path("nuthatch.conf").asString();
    }

    static String secretPassword(Rendered rendered, String key) {
        String encoded = rendered.only("Secret").path("data").path(key).asString();
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    private static String checksum(Rendered rendered, String annotation) {
        return rendered.only("StatefulSet").path("spec").path("template").path("metadata").path("annotations")
                .path(annotation).asString();
    }

    static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode volume : podSpec.path("volumes")) {
            if (volume.path("name").asString().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name + " in " + podSpec);
    }

    /** Bytes of a Kubernetes memory quantity, as the API server reads it. */
    static long quantityBytes(String quantity) {
        String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"k", "1000"},
            {"M", "1000000"}, {"G", "1000000000"}};
        for (String[] unit : units) {
            if (quantity.endsWith(unit[0])) {
                return Long.parseLong(quantity.substring(0, quantity.length() - unit[0].length()))
                        * Long.parseLong(unit[1]);
            }
        }
        return Long.parseLong(quantity);
    }
}
