package io.vectormemory.tests.contract;

import io.helidon.http.Method;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.Paths;
import io.vectormemory.tests.support.Response;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * What every server answers the same way whatever it mounts: unknown paths, wrong methods, auth on each of
 * its routes, HEAD, CORS preflight, request ids, probes and metrics.
 */
public interface CommonContract extends ContractTarget {

    @Test
    default void unknownPathIsJson404WithoutKey() {
        for (String path : List.of("/", "/nope", "/memories/a/b/c", "/documents/stats/1/x", "/health/", "/stats",
                "/info", "/collection", "/memories/user/7/x")) {
            Response r = anonymous().get(path);
            Expect.error(r, 404);
            assertEquals("*", r.header("access-control-allow-origin").orElse(null), r::toString);
        }
        Expect.error(anonymous().post("/nope", "{}"), 404);
        Expect.error(anonymous().delete("/nope/deeper"), 404);
        // Also with a key: unknown is unknown.
        Expect.error(withKey().get("/nope"), 404);
    }

    @Test
    default void probesAnswerWithoutKeyOrQdrant() {
        for (String path : List.of(Route.LIVENESS_PATH, Route.READINESS_PATH)) {
            Response r = anonymous().get(path);
            Expect.status(r, 200);
            assertEquals("OK", r.body(), r::toString);
        }
    }

    @Test
    default void metricsAreServedInPrometheusFormat() {
        Expect.status(anonymous().get("/nope"), 404); // at least one request recorded by this server
        Response r = anonymous().header("Accept", "text/plain").get(Route.METRICS_PATH);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("content-type").orElse("").startsWith("text/plain"), r::toString);
        assertTrue(r.body().contains("api_requests_total{"), r::toString);
        assertTrue(r.body().contains("# TYPE"), r::toString);
    }

    @Test
    default void probesAndScrapesAreNotCountedAsApiRequests() {
        Expect.status(anonymous().get(Route.LIVENESS_PATH), 200);
        Expect.status(anonymous().get(Route.READINESS_PATH), 200);
        Expect.status(anonymous().get(Route.METRICS_PATH), 200);
        String metrics = anonymous().get(Route.METRICS_PATH).body();
        for (String path : Route.INFRA_PATHS) {
            assertTrue(!metrics.contains("route=\"GET " + path + "\""), () -> path + " counted: " + metrics);
        }
    }

    /**
     * What the public URL's fallback rule sends (knative/base/gateway.yaml): a request no route matched there,
     * marked by a header. Whatever this server mounts, the answer comes from the whole route table and no handler,
     * probe or scrape runs.
     */
    @Test
    default void requestsThePublicUrlMatchedToNoRouteAreAnsweredFromTheWholeTable() {
        Http fallback = withKey().header("x-vector-memory-unmatched", "1");
        Expect.error(fallback.get("/nope"), 404);
        Expect.error(fallback.get(Route.METRICS_PATH), 404);
        Expect.error(fallback.get(Route.LIVENESS_PATH), 404);
        Expect.methodNotAllowed(fallback.send("PATCH", "/memories", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8)), "POST");
        Expect.methodNotAllowed(fallback.get("/memories/user/42"), "DELETE");
        Expect.methodNotAllowed(fallback.send("PUT", "/memories/some-id", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8)), "GET", "HEAD", "DELETE");
        // A route of the table never comes that way: a plain 404, and no handler runs (its answer would be 422).
        Expect.error(fallback.post("/memories", "{}"), 404);
        Expect.error(fallback.get("/health"), 404);
    }

    @Test
    default void requestIdIsEchoedOrGenerated() {
        Response own = anonymous().header("x-request-id", "client-id-123").get(Route.LIVENESS_PATH);
        assertEquals("client-id-123", own.header("x-request-id").orElse(null), own::toString);

        Response generated = anonymous().get("/nope");
        Expect.isUuid(generated.header("x-request-id").orElseThrow(), generated);

        // Too long to echo: replaced by a fresh id.
        Response tooLong = anonymous().header("x-request-id", "x".repeat(129)).get("/nope");
        Expect.isUuid(tooLong.header("x-request-id").orElseThrow(), tooLong);

        // Two requests never share a generated id.
        assertNotEquals(generated.header("x-request-id"), anonymous().get("/nope").header("x-request-id"));
    }

    /** The first route of each template this server mounts, and the methods it allows there. */
    private Map<String, Set<String>> allowedByTemplate() {
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        for (Route r : subjectRoutes()) {
            Set<String> m = allowed.computeIfAbsent(r.template(), t -> new LinkedHashSet<>());
            m.add(r.method().text());
            if (r.method() == Method.GET) {
                m.add("HEAD");
            }
        }
        return allowed;
    }

    @TestFactory
    default Stream<DynamicTest> wrongMethodIs405WithAllowBeforeAuth() {
        List<DynamicTest> tests = new ArrayList<>();
        allowedByTemplate().forEach((template, allowed) -> {
            String path = template.replace("{point_id}", "some-id").replace("{user_id}", "7");
            for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")) {
                if (allowed.contains(method)) {
                    continue;
                }
                tests.add(dynamicTest(method + " " + template, () -> {
                    Response r = anonymous().send(method, path, "application/json",
                            method.equals("GET") || method.equals("HEAD") ? null
                                    : "{}".getBytes(StandardCharsets.UTF_8));
                    if (method.equals("HEAD")) {
                        Expect.status(r, 405);
                        assertEquals("", r.body(), r::toString);
                        Set<String> got = new TreeSet<>(List.of(r.header("allow").orElse("").split(",")));
                        assertEquals(new TreeSet<>(allowed), got, r::toString);
                    } else {
                        Expect.methodNotAllowed(r, allowed.toArray(String[]::new));
                    }
                }));
            }
        });
        return tests.stream();
    }

    @TestFactory
    default Stream<DynamicTest> protectedRoutesRefuseMissingOrWrongKeys() {
        return subjectRoutes().stream().filter(r -> r.access() == Route.Access.KEY).map(route ->
                dynamicTest(route.label(), () -> {
                    String path = Paths.of(route, "auth-probe", Data.user());
                    for (Http client : List.of(anonymous(), anonymous().apiKey("wrong-key"),
                            anonymous().apiKey(Deployment.KEY + "x"), anonymous().apiKey(""),
                            anonymous().bearer("wrong-key"), anonymous().header("Authorization", Deployment.KEY),
                            anonymous().header("Authorization", "Basic " + Deployment.KEY),
                            anonymous().header("Authorization", "bearer " + Deployment.KEY))) {
                        // Auth is checked before the body is read: even bad JSON gets the 401.
                        Response r = client.send(route.method().text(), path, "application/json",
                                route.method() == Method.POST ? "{not json".getBytes(StandardCharsets.UTF_8) : null);
                        Expect.error(r, 401);
                    }
                    if (route.method() == Method.GET) {
                        Response head = anonymous().head(path);
                        Expect.status(head, 401);
                        assertEquals("", head.body(), head::toString);
                    }
                }));
    }

    /** What a route answers to a valid key and the least request: shows the key was accepted. */
    private static int statusWithValidKey(Route route) {
        if (route.method() == Method.POST) {
            return 422; // "{}" lacks the required fields
        }
        return switch (route) {
            case MEMORY_GET, DOCUMENT_GET -> 404;
            default -> 200;
        };
    }

    @TestFactory
    default Stream<DynamicTest> protectedRoutesAcceptEitherHeaderAndEveryConfiguredKey() {
        return subjectRoutes().stream().filter(r -> r.access() == Route.Access.KEY).map(route ->
                dynamicTest(route.label(), () -> {
                    for (Http client : List.of(anonymous().apiKey(Deployment.KEY),
                            anonymous().apiKey(Deployment.ROTATED_KEY), anonymous().bearer(Deployment.KEY),
                            anonymous().bearer(Deployment.ROTATED_KEY))) {
                        String path = Paths.of(route, "auth-probe-" + Data.user(), Data.user());
                        Response r = client.send(route.method().text(), path, "application/json",
                                route.method() == Method.POST ? "{}".getBytes(StandardCharsets.UTF_8) : null);
                        Expect.status(r, statusWithValidKey(route));
                    }
                }));
    }

    @TestFactory
    default Stream<DynamicTest> openRoutesNeedNoKey() {
        return subjectRoutes().stream().filter(r -> r.access() == Route.Access.OPEN).map(route ->
                dynamicTest(route.label(), () -> Expect.status(anonymous().get(route.template()), 200)));
    }

    @TestFactory
    default Stream<DynamicTest> headAnswersLikeGetWithoutBody() {
        return subjectRoutes().stream().filter(r -> r.method() == Method.GET).map(route ->
                dynamicTest(route.label(), () -> {
                    String path = Paths.of(route, "head-probe", Data.user());
                    Response get = withKey().get(path);
                    Response head = withKey().head(path);
                    Expect.status(head, get.status());
                    assertEquals("", head.body(), head::toString);
                    assertEquals(get.header("content-type"), head.header("content-type"), head::toString);
                }));
    }

    @TestFactory
    default Stream<DynamicTest> optionsPreflightIsAnsweredWithoutKey() {
        List<String> paths = new ArrayList<>();
        subjectRoutes().forEach(r -> paths.add(Paths.of(r)));
        paths.add("/not/a/route");
        return paths.stream().distinct().map(path -> dynamicTest("OPTIONS " + path, () -> {
            Response r = anonymous().header("Origin", "https://platform.example")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "x-api-key,content-type")
                    .options(path);
            assertEquals(200, r.status(), r::toString);
            assertEquals("", r.body(), r::toString);
            assertEquals("*", r.header("access-control-allow-origin").orElse(null), r::toString);
            assertEquals("*", r.header("access-control-allow-methods").orElse(null), r::toString);
            assertEquals("*", r.header("access-control-allow-headers").orElse(null), r::toString);
        }));
    }
}
