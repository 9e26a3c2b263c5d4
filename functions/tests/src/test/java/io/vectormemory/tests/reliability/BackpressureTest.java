package io.vectormemory.tests.reliability;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.TcpProxy;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backpressure ({@code MAX_CONCURRENT_REQUESTS}): past the limit a request is refused at once with 503 JSON and
 * Retry-After instead of waiting behind the others, the admitted ones finish normally, and the probes and metrics
 * keep answering while the API is saturated.
 */
class BackpressureTest {
    private static final int LIMIT = 4;
    private static final int CLIENTS = 16;
    private static final long LINK_DELAY_MS = 300;

    private static TcpProxy link;
    private static Deployment deployment;
    private static String id;

    @BeforeAll
    static void start() {
        link = TcpProxy.to(Backend.url().getPort());
        Map<String, String> env = new HashMap<>(Deployment.contractEnv(URI.create("http://127.0.0.1:" + link.port())));
        env.put("MAX_CONCURRENT_REQUESTS", Integer.toString(LIMIT));
        deployment = Deployment.start(env, Map.of("search", EnumSet.of(ApiFunction.SEARCH),
                "upsert", EnumSet.of(ApiFunction.UPSERT))).bootstrap();
        long user = Data.user();
        id = Data.memoryId(user);
        Expect.status(Http.to(deployment.url(Route.MEMORY_UPSERT)).apiKey(Deployment.KEY).post("/memories",
                Data.memory(id, Vectors.random(Deployment.DIMENSION, 1), Data.memoryPayload(user))), 200);
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            deployment.close();
        }
        if (link != null) {
            link.close();
        }
    }

    @Test
    void pastTheLimitRequestsAreRefusedAtOnceAndProbesStillAnswer() throws Exception {
        Http search = Http.to(deployment.url(Route.MEMORY_GET)).apiKey(Deployment.KEY);
        link.delay(LINK_DELAY_MS);
        List<Future<Response>> answers = new ArrayList<>();
        List<Response> probes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            for (int i = 0; i < CLIENTS; i++) {
                answers.add(pool.submit(() -> search.get("/memories/" + id)));
            }
            Thread.sleep(LINK_DELAY_MS);
            for (String probe : List.of(Route.LIVENESS_PATH, Route.READINESS_PATH, Route.METRICS_PATH)) {
                probes.add(Http.to(deployment.url(Route.MEMORY_GET)).get(probe));
            }
        } finally {
            link.delay(0);
        }
        int ok = 0;
        int refused = 0;
        long slowestRefusal = 0;
        for (Future<Response> f : answers) {
            Response r = f.get();
            if (r.status() == 200) {
                ok++;
            } else {
                Expect.error(r, 503, "Too many concurrent requests, retry later");
                assertEquals("1", r.header("retry-after").orElse(null), r::toString);
                slowestRefusal = Math.max(slowestRefusal, r.elapsed().toMillis());
                refused++;
            }
        }
        System.out.println("BACKPRESSURE: limit " + LIMIT + ", " + CLIENTS + " concurrent requests (each Qdrant call "
                + ">= " + 2 * LINK_DELAY_MS + " ms): " + ok + " served, " + refused + " refused with 503 + Retry-After,"
                + " slowest refusal " + slowestRefusal + " ms; probes while saturated " + probes.stream()
                .map(p -> p.uri().getPath() + "=" + p.status() + " in " + p.elapsed().toMillis() + " ms").toList());
        assertTrue(ok >= 1 && ok <= LIMIT, "served: " + ok);
        assertTrue(refused >= CLIENTS - LIMIT, "refused: " + refused);
        assertTrue(slowestRefusal < 2 * LINK_DELAY_MS, "a refusal must not wait for the admitted requests: "
                + slowestRefusal + " ms");
        for (Response p : probes) {
            assertEquals(200, p.status(), p::toString);
        }
        Expect.status(search.get("/memories/" + id), 200);
    }
}
