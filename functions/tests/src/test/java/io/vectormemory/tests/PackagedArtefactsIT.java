package io.vectormemory.tests;

import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.JavaProcess;
import io.vectormemory.tests.support.JsonText;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.TempDirs;
import io.vectormemory.tests.support.Vectors;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.vectormemory.tests.support.Data.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of the packaged artefacts: the standalone embedded backend and the three function jars as
 * separate processes, as they are deployed (one backend, three services), then the local launcher jar.
 * Runs in {@code mvn verify} after the jars are built.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedArtefactsIT {
    private static final String KEY = "smoke-test-service-key-0123456789abcdef";
    private static final String QDRANT_KEY = "smoke-test-backend-key";
    private static final int DIM = 8;
    private static final int QDRANT_TIMEOUT_MS = 2000;
    private static final int HEALTH_TIMEOUT_MS = 1000;
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(10);
    /** "Within a few seconds" of an outage: the upper bound on any answer while Qdrant is down. */
    private static final Duration OUTAGE_ANSWER = Duration.ofSeconds(3);

    private static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
    private static final Path LOGS = ROOT.resolve("functions/tests/target/smoke-logs");

    private static final List<JavaProcess> processes = new ArrayList<>();
    private static final Map<String, Http> functions = new LinkedHashMap<>();
    private static final List<Path> tempDirs = new ArrayList<>();
    private static JavaProcess backend;
    private static int backendPort;
    private static Path backendData;

    /** Written before the backend is killed; must be there after its restart. */
    private static String survivorId;
    private static String survivorPayload;

    @BeforeAll
    static void startProcesses() throws IOException {
        backendData = Files.createTempDirectory("smoke-backend");
        tempDirs.add(backendData);
        backendPort = JavaProcess.freePort();
        backend = startBackend();
        String qdrantUrl = "http://127.0.0.1:" + backendPort;

        Map<String, JavaProcess> started = new LinkedHashMap<>();
        for (String f : List.of("upsert", "search", "health")) {
            int port = JavaProcess.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("PORT", Integer.toString(port));
            env.put("HOST", "127.0.0.1");
            env.put("QDRANT_URL", qdrantUrl);
            env.put("QDRANT_API_KEY", QDRANT_KEY);
            env.put("SERVICE_API_KEY", KEY);
            env.put("QDRANT_VECTOR_DIMENSION", Integer.toString(DIM));
            env.put("QDRANT_TIMEOUT_MS", Integer.toString(QDRANT_TIMEOUT_MS));
            env.put("HEALTH_TIMEOUT_MS", Integer.toString(HEALTH_TIMEOUT_MS));
            JavaProcess p = JavaProcess.start(f, ROOT.resolve("functions/" + f + "/target/" + f + ".jar"), env, LOGS);
            processes.add(p);
            started.put(f, p);
            functions.put(f, Http.to(URI.create("http://127.0.0.1:" + port)).timeout(CALL));
        }
        started.forEach((f, p) -> p.awaitOk(functions.get(f), "/readyz", STARTUP));
        // Ready means listening; the first Qdrant round trips of cold processes on a busy machine may still miss
        // their deadline. Wait until each function has reached the backend once.
        untilOk(() -> fn("upsert").apiKey(KEY).delete("/memories/warm-up"), STARTUP);
        untilOk(() -> fn("search").apiKey(KEY).get("/collection/info"), STARTUP);
        untilOk(() -> fn("health").get("/health"), STARTUP);
    }

    private static JavaProcess startBackend() {
        JavaProcess p = JavaProcess.start("embedded-qdrant", ROOT.resolve("shared/embedded/target/embedded-qdrant.jar"),
                Map.of("QDRANT_GRPC_PORT", Integer.toString(backendPort),
                        "EMBEDDED_DATA_DIR", backendData.toString(),
                        "QDRANT_API_KEY", QDRANT_KEY), LOGS);
        processes.add(p);
        p.awaitPort(backendPort, STARTUP);
        return p;
    }

    @AfterAll
    static void stopProcesses() {
        for (JavaProcess p : processes.reversed()) {
            p.close();
        }
        tempDirs.forEach(TempDirs::delete);
    }

    private static Http fn(String name) {
        return functions.get(name);
    }

    @Test
    @Order(1)
    void everyFunctionIsLiveReadyAndHealthy() {
        for (Http f : functions.values()) {
            for (String probe : List.of("/livez", "/readyz")) {
                Response r = f.get(probe);
                Expect.status(r, 200);
                assertEquals("OK", r.body(), r::toString);
            }
        }
        Response health = fn("health").get("/health");
        Expect.status(health, 200);
        JsonObject body = health.object();
        assertEquals("healthy", body.getString("status"), health::toString);
        assertEquals("connected", body.getJsonObject("qdrant").getString("status"), health::toString);
        // Each function serves only its routes.
        Expect.error(fn("search").apiKey(KEY).post("/memories", "{}"), 404);
        Expect.error(fn("upsert").get("/health"), 404);
        Expect.error(fn("search").post("/memories/search", "{}"), 401);
    }

    @Test
    @Order(1)
    void everyFunctionLogsWhereItsStartTimeWent() {
        Pattern listening = Pattern.compile("(upsert|search|health) listening on http://127\\.0\\.0\\.1:\\d+,"
                + " \\d+ ms after the JVM started \\(Qdrant client \\d+ ms,"
                + " then waited \\d+ ms for the meter registry\\)");
        for (JavaProcess p : processes) {
            if (p != backend) {
                assertTrue(listening.matcher(p.logText()).find(), () -> p.name() + " logged no start line with its"
                        + " timings\n" + p.logTail());
            }
        }
    }

    @Test
    @Order(1)
    void everyFunctionServesHelidonsJvmMetersFromItsFirstScrape() {
        // Nothing has scraped these processes yet: their JVM and system meters are registered by this first scrape
        // (ProcessMeters.registerProvidedMeters), through either path.
        Map<String, String> firstScrape = Map.of("upsert", "/observe/metrics", "search", "/metrics",
                "health", "/observe/metrics");
        firstScrape.forEach((f, path) -> {
            Response r = fn(f).get(path);
            Expect.status(r, 200);
            for (String jvm : List.of("memory_usedHeap_bytes", "thread_count", "jvm_uptime_seconds", "gc_total")) {
                assertTrue(Pattern.compile("(?m)^" + jvm + "\\{").matcher(r.body()).find(),
                        () -> f + ": " + jvm + " missing from the first scrape of " + path + "\n" + r.body());
            }
        });
    }

    @Test
    @Order(2)
    void whatTheUpsertFunctionWritesTheSearchFunctionFinds() {
        long user = Data.user();
        survivorId = Data.memoryId(user);
        survivorPayload = Data.memoryPayload(user);
        float[] v = Vectors.random(DIM, 7);
        Expect.json(fn("upsert").apiKey(KEY).post("/memories", Data.memory(survivorId, v, survivorPayload)),
                "{\"message\":\"Memory upserted successfully\",\"point_id\":" + str(survivorId) + ",\"success\":true}");

        Response search = fn("search").apiKey(KEY).post("/memories/search",
                "{\"query_vector\":" + Vectors.json(v) + ",\"user_id\":" + user + "}");
        Expect.status(search, 200);
        assertEquals(1, search.object().getInt("count"), search::toString);
        JsonObject hit = search.object().getJsonArray("results").getJsonObject(0);
        assertEquals(survivorId, hit.getString("id"), search::toString);
        assertEquals(1.0, hit.getJsonNumber("score").doubleValue(), 1e-5, search::toString);
        JsonText.assertJson(survivorPayload, hit.get("payload"), search::toString);

        Expect.json(fn("search").apiKey(KEY).get("/memories/" + survivorId),
                "{\"id\":" + str(survivorId) + ",\"payload\":" + survivorPayload + "}");

        String doc = Data.documentId(user, 3, 0);
        Expect.emptyOk(fn("upsert").apiKey(KEY).post("/documents", Data.document(doc, v,
                Data.documentPayload(user, 3, "DEFAULT", 0))));
        Expect.json(fn("search").apiKey(KEY).get("/documents/stats/" + user), """
                {"total_chunks":1,"total_files":1,"total_groups":1,"chunks_by_group":{"DEFAULT":1},\
                "chunks_by_file":{"3":{"chunks":1,"group_key":"DEFAULT"}}}""");
    }

    @Test
    @Order(3)
    void aBackendOutageIsReported503Quickly() {
        backend.kill();

        Response health = fn("health").get("/health");
        Expect.status(health, 503);
        assertEquals("unhealthy", health.object().getString("status"), health::toString);
        assertEquals("disconnected", health.object().getJsonObject("qdrant").getString("status"), health::toString);
        assertTrue(health.elapsed().compareTo(OUTAGE_ANSWER) < 0, () -> health.elapsed() + ": " + health);

        Response upsert = fn("upsert").apiKey(KEY).post("/memories",
                Data.memory(Data.memoryId(1), Vectors.random(DIM, 8), Data.memoryPayload(1)));
        Expect.error(upsert, 503);
        assertTrue(upsert.header("retry-after").orElse("").matches("[1-9][0-9]*"), upsert::toString);
        assertTrue(upsert.elapsed().compareTo(OUTAGE_ANSWER) < 0, () -> upsert.elapsed() + ": " + upsert);

        Response search = fn("search").apiKey(KEY).get("/memories/" + survivorId);
        Expect.error(search, 503);
        assertTrue(search.elapsed().compareTo(OUTAGE_ANSWER) < 0, () -> search.elapsed() + ": " + search);

        // The probes do not depend on Qdrant: Knative keeps the pods.
        for (Http f : functions.values()) {
            Expect.status(f.get("/readyz"), 200);
        }
    }

    @Test
    @Order(4)
    void afterABackendRestartTheFunctionsRecoverAndNoAcknowledgedWriteIsLost() {
        backend = startBackend();
        // Each function's channel reconnects on its own (with a backoff); meanwhile they answer 503.
        Duration recovery = Duration.ofSeconds(30);
        untilOk(() -> fn("health").get("/health"), recovery);
        Response survivor = untilOk(() -> fn("search").apiKey(KEY).get("/memories/" + survivorId), recovery);
        Expect.json(survivor, "{\"id\":" + str(survivorId) + ",\"payload\":" + survivorPayload + "}");
        long user = Data.user();
        String id = Data.memoryId(user);
        String body = Data.memory(id, Vectors.random(DIM, 9), Data.memoryPayload(user));
        untilOk(() -> fn("upsert").apiKey(KEY).post("/memories", body), recovery);
        Expect.status(fn("search").apiKey(KEY).get("/memories/" + id), 200);
    }

    @Test
    @Order(5)
    void aFunctionStopsPromptlyOnSigterm() {
        JavaProcess upsert = processes.stream().filter(p -> p.name().equals("upsert")).findFirst().orElseThrow();
        assertTrue(upsert.terminate(Duration.ofSeconds(10)), () -> "upsert still running 10 s after SIGTERM\n"
                + upsert.logTail());
    }

    @Test
    @Order(6)
    void theLocalLauncherServesEverythingOnOnePort() throws IOException {
        Path data = Files.createTempDirectory("smoke-local");
        tempDirs.add(data);
        int port = JavaProcess.freePort();
        JavaProcess local = JavaProcess.start("local", ROOT.resolve("functions/local/target/local.jar"),
                Map.of("PORT", Integer.toString(port), "LOCAL_DATA_DIR", data.toString(), "SERVICE_API_KEY", KEY),
                LOGS);
        processes.add(local);
        Http http = Http.to(URI.create("http://127.0.0.1:" + port)).timeout(CALL);
        local.awaitOk(http, "/readyz", STARTUP);

        Response health = http.get("/health");
        Expect.status(health, 200);
        assertEquals("healthy", health.object().getString("status"), health::toString);
        assertEquals(1024, http.get("/capabilities").object().getInt("vector_dimension"));

        long user = Data.user();
        String id = Data.memoryId(user);
        String payload = Data.memoryPayload(user);
        float[] v = Vectors.random(1024, 10);
        Expect.error(http.post("/memories", Data.memory(id, v, payload)), 401);
        Expect.status(http.apiKey(KEY).post("/memories", Data.memory(id, v, payload)), 200);
        Expect.json(http.apiKey(KEY).get("/memories/" + id), "{\"id\":" + str(id) + ",\"payload\":" + payload + "}");
        Response search = http.apiKey(KEY).post("/memories/search",
                "{\"query_vector\":" + Vectors.json(v) + ",\"user_id\":" + user + "}");
        Expect.status(search, 200);
        assertEquals(id, search.object().getJsonArray("results").getJsonObject(0).getString("id"), search::toString);
        Expect.json(http.apiKey(KEY).delete("/memories/" + id),
                "{\"message\":\"Memory deleted successfully\",\"point_id\":" + str(id) + ",\"success\":true}");
        Expect.error(http.apiKey(KEY).get("/memories/" + id), 404);
    }

    /** Repeats a request while it answers 503 (Qdrant not reachable yet); anything else ends the wait. */
    private static Response untilOk(java.util.function.Supplier<Response> request, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = request.get();
        while (last.status() == 503 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = request.get();
        }
        Expect.status(last, 200);
        return last;
    }
}
