package io.vectormemory.tests;

import io.vectormemory.embedded.EmbeddedQdrant;
import io.vectormemory.http.Route;
import io.vectormemory.qdrant.store.QdrantHealth;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.JsonText;
import io.vectormemory.tests.support.PrometheusText;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.TempDirs;
import io.vectormemory.tests.support.Vectors;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /health} is 503 unhealthy whenever the function cannot serve, with the cause in {@code qdrant.status}, not
 * only when Qdrant's (unauthenticated) health check fails: a refused {@code QDRANT_API_KEY}, and default collections
 * that are missing and cannot be created. Retry-After only where waiting helps; one log line per change of cause,
 * never the key. And the {@code metrics} block counts the requests of the process that answers (README, Operations).
 */
class UnhealthyCausesTest {
    private static final String WRONG_KEY = "wrong-qdrant-key-" + Long.toHexString(System.nanoTime());

    private final List<LogRecord> healthLog = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            healthLog.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger healthLogger = Logger.getLogger(QdrantHealth.class.getName());

    @BeforeEach
    void captureHealthLog() {
        healthLogger.addHandler(capture);
    }

    @AfterEach
    void stopCapture() {
        healthLogger.removeHandler(capture);
    }

    private static Response health(Deployment d) {
        return Http.to(d.url(Route.HEALTH)).get("/health");
    }

    private static void unhealthy(Response r, String cause, boolean retryAfter) {
        Expect.status(r, 503);
        Expect.jsonContentType(r);
        JsonObject body = r.object();
        assertEquals(java.util.Set.of("metrics", "qdrant", "service", "status", "uptime_seconds", "version"),
                body.keySet(), r::toString);
        assertEquals("unhealthy", body.getString("status"), r::toString);
        JsonText.assertJson("""
                {"collection_status":"unknown","points_count":0,"status":"%s","vectors_count":0}""".formatted(cause),
                body.get("qdrant"), r::toString);
        assertEquals(retryAfter, r.header("retry-after").isPresent(), r::toString);
    }

    @Test
    void aWrongQdrantKeyIs503UnauthorizedUntilTheFunctionRunsWithTheRightKey() {
        Map<String, String> env = new HashMap<>(Deployment.contractEnv(Backend.url()));
        Map<String, String> wrong = new HashMap<>(env);
        wrong.put("QDRANT_API_KEY", WRONG_KEY);
        try (Deployment d = Deployments.functions(wrong)) {
            for (int i = 0; i < 3; i++) {
                // No Retry-After: the key does not fix itself.
                unhealthy(health(d), "unauthorized", false);
            }
            // What the health check says is what the API does: nothing can be served.
            Response write = Http.to(d.url(Route.MEMORY_UPSERT)).apiKey(Deployment.KEY).post("/memories",
                    Data.memory(Data.memoryId(1), Vectors.random(Deployment.DIMENSION, 1), Data.memoryPayload(1)));
            Expect.error(write, 503);
            // Both 503s are counted with their cause, for the dashboard.
            for (Route route : List.of(Route.HEALTH, Route.MEMORY_UPSERT)) {
                Response scrape = Http.to(d.url(route)).get(Route.METRICS_PATH);
                assertTrue(PrometheusText.parse(scrape.body()).named("api_request_unavailable_total").stream()
                        .anyMatch(m -> m.has(Map.of("route", route.label(), "cause", "unauthorized"))
                                && m.value() >= 1), scrape::toString);
            }
        }
        List<LogRecord> lines = healthLog.stream().filter(r -> r.getMessage().contains("credentials refused")).toList();
        assertEquals(1, lines.size(), () -> "one line for the change of cause: " + messages());
        for (LogRecord r : healthLog) {
            assertFalse(r.getMessage().contains(WRONG_KEY) || r.getMessage().contains(Backend.QDRANT_API_KEY),
                    () -> "a key in the log: " + r.getMessage());
        }
        assertTrue(lines.getFirst().getMessage().contains("QDRANT_API_KEY"), this::messages);

        // The same function, restarted with the right key (a new revision with the fixed Secret).
        try (Deployment d = Deployments.functions(env)) {
            Response r = health(d);
            Expect.status(r, 200);
            assertEquals("healthy", r.object().getString("status"), r::toString);
            assertEquals("connected", r.object().getJsonObject("qdrant").getString("status"), r::toString);
        }
    }

    @Test
    void defaultCollectionsThatCannotBeCreatedAre503UntilTheyCanBe() throws IOException {
        Path data = Files.createTempDirectory("uncreatable");
        Path collections = data.resolve(EmbeddedQdrant.COLLECTIONS_DIR);
        try (EmbeddedQdrant qdrant = EmbeddedQdrant.start(new EmbeddedQdrant.Options("127.0.0.1", 0, data,
                Backend.QDRANT_API_KEY))) {
            // Qdrant cannot write its storage (a full or read-only volume): creating a collection fails there.
            TempDirs.delete(collections);
            Files.writeString(collections, "not a directory");
            try (Deployment d = Deployments.functions(Deployment.contractEnv(
                    java.net.URI.create("http://127.0.0.1:" + qdrant.port())))) {
                unhealthy(health(d), "collections_missing", false);
                assertTrue(messages().contains("collections missing"), this::messages);

                Files.delete(collections);
                Files.createDirectories(collections);
                // Health creates them as a write would: the function recovers without a restart.
                Response r = health(d);
                Expect.status(r, 200);
                assertEquals("connected", r.object().getJsonObject("qdrant").getString("status"), r::toString);
                assertTrue(messages().contains("serving again"), this::messages);
            }
        } finally {
            TempDirs.delete(data);
        }
    }

    @Test
    void theMetricsBlockCountsTheRequestsOfTheProcessThatAnswers() {
        try (Deployment d = Deployments.functions(Deployment.contractEnv(Backend.url())).bootstrap()) {
            long before = health(d).object().getJsonObject("metrics").getJsonNumber("requests_total").longValueExact();
            Http search = Http.to(d.url(Route.MEMORY_SEARCH)).apiKey(Deployment.KEY);
            for (int i = 0; i < 3; i++) {
                Expect.status(search.get("/collection/info"), 200);
            }
            // The search function's requests are in its own /metrics (api_requests_total), not in this block.
            long after = health(d).object().getJsonObject("metrics").getJsonNumber("requests_total").longValueExact();
            assertEquals(before + 1, after);
        }
    }

    private String messages() {
        return String.join("\n", healthLog.stream().map(LogRecord::getMessage).toList());
    }
}
