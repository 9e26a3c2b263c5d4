package io.vectormemory.deployment;

import io.helidon.webserver.WebServer;
import io.vectormemory.embedded.EmbeddedQdrant;
import io.vectormemory.http.server.ApiServer;
import io.vectormemory.http.server.Settings;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard (knative/base/dashboards) ships in every overlay as a ConfigMap with Grafana's sidecar label,
 * and every metric its queries use, as well as every metric of the alert and recording rules, is one the functions
 * expose: the names are read from a real {@code /metrics} scrape of the three functions' routing (the local launcher's)
 * on the embedded backend, after the requests that create the API's meters, a refused key and a Qdrant outage.
 */
class DashboardTest {
    private static final Path DASHBOARD = Manifests.ROOT.resolve("knative/base/dashboards/vector-memory.json");
    private static final String KEY = "dashboard-test-key-0123456789abcdef0123";
    /** A metric name followed by a selector or a range: how every query of the dashboard names a metric. */
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");
    private static final Set<String> NOT_METRICS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "le", "inf", "nan");

    private static Set<String> scraped;

    @BeforeAll
    static void scrape() throws Exception {
        Path data = Files.createTempDirectory("dashboard-scrape");
        EmbeddedQdrant qdrant = EmbeddedQdrant.start(new EmbeddedQdrant.Options("127.0.0.1", 0, data, "qdrant-key"));
        ApiServer api = ApiServer.create("local", Settings.from(Map.of("QDRANT_URL", "http://127.0.0.1:" + qdrant.port(),
                        "QDRANT_API_KEY", "qdrant-key", "QDRANT_VECTOR_DIMENSION", "2", "HOST", "127.0.0.1", "PORT", "0",
                        "SERVICE_API_KEY", KEY, "HEALTH_TIMEOUT_MS", "2000")),
                io.vectormemory.local.Main.FUNCTIONS, io.vectormemory.local.Main::routing);
        WebServer web = api.config().build().start();
        try {
            api.context().stores().catalog().bootstrap();
            URI base = URI.create("http://127.0.0.1:" + web.port());
            send(base, "POST", "/memories", "{\"point_id\":\"mem_1_1\",\"vector\":[1,0],\"payload\":{\"user_id\":1,"
                    + "\"category\":\"c\",\"key\":\"k\",\"value\":\"v\",\"source\":\"s\",\"created\":1,\"updated\":1,"
                    + "\"active\":true}}", KEY, 200);
            send(base, "POST", "/memories/search", "{\"query_vector\":[1,0],\"user_id\":1}", KEY, 200);
            send(base, "GET", "/health", null, null, 200);
            send(base, "GET", "/service/info", null, null, 401);
            qdrant.close();
            send(base, "GET", "/health", null, null, 503);
            send(base, "POST", "/memories/search", "{\"query_vector\":[1,0],\"user_id\":1}", KEY, 503);
            Thread.sleep(200); // a request is recorded right after its answer is sent
            String text = send(base, "GET", "/metrics", null, null, 200);
            scraped = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
        } finally {
            web.stop();
            api.close();
            qdrant.close();
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String send(URI base, String method, String path, String body, String key, int status)
            throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        if (key != null) {
            r.header("X-API-Key", key);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
            return response.body();
        }
    }

    /** Every query of the dashboard: panel targets and template variables. */
    static List<String> dashboardQueries() throws IOException {
        JsonObject dashboard;
        try (JsonReader reader = Json.createReader(new StringReader(Files.readString(DASHBOARD)))) {
            dashboard = reader.readObject();
        }
        List<String> queries = new ArrayList<>();
        for (JsonValue panel : dashboard.getJsonArray("panels")) {
            for (JsonValue target : panel.asJsonObject().getJsonArray("targets")) {
                queries.add(target.asJsonObject().getString("expr"));
            }
        }
        for (JsonValue variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
            if (variable.asJsonObject().containsKey("definition")) {
                // Grafana's label_values(selector, label): the selector is the query.
                queries.add(variable.asJsonObject().getString("definition")
                        .replaceAll("^label_values\\((.*),\\s*\\w+\\)$", "$1"));
            }
        }
        return queries;
    }

    /**
     * The metric names a PromQL query uses. In the dashboard every name has a selector (its queries are checked
     * strictly: a bare word fails); the rules also refer to their recorded series by bare name.
     */
    static Set<String> metrics(String query, boolean strict) {
        Set<String> names = new TreeSet<>();
        Matcher m = SELECTOR.matcher(query);
        while (m.find()) {
            names.add(m.group(1));
        }
        // What is left once selectors, ranges, label lists, strings and function calls are gone must be no name.
        String rest = query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "").replaceAll("(by|without|on|ignoring)\\s*\\([^)]*\\)", "")
                .replaceAll("[a-zA-Z_][a-zA-Z0-9_]*\\s*\\(", "(").replaceAll("\\$\\w+", "");
        Matcher bare = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(rest);
        while (bare.find()) {
            String word = bare.group(1);
            if (NOT_METRICS.contains(word.toLowerCase()) || names.contains(word)) {
                continue;
            }
            assertFalse(strict, "'" + word + "' in \"" + query + "\": write a metric with a selector, e.g. " + word
                    + "{}");
            names.add(word);
        }
        return names;
    }

    @Test
    void everyMetricTheDashboardQueriesIsOneTheFunctionsExpose() throws IOException {
        List<String> queries = dashboardQueries();
        assertTrue(queries.size() >= 10, "the dashboard's queries: " + queries);
        Set<String> used = new TreeSet<>();
        queries.forEach(q -> used.addAll(metrics(q, true)));
        for (String wanted : List.of("api_requests_total", "api_request_duration_seconds_bucket",
                "api_request_errors_total", "api_request_unavailable_total", "api_request_qdrant_seconds_bucket",
                "qdrant_collection_points", "jvm_uptime_seconds")) {
            assertTrue(used.contains(wanted), "the dashboard does not show " + wanted);
        }
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(scraped);
        assertTrue(unknown.isEmpty(), "not exposed by the functions: " + unknown + "\nscraped: " + scraped);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.vectormemory.deployment.MonitoringTest#deployments")
    void everyMetricOfTheAlertAndRecordingRulesIsOneTheFunctionsExpose(Deployment d) {
        Set<String> recorded = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (Map<String, Object> rule : MonitoringTest.rules(d)) {
            if (rule.containsKey("record")) {
                recorded.add(rule.get("record").toString());
            }
            used.addAll(metrics(rule.get("expr").toString(), false));
        }
        used.removeAll(recorded);
        assertFalse(used.isEmpty(), d + ": no metric in the rules");
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(scraped);
        assertTrue(unknown.isEmpty(), d + ": not exposed by the functions: " + unknown);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.vectormemory.deployment.MonitoringTest#deployments")
    void theDashboardShipsAsAConfigMapForGrafanasSidecar(Deployment d) throws IOException {
        List<Map<String, Object>> maps = Manifests.ofKind(d.objects(), "", "ConfigMap").stream()
                .filter(m -> "1".equals(String.valueOf(Manifests.map(m, "metadata").containsKey("labels")
                        ? Manifests.map(m, "metadata", "labels").get("grafana_dashboard") : null)))
                .toList();
        assertEquals(1, maps.size(), d + ": one ConfigMap labelled grafana_dashboard=1");
        Map<String, Object> data = Manifests.map(maps.getFirst(), "data");
        assertEquals(Files.readString(DASHBOARD), data.get("vector-memory.json"), d + ": the dashboard's JSON");
    }

    @AfterAll
    static void forget() {
        scraped = null;
    }
}
