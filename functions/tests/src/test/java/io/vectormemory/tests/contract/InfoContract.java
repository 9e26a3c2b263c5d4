package io.vectormemory.tests.contract;

import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.JsonText;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routes of the health function. */
public interface InfoContract extends ContractTarget {

    private static long integer(JsonObject o, String key, Response r) {
        JsonValue v = o.get(key);
        assertTrue(v instanceof JsonNumber n && n.isIntegral(), () -> key + " is not an integer: " + r);
        return ((JsonNumber) v).longValueExact();
    }

    private long defaultCollectionPoints() {
        Response info = calls().collectionInfo(null);
        Expect.status(info, 200);
        return info.object().getJsonNumber("points_count").longValueExact();
    }

    @Test
    default void healthIs200HealthyWithRealCountsAndNeedsNoKey() {
        long user = Data.user();
        long before = defaultCollectionPoints();
        for (int i = 0; i < 2; i++) {
            Expect.status(calls().upsertMemory(Data.memory(Data.memoryId(user),
                    Vectors.random(Deployment.DIMENSION, i), Data.memoryPayload(user))), 200);
        }
        Response r = anonymous().get("/health");
        Expect.status(r, 200);
        Expect.jsonContentType(r);
        JsonObject body = r.object();
        assertEquals(Set.of("metrics", "qdrant", "service", "status", "uptime_seconds", "version"), body.keySet(),
                r::toString);
        assertEquals("healthy", body.getString("status"), r::toString);
        assertEquals("synaplan-qdrant-service", body.getString("service"), r::toString);
        assertTrue(integer(body, "uptime_seconds", r) >= 0, r::toString);
        String version = body.getString("version");
        assertFalse(version.isBlank() || version.equals("unknown"), r::toString);
        JsonObject qdrant = body.getJsonObject("qdrant");
        assertEquals(Set.of("collection_status", "points_count", "status", "vectors_count"), qdrant.keySet(),
                r::toString);
        assertEquals("connected", qdrant.getString("status"), r::toString);
        // yellow while the backend optimizes in the background (merges, graph building), as Qdrant says
        assertTrue(Set.of("green", "yellow").contains(qdrant.getString("collection_status")), r::toString);
        assertEquals(before + 2, integer(qdrant, "points_count", r), r::toString);
        assertEquals(before + 2, integer(qdrant, "vectors_count", r), r::toString);
    }

    @Test
    default void healthCountsThisServersRequests() {
        JsonObject first = metrics(anonymous().get("/health"));
        JsonObject second = metrics(anonymous().get("/health"));
        assertEquals(first.getJsonNumber("requests_total").longValueExact() + 1,
                second.getJsonNumber("requests_total").longValueExact(), second::toString);
        assertEquals(first.getJsonNumber("requests_failed").longValueExact(),
                second.getJsonNumber("requests_failed").longValueExact(), second::toString);
        Expect.error(anonymous().get("/no-such-route"), 404);
        JsonObject third = metrics(anonymous().get("/health"));
        assertEquals(second.getJsonNumber("requests_total").longValueExact() + 2,
                third.getJsonNumber("requests_total").longValueExact(), third::toString);
        assertEquals(second.getJsonNumber("requests_failed").longValueExact() + 1,
                third.getJsonNumber("requests_failed").longValueExact(), third::toString);
    }

    private static JsonObject metrics(Response r) {
        Expect.status(r, 200);
        JsonObject m = r.object().getJsonObject("metrics");
        assertEquals(Set.of("requests_failed", "requests_success", "requests_total", "success_rate_percent"),
                m.keySet(), r::toString);
        long total = integer(m, "requests_total", r);
        long failed = integer(m, "requests_failed", r);
        long success = integer(m, "requests_success", r);
        assertTrue(total >= 1, r::toString);
        assertEquals(total - failed, success, r::toString);
        assertEquals(String.format(Locale.ROOT, "%.2f", success * 100.0 / total), m.getString("success_rate_percent"),
                r::toString);
        return m;
    }

    @Test
    default void headOfHealthHasNoBody() {
        Response r = anonymous().head("/health");
        Expect.status(r, 200);
        assertEquals("", r.body(), r::toString);
    }

    @Test
    default void capabilitiesAreStaticAndCacheable() {
        Response r = anonymous().get("/capabilities");
        String version = anonymous().get("/health").object().getString("version");
        Expect.json(r, """
                {"service":"synaplan-qdrant-service","version":"%s","vector_dimension":%d,\
                "embedding":{"supported":false,"backend":"none","device":"none","vector_dimension":%d}}"""
                .formatted(version, Deployment.DIMENSION, Deployment.DIMENSION));
        assertEquals("public, max-age=30", r.header("cache-control").orElse(null), r::toString);
    }

    @Test
    default void serviceInfoDescribesTheDefaultCollection() {
        long points = defaultCollectionPoints();
        Response r = withKey().get("/service/info");
        Expect.status(r, 200);
        JsonObject body = r.object();
        assertEquals(Set.of("collection", "embedding", "java_version", "service", "status", "version"), body.keySet(),
                r::toString);
        JsonText.assertJson("""
                {"backend":"none","device":"none","model":null,"supported":false,"vector_dimension":%d}"""
                .formatted(Deployment.DIMENSION), body.get("embedding"), r::toString);
        assertEquals("healthy", body.getString("status"), r::toString);
        assertEquals("synaplan-qdrant-service", body.getString("service"), r::toString);
        assertEquals(Runtime.version().toString(), body.getString("java_version"), r::toString);
        assertEquals(anonymous().get("/health").object().getString("version"), body.getString("version"));
        JsonObject collection = body.getJsonObject("collection");
        assertEquals(Set.of("indexed_vectors_count", "points_count", "status", "vectors_count"), collection.keySet(),
                r::toString);
        assertTrue(Set.of("green", "yellow").contains(collection.getString("status")), r::toString);
        assertEquals(points, integer(collection, "points_count", r), r::toString);
        assertEquals(points, integer(collection, "vectors_count", r), r::toString);
        long indexed = integer(collection, "indexed_vectors_count", r);
        assertTrue(indexed >= 0 && indexed <= points, r::toString);
    }

    @Test
    default void openApiDocumentListsEveryRoute() {
        Response r = anonymous().get("/api-docs/openapi.json");
        Expect.status(r, 200);
        Expect.jsonContentType(r);
        JsonObject doc = r.object();
        assertEquals("3.1.0", doc.getString("openapi"), r::toString);
        Map<String, Set<String>> expected = new HashMap<>();
        for (Route route : Route.values()) {
            expected.computeIfAbsent(route.template(), t -> new HashSet<>())
                    .add(route.method().text().toLowerCase(Locale.ROOT));
        }
        JsonObject paths = doc.getJsonObject("paths");
        assertEquals(expected.keySet(), paths.keySet(), r::toString);
        expected.forEach((template, methods) -> {
            assertEquals(methods, paths.getJsonObject(template).keySet(), template);
        });
        for (Route route : Route.values()) {
            JsonObject op = paths.getJsonObject(route.template())
                    .getJsonObject(route.method().text().toLowerCase(Locale.ROOT));
            assertEquals(route.function().id(), op.getString("x-function"), route.label());
        }
    }
}
