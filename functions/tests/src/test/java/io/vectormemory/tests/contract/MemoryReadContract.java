package io.vectormemory.tests.contract;

import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.JsonText;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.SipHashIds;
import io.vectormemory.tests.support.Vectors;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static io.vectormemory.tests.support.Data.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory read routes of the search function. */
public interface MemoryReadContract extends ContractTarget {
    int DIM = Deployment.DIMENSION;
    double SCORE_TOLERANCE = 1e-5;

    /** A stored memory as the test wrote it. */
    record Stored(String id, float[] vector, String payload) {
    }

    private Stored store(long user, String category, boolean active, float[] vector, String namespace) {
        String id = Data.memoryId(user);
        String payload = Data.memoryPayload(user, category, active);
        String body = namespace == null ? Data.memory(id, vector, payload) : Data.memory(id, vector, payload, namespace);
        Expect.status(calls().upsertMemory(body), 200);
        return new Stored(id, vector, payload);
    }

    /** Asserts ids, payloads and order of search results, and each score against the cosine computed here. */
    private void assertResults(Response r, float[] query, List<Stored> expected) {
        Expect.status(r, 200);
        JsonObject body = r.object();
        assertEquals(Set.of("results", "count"), body.keySet(), r::toString);
        JsonArray results = body.getJsonArray("results");
        assertEquals(expected.size(), body.getInt("count"), r::toString);
        assertEquals(expected.stream().map(Stored::id).toList(),
                results.stream().map(v -> v.asJsonObject().getString("id")).toList(), r::toString);
        for (int i = 0; i < expected.size(); i++) {
            JsonObject hit = results.getJsonObject(i);
            assertEquals(Set.of("id", "score", "payload"), hit.keySet(), r::toString);
            double want = Vectors.cosine(query, expected.get(i).vector());
            double got = hit.getJsonNumber("score").doubleValue();
            assertEquals(want, got, SCORE_TOLERANCE, r::toString);
            JsonText.assertJson(expected.get(i).payload(), hit.get("payload"), r::toString);
        }
    }

    private static String search(float[] q, long user, String extra) {
        return "{\"query_vector\":" + Vectors.json(q) + ",\"user_id\":" + user + extra + "}";
    }

    @Test
    default void searchRanksTheUsersActiveMemoriesByCosineAboveTheThreshold() {
        long user = Data.user();
        long other = Data.user();
        float[] q = Vectors.random(DIM, 500);
        Stored m1 = store(user, "preferences", true, Vectors.atCosine(q, 0.95, 1), null);
        Stored m2 = store(user, "work", true, Vectors.atCosine(q, 0.85, 2), null);
        Stored m3 = store(user, "preferences", true, Vectors.atCosine(q, 0.75, 3), null);
        Stored m4 = store(user, "preferences", true, Vectors.atCosine(q, 0.6, 4), null);
        Stored m5 = store(user, "preferences", true, Vectors.atCosine(q, -0.3, 5), null);
        store(user, "preferences", false, Vectors.atCosine(q, 0.99, 6), null); // inactive
        store(other, "preferences", true, Vectors.atCosine(q, 0.99, 7), null); // someone else's

        assertResults(calls().searchMemories(search(q, user, ",\"limit\":10,\"min_score\":0.7")), q, List.of(m1, m2, m3));
        assertResults(calls().searchMemories(search(q, user, ",\"limit\":10,\"min_score\":-1")), q,
                List.of(m1, m2, m3, m4, m5));
        assertResults(calls().searchMemories(search(q, user, ",\"limit\":2,\"min_score\":-1")), q, List.of(m1, m2));
        assertResults(calls().searchMemories(search(q, user, ",\"min_score\":0.8")), q, List.of(m1, m2));
        // Category: exact and case-sensitive; "" is a category like any other.
        assertResults(calls().searchMemories(search(q, user, ",\"category\":\"work\",\"min_score\":-1")), q, List.of(m2));
        assertResults(calls().searchMemories(search(q, user, ",\"category\":\"Work\",\"min_score\":-1")), q, List.of());
        assertResults(calls().searchMemories(search(q, user, ",\"category\":\"\",\"min_score\":-1")), q, List.of());
        assertResults(calls().searchMemories(search(q, user, ",\"category\":null")), q, List.of(m1, m2, m3));
        // Unknown user: nothing.
        assertResults(calls().searchMemories(search(q, Data.user(), ",\"min_score\":-1")), q, List.of());
    }

    @Test
    default void memorySearchDefaultsAreLimit5AndMinScore07() {
        long user = Data.user();
        float[] q = Vectors.random(DIM, 501);
        List<Stored> all = new ArrayList<>();
        double[] cosines = {0.99, 0.97, 0.95, 0.93, 0.91, 0.89, 0.87};
        for (int i = 0; i < cosines.length; i++) {
            all.add(store(user, "c", true, Vectors.atCosine(q, cosines[i], 10 + i), null));
        }
        assertResults(calls().searchMemories(search(q, user, "")), q, all.subList(0, 5));

        long second = Data.user();
        Stored above = store(second, "c", true, Vectors.atCosine(q, 0.72, 20), null);
        store(second, "c", true, Vectors.atCosine(q, 0.68, 21), null);
        assertResults(calls().searchMemories(search(q, second, "")), q, List.of(above));
    }

    @Test
    default void searchLimitIsCappedAndValidated() {
        long user = Data.user();
        float[] q = Vectors.random(DIM, 502);
        Stored m = store(user, "c", true, Vectors.atCosine(q, 0.9, 30), null);
        Expect.error(calls().searchMemories(search(q, user, ",\"limit\":0")), 400,
                "limit must be between 1 and 100, got 0");
        Expect.error(calls().searchMemories(search(q, user, ",\"limit\":101")), 400,
                "limit must be between 1 and 100, got 101");
        assertResults(calls().searchMemories(search(q, user, ",\"limit\":100")), q, List.of(m));
        assertResults(calls().searchMemories(search(q, user, ",\"limit\":1")), q, List.of(m));
        for (String bad : List.of("-1", "1.5", "null", "\"5\"", "true", "18446744073709551616")) {
            Expect.errorContains(calls().searchMemories(search(q, user, ",\"limit\":" + bad)), 422, "limit");
        }
        for (String bad : List.of("null", "\"0.5\"", "[]")) {
            Expect.errorContains(calls().searchMemories(search(q, user, ",\"min_score\":" + bad)), 422, "min_score");
        }
    }

    @Test
    default void searchRequestErrors() {
        long user = Data.user();
        Expect.error(calls().searchMemories(search(Vectors.of(1, 2), user, "")), 400,
                "Query vector dimension mismatch: expected " + DIM + ", got 2");
        Expect.errorContains(calls().searchMemories("{\"query_vector\":" + Vectors.json(Vectors.random(DIM, 1)) + "}"),
                422, "user_id");
        Expect.errorContains(calls().searchMemories("{\"user_id\":1}"), 422, "query_vector");
        Expect.errorContains(calls().searchMemories(search(Vectors.random(DIM, 1), user, ",\"category\":5")), 422,
                "category");
        Expect.errorContains(calls().searchMemories("{\"query_vector\":" + Vectors.json(Vectors.random(DIM, 1))
                + ",\"user_id\":\"1\"}"), 422, "user_id");
        Expect.errorStartsWith(calls().searchMemories("{\"query_vector\":[1,2"), 400,
                "Failed to parse the request body as JSON");
    }

    @Test
    default void searchInANamespaceSeesOnlyThatNamespace() {
        long user = Data.user();
        String ns = Data.namespace();
        float[] q = Vectors.random(DIM, 503);
        Stored inNs = store(user, "c", true, Vectors.atCosine(q, 0.9, 40), ns);
        Stored inDefault = store(user, "c", true, Vectors.atCosine(q, 0.8, 41), null);
        assertResults(calls().searchMemories(search(q, user, ",\"namespace\":" + str(ns))), q, List.of(inNs));
        assertResults(calls().searchMemories(search(q, user, "")), q, List.of(inDefault));
        // Nobody ever wrote to this namespace: an empty result, not an error.
        Expect.json(calls().searchMemories(search(q, user, ",\"namespace\":" + str(Data.namespace()))),
                "{\"results\":[],\"count\":0}");
    }

    // ---- scroll ----

    private static String scroll(long user, String extra) {
        return "{\"user_id\":" + user + extra + "}";
    }

    private static String memoriesJson(List<Stored> list) {
        List<String> items = new ArrayList<>();
        for (Stored s : list) {
            items.add("{\"id\":" + str(s.id()) + ",\"payload\":" + s.payload() + "}");
        }
        return Data.array(items);
    }

    /** Scroll order is the Qdrant point id order, i.e. the unsigned SipHash of the string id. */
    private static List<Stored> inIdOrder(List<Stored> list) {
        List<Stored> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparing(Stored::id, (a, b) -> Long.compareUnsigned(SipHashIds.of(a), SipHashIds.of(b))));
        return sorted;
    }

    @Test
    default void scrollListsTheUsersActiveMemoriesInIdOrder() {
        long user = Data.user();
        List<Stored> active = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            active.add(store(user, i == 2 ? "work" : "c", true, Vectors.random(DIM, 50 + i), null));
        }
        store(user, "c", false, Vectors.random(DIM, 56), null);
        store(Data.user(), "c", true, Vectors.random(DIM, 57), null);
        List<Stored> ordered = inIdOrder(active);
        Expect.json(calls().scrollMemories(scroll(user, "")),
                "{\"memories\":" + memoriesJson(ordered) + ",\"count\":5,\"next_offset\":null}");
        Expect.json(calls().scrollMemories(scroll(user, ",\"category\":\"work\"")),
                "{\"memories\":" + memoriesJson(List.of(active.get(2))) + ",\"count\":1,\"next_offset\":null}");
        Expect.json(calls().scrollMemories(scroll(Data.user(), ",\"limit\":10")),
                "{\"memories\":[],\"count\":0,\"next_offset\":null}");
    }

    @Test
    default void scrollPagesWithAnOpaqueCursor() {
        long user = Data.user();
        List<Stored> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(store(user, "c", true, Vectors.random(DIM, 60 + i), null));
        }
        List<Stored> ordered = inIdOrder(all);
        List<String> seen = new ArrayList<>();
        String offset = null;
        int[] pageSizes = {2, 2, 1};
        for (int page = 0; page < pageSizes.length; page++) {
            Response r = calls().scrollMemories(scroll(user, ",\"limit\":2"
                    + (offset == null ? "" : ",\"offset\":" + str(offset))));
            Expect.status(r, 200);
            JsonObject body = r.object();
            assertEquals(pageSizes[page], body.getInt("count"), r::toString);
            JsonText.assertJson(memoriesJson(ordered.subList(seen.size(), seen.size() + pageSizes[page])),
                    body.get("memories"), r::toString);
            body.getJsonArray("memories").forEach(m -> seen.add(m.asJsonObject().getString("id")));
            if (page < pageSizes.length - 1) {
                assertEquals(JsonValue.ValueType.STRING, body.get("next_offset").getValueType(), r::toString);
                offset = body.getString("next_offset");
            } else {
                assertEquals(JsonValue.NULL, body.get("next_offset"), r::toString);
            }
        }
        assertEquals(ordered.stream().map(Stored::id).toList(), seen);
        Expect.error(calls().scrollMemories(scroll(user, ",\"offset\":\"not a cursor!\"")), 400,
                "Invalid offset: not a cursor returned as next_offset");
        Expect.errorContains(calls().scrollMemories(scroll(user, ",\"offset\":5")), 422, "offset");
    }

    @Test
    default void scrollLimitIsCappedAndDefaultsTo1000() {
        long user = Data.user();
        Expect.error(calls().scrollMemories(scroll(user, ",\"limit\":0")), 400,
                "limit must be between 1 and 10000, got 0");
        Expect.error(calls().scrollMemories(scroll(user, ",\"limit\":10001")), 400,
                "limit must be between 1 and 10000, got 10001");
        Expect.errorContains(calls().scrollMemories(scroll(user, ",\"limit\":-1")), 422, "limit");
        Expect.errorContains(calls().scrollMemories(scroll(user, ",\"limit\":2.0")), 422, "limit");
        Expect.errorContains(calls().scrollMemories("{\"limit\":5}"), 422, "user_id");

        List<String> points = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            points.add(Data.memory(Data.memoryId(user), Vectors.random(DIM, 1000 + i), Data.memoryPayload(user)));
        }
        Expect.json(calls().memoryBatch("{\"points\":" + Data.array(points.subList(0, 1000)) + "}"),
                "{\"success_count\":1000,\"failed_count\":0}");
        Response exactly = calls().scrollMemories(scroll(user, ""));
        Expect.status(exactly, 200);
        assertEquals(1000, exactly.object().getInt("count"), exactly::toString);
        assertEquals(JsonValue.NULL, exactly.object().get("next_offset"), exactly::toString);

        Expect.json(calls().memoryBatch("{\"points\":[" + points.get(1000) + "]}"),
                "{\"success_count\":1,\"failed_count\":0}");
        Response first = calls().scrollMemories(scroll(user, ""));
        Expect.status(first, 200);
        assertEquals(1000, first.object().getInt("count"), first::toString);
        assertEquals(1000, first.object().getJsonArray("memories").size(), first::toString);
        String next = first.object().getString("next_offset");
        Response rest = calls().scrollMemories(scroll(user, ",\"limit\":10000,\"offset\":" + str(next)));
        Expect.status(rest, 200);
        assertEquals(1, rest.object().getInt("count"), rest::toString);
        assertEquals(JsonValue.NULL, rest.object().get("next_offset"), rest::toString);
    }

    @Test
    default void searchOfANamespaceNobodyWroteIsEmpty() {
        // The search goes straight to Qdrant; the missing collection's error becomes an empty answer.
        Expect.json(calls().searchMemories(search(Vectors.random(DIM, 72), Data.user(),
                        ",\"namespace\":" + str(Data.namespace()))), "{\"results\":[],\"count\":0}");
    }

    @Test
    default void scrollOfANamespaceNobodyWroteIsEmpty() {
        Expect.json(calls().scrollMemories(scroll(Data.user(), ",\"namespace\":" + str(Data.namespace()))),
                "{\"memories\":[],\"count\":0,\"next_offset\":null}");
    }

    // ---- get ----

    @Test
    default void getReturnsTheMemoryActiveOrNot() {
        long user = Data.user();
        Stored inactive = store(user, "c", false, Vectors.random(DIM, 70), null);
        Expect.json(calls().getMemory(inactive.id()),
                "{\"id\":" + str(inactive.id()) + ",\"payload\":" + inactive.payload() + "}");
        // The PHP client sends a JSON content type on every request, GET included.
        Expect.json(calls().http(Route.MEMORY_GET).send("GET",
                "/memories/" + inactive.id(), "application/json", null),
                "{\"id\":" + str(inactive.id()) + ",\"payload\":" + inactive.payload() + "}");
        Expect.error(calls().getMemory("mem_missing_" + user), 404, "Memory not found: mem_missing_" + user);
        Expect.error(calls().getMemory(inactive.id(), Data.namespace()), 404, "Memory not found: " + inactive.id());
    }

    @Test
    default void idsNamedLikeRouteSegmentsAreStillReachable() {
        // Only static segments of the same route shape shadow ids: "user" is an id here.
        long user = Data.user();
        String ns = Data.namespace();
        String payload = Data.memoryPayload(user);
        for (String id : List.of("user", "stats", "groups")) {
            Expect.status(calls().upsertMemory(Data.memory(id, Vectors.random(DIM, 71), payload, ns)), 200);
            Expect.json(calls().getMemory(id, ns), "{\"id\":" + str(id) + ",\"payload\":" + payload + "}");
        }
    }

    // ---- collection info ----

    @Test
    default void collectionInfoCountsTheNamespacesPoints() {
        long user = Data.user();
        String ns = Data.namespace();
        for (int i = 0; i < 3; i++) {
            store(user, "c", i != 0, Vectors.random(DIM, 80 + i), ns);
        }
        Response r = calls().collectionInfo(ns);
        Expect.status(r, 200);
        JsonObject info = r.object();
        assertEquals(Set.of("status", "points_count", "vectors_count", "indexed_vectors_count"),
                info.keySet(), r::toString);
        // yellow while the backend optimizes in the background (merges, graph building), as Qdrant says
        assertTrue(Set.of("green", "yellow").contains(info.getString("status")), r::toString);
        assertEquals(3, info.getJsonNumber("points_count").longValueExact(), r::toString);
        assertEquals(3, info.getJsonNumber("vectors_count").longValueExact(), r::toString);
        long indexed = info.getJsonNumber("indexed_vectors_count").longValueExact();
        assertTrue(indexed >= 0 && indexed <= 3, r::toString);

        Response base = calls().collectionInfo(null);
        Expect.status(base, 200);
        assertTrue(Set.of("green", "yellow").contains(base.object().getString("status")), base::toString);
    }

    @Test
    default void collectionInfoOfANamespaceNobodyWroteIs404() {
        Expect.error(calls().collectionInfo(Data.namespace()), 404);
    }
}
