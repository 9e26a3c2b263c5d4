package io.vectormemory.tests.reliability;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.RawHttp;
import io.vectormemory.tests.support.Samples;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication on the route table: every protected route refuses every wrong credential with a
 * 401 JSON error before it looks at the request; the open routes are exactly the documented ones; both keys of a
 * rotation work. The routes come from {@link Route#values()}, so a route added to the table is covered at once.
 */
class AuthTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** README: health, capabilities and the OpenAPI document, plus the probes and metrics. */
    private static final Set<String> DOCUMENTED_OPEN = Set.of("GET /health", "GET /capabilities",
            "GET /api-docs/openapi.json");
    private static final List<String> INFRA = List.of(Route.LIVENESS_PATH, Route.READINESS_PATH, Route.METRICS_PATH);

    private static Deployment deployment;

    @BeforeAll
    static void start() {
        Map<String, Set<ApiFunction>> servers = new LinkedHashMap<>();
        servers.put("upsert", EnumSet.of(ApiFunction.UPSERT));
        servers.put("search", EnumSet.of(ApiFunction.SEARCH));
        servers.put("health", EnumSet.of(ApiFunction.HEALTH));
        deployment = Deployment.start(Deployment.contractEnv(Backend.url()), servers).bootstrap();
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    /** Credentials that must not open a protected route: header lines as sent, or a query string to append. */
    private static Map<String, String> wrongCredentials() {
        String key = Deployment.KEY;
        String other = key.substring(0, key.length() - 1) + (key.endsWith("x") ? "y" : "x");
        Map<String, String> c = new LinkedHashMap<>();
        c.put("no key", "");
        c.put("wrong key (last character differs)", "X-API-Key: " + other + "\r\n");
        c.put("wrong key (first character differs)", "X-API-Key: " + (key.startsWith("x") ? "y" : "x")
                + key.substring(1) + "\r\n");
        c.put("unrelated key", "X-API-Key: 9f0c2a1e7d3b4c5a6f8e9d0c1b2a3f4e5d6c7b8a\r\n");
        c.put("empty X-API-Key", "X-API-Key: \r\n");
        c.put("blank X-API-Key", "X-API-Key:    \r\n");
        c.put("key with a suffix", "X-API-Key: " + key + "x\r\n");
        c.put("key with a prefix", "X-API-Key: x" + key + "\r\n");
        c.put("key twice", "X-API-Key: " + key + key + "\r\n");
        c.put("key without its last character", "X-API-Key: " + key.substring(0, key.length() - 1) + "\r\n");
        c.put("key with an inner space", "X-API-Key: " + key.substring(0, 5) + " " + key.substring(5) + "\r\n");
        c.put("key in upper case", "X-API-Key: " + key.toUpperCase(java.util.Locale.ROOT) + "\r\n");
        c.put("both keys of the rotation glued", "X-API-Key: " + key + "," + Deployment.ROTATED_KEY + "\r\n");
        c.put("wrong Bearer", "Authorization: Bearer " + other + "\r\n");
        c.put("empty Bearer", "Authorization: Bearer \r\n");
        c.put("Bearer with two spaces", "Authorization: Bearer  " + key + "\r\n");
        c.put("Bearer without a space", "Authorization: Bearer" + key + "\r\n");
        c.put("scheme Basic", "Authorization: Basic " + Base64.getEncoder()
                .encodeToString(("user:" + key).getBytes(StandardCharsets.UTF_8)) + "\r\n");
        c.put("scheme Token", "Authorization: Token " + key + "\r\n");
        c.put("scheme ApiKey", "Authorization: ApiKey " + key + "\r\n");
        c.put("no scheme", "Authorization: " + key + "\r\n");
        c.put("key in another header", "X-Api-Token: " + key + "\r\nApi-Key: " + key + "\r\n");
        c.put("key in a cookie", "Cookie: X-API-Key=" + key + "; api_key=" + key + "\r\n");
        c.put("?api_key=", "?api_key=" + key);
        c.put("?X-API-Key=", "?X-API-Key=" + key);
        return c;
    }

    @Test
    void everyProtectedRouteRefusesEveryWrongCredentialWith401Json() {
        List<Route> protectedRoutes = List.of(Route.values()).stream()
                .filter(r -> r.access() == Route.Access.KEY).toList();
        Map<String, String> credentials = wrongCredentials();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Route route : protectedRoutes) {
            Samples.Request sample = Samples.valid(route, Deployment.DIMENSION);
            URI base = deployment.url(route);
            for (Map.Entry<String, String> c : credentials.entrySet()) {
                String path = sample.path();
                String headers = c.getValue();
                if (headers.startsWith("?")) {
                    path += (path.contains("?") ? "&" : "?") + headers.substring(1);
                    headers = "";
                }
                RawHttp.Answer a = RawHttp.exchange(base, request(sample, path, headers), TIMEOUT);
                sent++;
                String problem = unauthorized(a);
                if (problem != null) {
                    failures.add(route.label() + " with " + c.getKey() + ": " + problem + " — " + a);
                }
            }
            // The key is checked before the body is read: a broken body without a key is still a 401.
            if (sample.json() != null) {
                RawHttp.Answer a = RawHttp.exchange(base, request(new Samples.Request(sample.method(), sample.path(),
                        "{\"broken"), sample.path(), ""), TIMEOUT);
                sent++;
                String problem = unauthorized(a);
                if (problem != null) {
                    failures.add(route.label() + " with a broken body and no key: " + problem + " — " + a);
                }
            }
        }
        System.out.println("AUTH: " + protectedRoutes.size() + " protected routes x " + credentials.size()
                + " wrong credentials (+ broken body without key) = " + sent + " requests, " + failures.size()
                + " not refused with 401 JSON");
        assertEquals(List.of(), failures);
    }

    private static byte[] request(Samples.Request sample, String path, String headers) {
        byte[] body = sample.body();
        String head = sample.method() + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return h;
        }
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private static String unauthorized(RawHttp.Answer a) {
        if (a.status() != 401) {
            return "status " + a.status();
        }
        if (a.header("content-type") == null || !a.header("content-type").startsWith("application/json")) {
            return "content type " + a.header("content-type");
        }
        if (a.header("x-request-id") == null) {
            return "no x-request-id";
        }
        JsonObject o = io.vectormemory.tests.support.JsonText.parse(a.body()).asJsonObject();
        if (!o.keySet().equals(Set.of("error", "status")) || o.getInt("status") != 401) {
            return "body " + a.body();
        }
        return null;
    }

    @Test
    void theOpenRoutesAreExactlyTheDocumentedOnesAndAnswerWithoutAKey() {
        Set<String> open = List.of(Route.values()).stream().filter(r -> r.access() == Route.Access.OPEN)
                .map(Route::label).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(DOCUMENTED_OPEN), open, "open routes of the route table");
        for (String label : open) {
            Route r = List.of(Route.values()).stream().filter(x -> x.label().equals(label)).findFirst().orElseThrow();
            assertEquals(200, Http.to(deployment.url(r)).get(r.template()).status(), label + " without a key");
        }
        for (ApiFunction f : ApiFunction.values()) {
            for (String path : INFRA) {
                assertEquals(200, Http.to(deployment.url(f)).get(path).status(), f + " " + path + " without a key");
            }
        }
        System.out.println("AUTH: open routes " + open + " + " + INFRA + " on every function");
    }

    @Test
    void bothKeysOfARotationOpenEveryProtectedRouteInBothHeaders() {
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Route route : Route.values()) {
            if (route.access() != Route.Access.KEY) {
                continue;
            }
            Samples.Request sample = Samples.valid(route, Deployment.DIMENSION);
            for (String key : List.of(Deployment.KEY, Deployment.ROTATED_KEY)) {
                for (Http http : List.of(Http.to(deployment.url(route)).apiKey(key),
                        Http.to(deployment.url(route)).bearer(key))) {
                    int status = sample.send(http).status();
                    sent++;
                    if (status == 401 || status >= 500) {
                        failures.add(route.label() + " → " + status);
                    }
                }
            }
        }
        System.out.println("AUTH: " + sent + " requests with one of the two rotated keys, " + failures.size()
                + " refused");
        assertTrue(failures.isEmpty(), failures::toString);
    }
}
