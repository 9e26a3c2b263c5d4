package io.vectormemory.tests;

import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.JsonText;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Samples;
import io.vectormemory.tests.support.Vectors;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Qdrant down or not answering: every route that needs it answers 503 JSON with
 * Retry-After, quickly, with no internal detail; /health is 503 unhealthy; what needs no Qdrant still works.
 * Two kinds of outage: nothing listens on the port (connection refused), and a peer that accepts connections
 * but never answers (only the call deadline ends the wait).
 */
class QdrantOutageTest {
    private static final int QDRANT_TIMEOUT_MS = 1000;
    private static final int HEALTH_TIMEOUT_MS = 300;
    /** Routes that never call Qdrant. */
    private static final Set<Route> STATIC = EnumSet.of(Route.CAPABILITIES, Route.OPENAPI);

    private static Deployment refused;
    private static Deployment hanging;
    private static ServerSocket silentPeer;

    private static Map<String, String> env(URI qdrant) {
        Map<String, String> env = new HashMap<>(Deployment.contractEnv(qdrant));
        env.put("QDRANT_TIMEOUT_MS", Integer.toString(QDRANT_TIMEOUT_MS));
        env.put("HEALTH_TIMEOUT_MS", Integer.toString(HEALTH_TIMEOUT_MS));
        return env;
    }

    @BeforeAll
    static void start() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        refused = Deployments.functions(env(URI.create("http://127.0.0.1:" + closedPort)));
        // Accepts TCP connections (the kernel completes the handshake) but never reads or writes.
        silentPeer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        hanging = Deployments.functions(env(URI.create("http://127.0.0.1:" + silentPeer.getLocalPort())));
    }

    @AfterAll
    static void stop() throws IOException {
        if (refused != null) {
            refused.close();
        }
        if (hanging != null) {
            hanging.close();
        }
        if (silentPeer != null) {
            silentPeer.close();
        }
    }

    private static void unavailable(Response r, Duration within) {
        String message = Expect.error(r, 503);
        String retryAfter = r.header("retry-after").orElse("");
        assertTrue(retryAfter.matches("[1-9][0-9]*"), () -> "Retry-After: " + r);
        for (String leak : List.of("grpc", "Exception", "UNAVAILABLE", "DEADLINE", "127.0.0.1", "io.")) {
            assertFalse(message.contains(leak), () -> "internal detail in the error: " + r);
        }
        assertTrue(r.elapsed().compareTo(within) < 0, () -> "took " + r.elapsed().toMillis() + " ms: " + r);
    }

    private static void unhealthy(Deployment d, Duration within) {
        Response r = Http.to(d.url(Route.HEALTH)).get("/health");
        Expect.status(r, 503);
        Expect.jsonContentType(r);
        JsonObject body = r.object();
        assertEquals("unhealthy", body.getString("status"), r::toString);
        JsonText.assertJson("""
                {"collection_status":"unknown","points_count":0,"status":"disconnected","vectors_count":0}""",
                body.get("qdrant"), r::toString);
        assertEquals("synaplan-qdrant-service", body.getString("service"), r::toString);
        assertTrue(r.header("retry-after").orElse("").matches("[1-9][0-9]*"), r::toString);
        assertTrue(r.elapsed().compareTo(within) < 0, () -> "took " + r.elapsed().toMillis() + " ms: " + r);
    }

    @Test
    void healthIs503UnhealthyWhenNothingListens() {
        unhealthy(refused, Duration.ofMillis(HEALTH_TIMEOUT_MS + 1500));
    }

    @Test
    void healthIs503UnhealthyWithinItsDeadlineWhenQdrantHangs() {
        unhealthy(hanging, Duration.ofMillis(HEALTH_TIMEOUT_MS + 1500));
    }

    @TestFactory
    Stream<DynamicTest> everyRouteThatNeedsQdrantIs503WhenNothingListens() {
        return Stream.of(Route.values()).filter(r -> r != Route.HEALTH && !STATIC.contains(r)).map(route ->
                dynamicTest(route.label(), () -> unavailable(
                        Samples.valid(route, Deployment.DIMENSION).send(Http.to(refused.url(route)).apiKey(Deployment.KEY)),
                        Duration.ofMillis(QDRANT_TIMEOUT_MS + 2000))));
    }

    @TestFactory
    Stream<DynamicTest> callsEndAtTheDeadlineWhenQdrantHangs() {
        return Stream.of(Route.MEMORY_UPSERT, Route.MEMORY_SEARCH, Route.DOCUMENT_STATS).map(route ->
                dynamicTest(route.label(), () -> unavailable(
                        Samples.valid(route, Deployment.DIMENSION).send(Http.to(hanging.url(route)).apiKey(Deployment.KEY)),
                        // ensure-collection and the call itself may each wait for one deadline
                        Duration.ofMillis(3 * QDRANT_TIMEOUT_MS + 1500))));
    }

    @Test
    void whatNeedsNoQdrantStillWorks() {
        for (Route r : STATIC) {
            Expect.status(Http.to(refused.url(r)).get(r.template()), 200);
        }
        for (Route r : List.of(Route.MEMORY_UPSERT, Route.MEMORY_SEARCH, Route.HEALTH)) {
            Http server = Http.to(refused.url(r));
            Expect.status(server.get(Route.LIVENESS_PATH), 200);
            Expect.status(server.get(Route.READINESS_PATH), 200);
        }
    }

    @Test
    void badRequestsAreStill4xxNot503() {
        Http upsert = Http.to(refused.url(Route.MEMORY_UPSERT)).apiKey(Deployment.KEY);
        Expect.error(upsert.post("/memories", "{\"point_id\":"), 400);
        Expect.error(upsert.post("/memories", Data.memory("mem_1_1", Vectors.of(1, 2), Data.memoryPayload(1))), 400,
                "Vector dimension mismatch: expected " + Deployment.DIMENSION + ", got 2");
        Expect.error(upsert.post("/memories", "{}"), 422);
        Expect.error(Http.to(refused.url(Route.MEMORY_UPSERT)).post("/memories", "{}"), 401);
        Expect.error(Http.to(refused.url(Route.MEMORY_SEARCH)).apiKey(Deployment.KEY).post("/memories/search",
                "{\"query_vector\":" + Vectors.json(Vectors.random(Deployment.DIMENSION, 1)) + ",\"user_id\":1,\"limit\":0}"),
                400, "limit must be between 1 and 100, got 0");
    }
}
