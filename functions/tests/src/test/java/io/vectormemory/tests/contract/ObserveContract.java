package io.vectormemory.tests.contract;

import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.PrometheusText;
import io.vectormemory.tests.support.Response;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Helidon's observe endpoints of one function's server: {@code /observe/health} with the liveness checks, the
 * serving state and Qdrant's check; {@code /metrics} (and {@code /observe/metrics}) as Prometheus text with the
 * API's meters and Helidon's JVM meters.
 */
public interface ObserveContract {
    /** The function's server. */
    Http server();

    /** Label of the function in the meters. */
    String function();

    /** A request of one of the function's routes that calls Qdrant and answers 200. */
    Response sampleRequest();

    Route sampleRoute();

    private static JsonObject check(JsonObject health, String name) {
        return health.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + ": " + health));
    }

    @Test
    default void observeHealthReportsQdrantsCheckAndTheProcesssOwn() {
        Response r = server().get(Route.OBSERVE_PATH + "/health");
        Expect.status(r, 200);
        JsonObject body = r.object();
        assertEquals("UP", body.getString("status"), r::toString);
        JsonObject qdrant = check(body, "qdrant");
        assertEquals("UP", qdrant.getString("status"), r::toString);
        assertEquals("connected", qdrant.getJsonObject("data").getString("status"), r::toString);
        for (String name : List.of("serving", "deadlock", "heapMemory")) {
            assertEquals("UP", check(body, name).getString("status"), r::toString);
        }
        Response ready = server().get(Route.OBSERVE_PATH + "/health/ready");
        Expect.status(ready, 200);
        assertEquals(List.of("serving", "qdrant"), ready.object().getJsonArray("checks").stream()
                .map(c -> c.asJsonObject().getString("name")).toList(), ready::toString);
        Response live = server().get(Route.OBSERVE_PATH + "/health/live");
        Expect.status(live, 200);
        assertFalse(live.body().contains("qdrant"), "liveness never asks Qdrant: " + live);
        Expect.status(server().get(Route.OBSERVE_PATH + "/health/ready/qdrant"), 200);
    }

    @Test
    default void metricsAreHelidonsPrometheusTextWithTheApiAndJvmMeters() {
        Expect.status(sampleRequest(), 200);
        Response r = server().get(Route.METRICS_PATH);
        Expect.status(r, 200);
        assertTrue(r.header("content-type").orElse("").startsWith("text/plain"), r::toString);
        PrometheusText text = PrometheusText.parse(r.body());
        Map<String, String> route = Map.of("function", function(), "route", sampleRoute().label());
        assertTrue(text.named("api_requests_total").stream().anyMatch(s -> s.has(route)
                && "200".equals(s.labels().get("status")) && s.value() >= 1), r::toString);
        assertTrue(text.named("api_request_duration_seconds_bucket").stream().anyMatch(s -> s.has(route)
                && "+Inf".equals(s.labels().get("le")) && s.value() >= 1), r::toString);
        assertTrue(text.named("api_request_qdrant_seconds_count").stream().anyMatch(s -> s.has(route)
                && s.value() >= 1), r::toString);
        assertEquals("histogram", text.types().get("api_request_duration_seconds"), r::toString);
        assertEquals("counter", text.types().get("api_requests_total"), r::toString);
        assertTrue(text.named("qdrant_collection_points").size() >= 2, r::toString);
        // Helidon's JVM and system meters, under their usual names.
        for (String jvm : List.of("memory_usedHeap_bytes", "memory_maxHeap_bytes", "thread_count", "jvm_uptime_seconds",
                "gc_total", "classloader_loadedClasses_count", "cpu_availableProcessors")) {
            assertFalse(text.named(jvm).isEmpty(), jvm + " missing: " + r);
        }
        // Probes, scrapes and observe endpoints are not API traffic.
        assertTrue(text.named("api_requests_total").stream().noneMatch(s -> {
            String label = s.labels().get("route");
            return label.startsWith("GET /livez") || label.startsWith("GET /readyz") || label.startsWith("GET /metrics")
                    || label.contains("/observe");
        }), r::toString);
        Response helidons = server().get(Route.OBSERVE_PATH + "/metrics");
        Expect.status(helidons, 200);
        assertEquals(text.types().keySet(), PrometheusText.parse(helidons.body()).types().keySet(),
                "the same meters at /observe/metrics");
    }
}
