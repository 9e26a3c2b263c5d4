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
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The document read routes of the search function. */
public interface DocumentReadContract extends ContractTarget {
    int DIM = Deployment.DIMENSION;
    double SCORE_TOLERANCE = 1e-5;

    record Chunk(String id, float[] vector, String payload) {
    }

    private Chunk chunk(long user, long file, String group, int index, float[] vector, String extra) {
        String id = Data.documentId(user, file, index);
        String payload = Data.documentPayload(user, file, group, index);
        if (extra != null) {
            payload = payload.substring(0, payload.length() - 1) + "," + extra + "}";
        }
        Expect.emptyOk(calls().upsertDocument(Data.document(id, vector, payload)));
        return new Chunk(id, vector, payload);
    }

    private void assertHits(Response r, float[] query, List<Chunk> expected) {
        Expect.status(r, 200);
        Expect.jsonContentType(r);
        JsonArray hits = r.array();
        assertEquals(expected.stream().map(Chunk::id).toList(),
                hits.stream().map(h -> h.asJsonObject().getString("id")).toList(), r::toString);
        for (int i = 0; i < expected.size(); i++) {
            JsonObject hit = hits.getJsonObject(i);
            assertEquals(Set.of("id", "score", "payload"), hit.keySet(), r::toString);
            assertEquals(Vectors.cosine(query, expected.get(i).vector()), hit.getJsonNumber("score").doubleValue(),
                    SCORE_TOLERANCE, r::toString);
            JsonText.assertJson(expected.get(i).payload(), hit.get("payload"), r::toString);
        }
    }

    private static String search(float[] q, long user, String extra) {
        return "{\"vector\":" + Vectors.json(q) + ",\"user_id\":" + user + extra + "}";
    }

    @Test
    default void searchRanksTheUsersChunksAndReturnsExtraFields() {
        long user = Data.user();
        float[] q = Vectors.random(DIM, 600);
        Chunk d1 = chunk(user, 1, "A", 0, Vectors.atCosine(q, 0.95, 1),
                "\"file_name\":\"a.pdf\",\"mime_type\":\"application/pdf\"");
        Chunk d2 = chunk(user, 2, "B", 0, Vectors.atCosine(q, 0.85, 2), null);
        Chunk d3 = chunk(user, 1, "A", 1, Vectors.atCosine(q, 0.75, 3), null);
        Chunk d4 = chunk(user, 1, "A", 2, Vectors.atCosine(q, 0.5, 4), null);
        chunk(Data.user(), 1, "A", 0, Vectors.atCosine(q, 0.99, 5), null);

        assertHits(calls().searchDocuments(search(q, user, ",\"limit\":10,\"min_score\":0.7")), q, List.of(d1, d2, d3));
        assertHits(calls().searchDocuments(search(q, user, "")), q, List.of(d1, d2, d3));
        assertHits(calls().searchDocuments(search(q, user, ",\"min_score\":0.0")), q, List.of(d1, d2, d3, d4));
        assertHits(calls().searchDocuments(search(q, user, ",\"group_key\":\"A\",\"min_score\":0.3")), q,
                List.of(d1, d3, d4));
        assertHits(calls().searchDocuments(search(q, user, ",\"group_key\":\"a\",\"min_score\":0.3")), q, List.of());
        assertHits(calls().searchDocuments(search(q, user, ",\"group_key\":null,\"limit\":1")), q, List.of(d1));
        Expect.json(calls().searchDocuments(search(q, Data.user(), ",\"min_score\":-1")), "[]");
    }

    @Test
    default void documentSearchDefaultsAreLimit5AndMinScore07() {
        long user = Data.user();
        float[] q = Vectors.random(DIM, 601);
        List<Chunk> chunks = new ArrayList<>();
        double[] cosines = {0.99, 0.97, 0.95, 0.93, 0.91, 0.89};
        for (int i = 0; i < cosines.length; i++) {
            chunks.add(chunk(user, 3, "DEFAULT", i, Vectors.atCosine(q, cosines[i], 10 + i), null));
        }
        assertHits(calls().searchDocuments(search(q, user, "")), q, chunks.subList(0, 5));
    }

    @Test
    default void searchValidatesLimitAndDimension() {
        long user = Data.user();
        float[] q = Vectors.random(DIM, 602);
        Expect.error(calls().searchDocuments(search(q, user, ",\"limit\":0")), 400,
                "limit must be between 1 and 100, got 0");
        Expect.error(calls().searchDocuments(search(q, user, ",\"limit\":101")), 400,
                "limit must be between 1 and 100, got 101");
        Expect.status(calls().searchDocuments(search(q, user, ",\"limit\":100")), 200);
        Expect.errorContains(calls().searchDocuments(search(q, user, ",\"limit\":1.0")), 422, "limit");
        Expect.error(calls().searchDocuments(search(Vectors.of(1, 2, 3), user, "")), 400,
                "Vector must have exactly " + DIM + " dimensions, got 3");
        Expect.error(calls().searchDocuments(search(Vectors.random(1024, 1), user, "")), 400,
                "Vector must have exactly " + DIM + " dimensions, got 1024");
        Expect.errorContains(calls().searchDocuments("{\"vector\":" + Vectors.json(q) + "}"), 422, "user_id");
        Expect.errorContains(calls().searchDocuments(search(q, user, ",\"group_key\":1")), 422, "group_key");
    }

    @Test
    default void getReturnsPayloadScoreOneAndTheNormalisedVector() {
        long user = Data.user();
        float[] v = Vectors.of(3, -4, 0, 12, 0.5, -0.25, 2, 1);
        Chunk c = chunk(user, 4, "DEFAULT", 0, v, "\"file_name\":\"x.md\"");
        Response r = calls().getDocument(c.id());
        Expect.status(r, 200);
        JsonObject body = r.object();
        assertEquals(Set.of("id", "score", "payload", "vector"), body.keySet(), r::toString);
        assertEquals(c.id(), body.getString("id"), r::toString);
        assertEquals(1.0, body.getJsonNumber("score").doubleValue(), 0.0, r::toString);
        JsonText.assertJson(c.payload(), body.get("payload"), r::toString);
        JsonArray vector = body.getJsonArray("vector");
        double[] unit = Vectors.unitD(v);
        assertEquals(DIM, vector.size(), r::toString);
        for (int i = 0; i < DIM; i++) {
            assertEquals(unit[i], vector.getJsonNumber(i).doubleValue(), 1e-6, r::toString);
        }
        Expect.error(calls().getDocument("doc_missing_" + user), 404, "Document not found");
    }

    @Test
    default void statsAggregateChunksFilesAndGroups() {
        long user = Data.user();
        // File 61 has chunks in two groups: its group_key is that of its last chunk in point id order.
        chunk(user, 61, "A", 0, Vectors.random(DIM, 1), null);
        chunk(user, 61, "B", 1, Vectors.random(DIM, 2), null);
        chunk(user, 61, "A", 2, Vectors.random(DIM, 3), null);
        chunk(user, 62, "B", 0, Vectors.random(DIM, 4), null);
        chunk(Data.user(), 61, "C", 0, Vectors.random(DIM, 5), null);
        String[] groupsOf61 = {"A", "B", "A"};
        int last = 0;
        for (int i = 1; i < 3; i++) {
            if (Long.compareUnsigned(SipHashIds.of(Data.documentId(user, 61, i)),
                    SipHashIds.of(Data.documentId(user, 61, last))) > 0) {
                last = i;
            }
        }
        Expect.json(calls().stats(Long.toString(user)), """
                {"total_chunks":4,"total_files":2,"total_groups":2,"chunks_by_group":{"A":2,"B":2},\
                "chunks_by_file":{"61":{"chunks":3,"group_key":"%s"},"62":{"chunks":1,"group_key":"B"}}}"""
                .formatted(groupsOf61[last]));
        Expect.json(calls().stats(Long.toString(Data.user())), """
                {"total_chunks":0,"total_files":0,"total_groups":0,"chunks_by_group":{},"chunks_by_file":{}}""");
        Expect.error(calls().stats("abc"), 400, "Invalid URL: Cannot parse `\"abc\"` to a `i64`");
    }

    @Test
    default void groupsListsTheUsersGroupKeys() {
        long user = Data.user();
        chunk(user, 71, "DEFAULT", 0, Vectors.random(DIM, 1), null);
        chunk(user, 72, "WIDGET:abc", 0, Vectors.random(DIM, 2), null);
        chunk(user, 72, "WIDGET:abc", 1, Vectors.random(DIM, 3), null);
        Response r = calls().groups(Long.toString(user));
        Expect.status(r, 200);
        Expect.jsonContentType(r);
        JsonArray groups = r.array();
        assertEquals(2, groups.size(), r::toString);
        assertEquals(Set.of("DEFAULT", "WIDGET:abc"),
                groups.stream().map(g -> ((JsonString) g).getString()).collect(Collectors.toSet()), r::toString);
        Expect.json(calls().groups(Long.toString(Data.user())), "[]");
        Expect.error(calls().groups("x1"), 400, "Invalid URL: Cannot parse `\"x1\"` to a `i64`");
    }

    @Test
    default void filesByGroupCountsChunksPerFile() {
        long user = Data.user();
        chunk(user, 81, "G", 0, Vectors.random(DIM, 1), null);
        chunk(user, 81, "G", 1, Vectors.random(DIM, 2), null);
        chunk(user, 82, "G", 0, Vectors.random(DIM, 3), null);
        chunk(user, 83, "H", 0, Vectors.random(DIM, 4), null);
        chunk(Data.user(), 84, "G", 0, Vectors.random(DIM, 5), null);
        Expect.json(calls().filesByGroup(user, "G"), "{\"files\":{\"81\":2,\"82\":1}}");
        Expect.json(calls().filesByGroup(user, "H"), "{\"files\":{\"83\":1}}");
        Expect.json(calls().filesByGroup(user, "none"), "{\"files\":{}}");
        var http = calls().http(Route.DOCUMENT_FILES_BY_GROUP);
        Expect.errorContains(http.post("/documents/files-by-group", "{\"user_id\":" + user + "}"), 422, "group_key");
        assertFalse(Expect.error(http.post("/documents/files-by-group", "{\"group_key\":\"G\"}"), 422).isBlank());
    }
}
