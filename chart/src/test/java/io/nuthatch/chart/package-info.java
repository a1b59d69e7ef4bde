/**
 * The tests of the Helm chart chart/nuthatch, run offline by Maven: Helm from Java (helm-java,
 * Helm's Go library loaded through JNA) for lint and template, the Kubernetes API model (fabric8)
 * for every rendered object, promtool for the alert rules, and the pod's life against the real
 * launcher and server jar of this checkout (RenderedPod, PodLifecycleTest).
 *
 * <p>What this package owns: the harness (HelmChart, FakeKubernetesApi, StrictKubernetesModel,
 * RenderedPod, RespClient) and the checks. What it must never do: reach a real cluster (KUBECONFIG
 * points at FakeKubernetesApi's file), hard-code what the chart or the server decide (expected
 * values come from values.yaml, Chart.yaml, the fixtures or the render's own fields), or start
 * the server on a fixed port (renders are made with free ports).
 */
package io.nuthatch.chart;
