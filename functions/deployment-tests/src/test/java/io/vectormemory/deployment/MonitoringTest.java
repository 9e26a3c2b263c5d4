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
 * Scraping reaches every function's /metrics (Route.METRICS_PATH); the alert rules cover the scaling guide's
 * signals with the metric and label values the functions really export (route labels are Route.label()), and
 * count API traffic only, never the probes or the scrapes; the Prometheus that README.md describes selects the
 * PodMonitor and the PrometheusRule, and may reach the pods.
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

    private static final Pattern API_SELECTOR = Pattern.compile(
            "(?<![\\w:])(api_requests_total|api_request_errors_total|api_request_duration_seconds(?:_bucket|_sum|_count)?)(?![\\w:])(\\{[^}]*\\})?");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * Kubelet's liveness checks, queue-proxy's readiness checks and Prometheus' scrapes reach every pod several
     * times a minute whatever the API's traffic. In a ratio (errors, refused keys) or a percentile they would
     * dilute what the API's clients see, so every selector of an API metric either names one API route or
     * excludes every probe and scrape route (route!~ a regular expression that matches them all).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void probeAndScrapeRoutesAreNotApiTraffic(Deployment d) {
        List<String> infra = Route.INFRA_PATHS.stream().map(p -> "GET " + p).toList();
        Set<String> apiRoutes = Arrays.stream(Route.values()).map(Route::label).collect(Collectors.toSet());
        List<String> failures = new java.util.ArrayList<>();
        int selectors = 0;
        for (Map<String, Object> r : rules(d)) {
            String name = String.valueOf(r.containsKey("alert") ? r.get("alert") : r.get("record"));
            Matcher m = API_SELECTOR.matcher(r.get("expr").toString());
            while (m.find()) {
                selectors++;
                boolean oneApiRoute = false;
                boolean excludesInfra = false;
                Matcher matcher = MATCHER.matcher(m.group(2) == null ? "" : m.group(2));
                while (matcher.find()) {
                    if (!matcher.group(1).equals("route")) {
                        continue;
                    }
                    String op = matcher.group(2);
                    String value = matcher.group(3);
                    oneApiRoute |= op.equals("=") && apiRoutes.contains(value);
                    excludesInfra |= op.equals("!~") && infra.stream().allMatch(label -> Pattern.matches(value, label));
                }
                if (!oneApiRoute && !excludesInfra) {
                    failures.add(name + ": " + m.group() + " counts " + String.join(", ", infra));
                }
            }
        }
        assertTrue(selectors > 0, d + ": no selector of an API metric");
        assertTrue(failures.isEmpty(), d + ":\n" + String.join("\n", failures));
    }

    /**
     * The Prometheus in README.md (the settings the overlays are labelled for) selects the PodMonitor and the
     * PrometheusRule by label, in a namespace its namespace selectors cover (none set: its own namespace only),
     * and sits in a namespace the functions' NetworkPolicy admits.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void theReadmesPrometheusSelectsTheMonitoringObjects(Deployment d) throws java.io.IOException {
        Map<String, Object> prometheus = readmePrometheus();
        String prometheusNs = Manifests.namespace(prometheus);
        for (String[] kind : new String[][] {{"PodMonitor", "podMonitorSelector", "podMonitorNamespaceSelector"},
                {"PrometheusRule", "ruleSelector", "ruleNamespaceSelector"}}) {
            List<Map<String, Object>> objects = Manifests.ofKind(d.objects(), "monitoring.coreos.com", kind[0]);
            assertFalse(objects.isEmpty(), d + ": no " + kind[0]);
            for (Map<String, Object> o : objects) {
                Object selector = Manifests.at(prometheus, "spec", kind[1]).orElse(null);
                assertTrue(selector != null && LabelSelector.matches(selector, Manifests.map(o, "metadata", "labels")),
                        d + ": README's Prometheus " + kind[1] + " " + selector + " does not select " + Manifests.label(o)
                                + " labelled " + Manifests.map(o, "metadata", "labels"));
                String ns = Manifests.namespace(o);
                Object nsSelector = Manifests.at(prometheus, "spec", kind[2]).orElse(null);
                assertTrue(nsSelector == null ? ns.equals(prometheusNs) : LabelSelector.matches(nsSelector, namespaceLabels(d, ns)),
                        d + ": README's Prometheus " + kind[2] + " " + nsSelector + " does not cover namespace " + ns
                                + (nsSelector == null ? " (none set: only its own namespace, " + prometheusNs + ")" : ""));
            }
        }
        boolean admitted = Manifests.ofKind(d.objects(), "networking.k8s.io", "NetworkPolicy").stream()
                .filter(p -> Manifests.namespace(p).equals(Manifests.namespace(Manifests.ofKind(d.objects(), "monitoring.coreos.com", "PodMonitor").getFirst())))
                .flatMap(p -> Manifests.maps(p, "spec", "ingress").stream())
                .flatMap(i -> Manifests.maps(i, "from").stream())
                .anyMatch(f -> f.containsKey("namespaceSelector") && !f.containsKey("podSelector")
                        && LabelSelector.matches(f.get("namespaceSelector"), Map.of("kubernetes.io/metadata.name", prometheusNs)));
        assertTrue(admitted, d + ": the NetworkPolicy does not admit Prometheus' namespace " + prometheusNs);
    }

    /** The Prometheus object in README.md's yaml blocks. */
    static Map<String, Object> readmePrometheus() throws java.io.IOException {
        Matcher block = Pattern.compile("(?s)```yaml\n(.*?)```").matcher(java.nio.file.Files.readString(Manifests.ROOT.resolve("README.md")));
        while (block.find()) {
            for (Map<String, Object> o : Manifests.loadAll(block.group(1))) {
                if ("Prometheus".equals(Manifests.kind(o)) && "monitoring.coreos.com".equals(Manifests.group(o))) {
                    return o;
                }
            }
        }
        throw new AssertionError("README.md has no yaml block with the Prometheus (kind: Prometheus) the overlays are labelled for");
    }

    /** A namespace's labels: those of its manifest, and the name label Kubernetes adds to every namespace. */
    private static Map<String, Object> namespaceLabels(Deployment d, String ns) {
        Map<String, Object> labels = new java.util.HashMap<>(d.find("", "Namespace", null, ns)
                .map(n -> Manifests.map(n, "metadata", "labels")).orElse(Map.of()));
        labels.put("kubernetes.io/metadata.name", ns);
        return labels;
    }

    static List<Map<String, Object>> rules(Deployment d) {
        return Manifests.ofKind(d.objects(), "monitoring.coreos.com", "PrometheusRule").stream()
                .flatMap(r -> Manifests.maps(r, "spec", "groups").stream())
                .flatMap(g -> Manifests.maps(g, "rules").stream()).toList();
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
