package io.vectormemory.deployment;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scraping reaches every function's /metrics (Route.METRICS_PATH) and the alert rules cover the scaling guide's
 * signals with the metric and label values the functions really export (route labels are Route.label()).
 */
class MonitoringTest {
    static List<Deployment> deployments() {
        return Deployment.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void podMonitorScrapesEveryFunctionsMetrics(Deployment d) {
        List<Map<String, Object>> monitors = Manifests.ofKind(d.objects(), "monitoring.coreos.com", "PodMonitor");
        assertEquals(1, monitors.size(), d + ": one PodMonitor");
        Map<String, Object> monitor = monitors.getFirst();
        List<Map<String, Object>> endpoints = Manifests.maps(monitor, "spec", "podMetricsEndpoints");
        assertEquals(1, endpoints.size(), d + ": one endpoint");
        assertEquals(Route.METRICS_PATH, Manifests.string(endpoints.getFirst(), "path"), d + ": metrics path");
        // Knative names the user container's port user-port in the pods it creates.
        assertEquals("user-port", Manifests.string(endpoints.getFirst(), "port"), d + ": the user container's port");
        Map<String, Object> selector = Manifests.map(monitor, "spec", "selector", "matchLabels");
        assertFalse(selector.isEmpty(), d + ": PodMonitor selects by labels");
        for (ApiFunction f : ApiFunction.values()) {
            Map<String, Object> podLabels = Manifests.map(d.service(f), "spec", "template", "metadata", "labels");
            selector.forEach((k, v) -> assertEquals(v, podLabels.get(k), d + ": " + f.id() + " pods lack " + k + "=" + v));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void alertsCoverTheScalingGuidesSignals(Deployment d) {
        List<Map<String, Object>> rules = Manifests.ofKind(d.objects(), "monitoring.coreos.com", "PrometheusRule").stream()
                .flatMap(r -> Manifests.maps(r, "spec", "groups").stream())
                .flatMap(g -> Manifests.maps(g, "rules").stream()).toList();
        Map<String, String> alerts = rules.stream().filter(r -> r.containsKey("alert"))
                .collect(Collectors.toMap(r -> r.get("alert").toString(), r -> expanded(r.get("expr").toString(), rules)));
        assertTrue(alerts.values().stream().anyMatch(e -> e.contains("histogram_quantile(0.99") && e.contains("api_request_duration_seconds_bucket")),
                d + ": a p99 latency alert");
        assertTrue(alerts.values().stream().anyMatch(e -> e.contains("api_requests_total") && e.contains("status=~\"5..\"")),
                d + ": an error-rate alert");
        assertTrue(alerts.values().stream().anyMatch(e -> e.contains("route=\"" + Route.HEALTH.label() + "\"") && e.contains("status=\"503\"")),
                d + ": a Qdrant-unreachable alert on /health's 503s");
        assertTrue(alerts.values().stream().anyMatch(e -> e.contains("qdrant_collection_points") && (e.contains("deriv(") || e.contains("predict_linear("))),
                d + ": a collection growth alert");
        for (Map<String, Object> r : rules) {
            String expr = r.get("expr").toString();
            Set<String> routeLabels = Arrays.stream(Route.values()).map(Route::label).collect(Collectors.toSet());
            for (String value : labelValues(expr, "route")) {
                assertTrue(routeLabels.contains(value), d + ": " + r + " uses route=\"" + value + "\", not a route of Route.java");
            }
            Set<String> functions = Arrays.stream(ApiFunction.values()).map(ApiFunction::id).collect(Collectors.toSet());
            for (String value : labelValues(expr, "function")) {
                assertTrue(functions.contains(value), d + ": " + r + " uses function=\"" + value + "\"");
            }
            if (r.containsKey("alert")) {
                assertTrue(Manifests.map(r, "labels").containsKey("severity"), d + ": " + r.get("alert") + " has no severity");
                assertTrue(Manifests.map(r, "annotations").containsKey("summary"), d + ": " + r.get("alert") + " has no summary");
            }
        }
    }

    /** An expression with the recording rules it uses replaced by their own expressions. */
    private static String expanded(String expr, List<Map<String, Object>> rules) {
        String out = expr;
        for (Map<String, Object> r : rules) {
            if (r.containsKey("record")) {
                out = out.replace(r.get("record").toString(), "(" + r.get("expr") + ")");
            }
        }
        return out;
    }

    private static List<String> labelValues(String expr, String label) {
        Matcher m = Pattern.compile("\\b" + label + "\\s*=\\s*\"([^\"]*)\"").matcher(expr);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
