package io.vectormemory.tests.contract;

import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.JsonText;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonPatchBuilder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.vectormemory.tests.support.Data.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** The memory write routes of the upsert function. */
public interface MemoryWriteContract extends ContractTarget {
    int DIM = Deployment.DIMENSION;

    private static String confirmation(String message, String id) {
        return "{\"message\":\"" + message + "\",\"point_id\":" + str(id) + ",\"success\":true}";
    }

    private void upserted(String request, String id) {
        Expect.json(calls().upsertMemory(request), confirmation("Memory upserted successfully", id));
    }

    @Test
    default void upsertConfirmsAndTheMemoryIsReadBackExactly() {
        long user = Data.user();
        String id = Data.memoryId(user);
        String payload = Data.memoryPayload(user);
        upserted(Data.memory(id, Vectors.random(DIM, 1), payload), id);
        Expect.json(calls().getMemory(id), "{\"id\":" + str(id) + ",\"payload\":" + payload + "}");
    }

    @Test
    default void extraPayloadFieldsAreKeptAndTheStoredIdCannotBeForged() {
        long user = Data.user();
        String id = Data.memoryId(user);
        String typed = Data.memoryPayload(user);
        String extras = "\"file_name\":\"notes.txt\",\"mime_type\":\"text/plain\",\"tags\":[\"a\",\"b\"],"
                + "\"nested\":{\"x\":1.5,\"y\":[1,2]},\"rank\":3,\"weight\":0.25,\"note\":null,\"flag\":false";
        String sent = typed.substring(0, typed.length() - 1) + "," + extras + ",\"_point_id\":\"forged\"}";
        String expected = typed.substring(0, typed.length() - 1) + "," + extras + "}";
        float[] v = Vectors.random(DIM, 2);
        upserted(Data.memory(id, v, sent), id);

        Expect.json(calls().getMemory(id), "{\"id\":" + str(id) + ",\"payload\":" + expected + "}");
        Response search = calls().searchMemories("{\"query_vector\":" + Vectors.json(v) + ",\"user_id\":" + user
                + ",\"min_score\":0.5}");
        Expect.status(search, 200);
        var results = search.object().getJsonArray("results");
        assertEquals(1, results.size(), search::toString);
        assertEquals(id, results.getJsonObject(0).getString("id"), search::toString);
        JsonText.assertJson(expected, results.getJsonObject(0).get("payload"), search::toString);
        Expect.error(calls().getMemory("forged"), 404);
    }

    @Test
    default void messageIdAbsentOrNullIsOmittedFromResponses() {
        long user = Data.user();
        String withoutField = """
                {"user_id":%d,"category":"c","key":"k","value":"v","source":"user_created","created":1,"updated":2,\
                "active":true}""".formatted(user);
        String withNull = withoutField.replace("\"created\"", "\"message_id\":null,\"created\"");
        String a = Data.memoryId(user);
        String b = Data.memoryId(user);
        upserted(Data.memory(a, Vectors.random(DIM, 3), withoutField), a);
        upserted(Data.memory(b, Vectors.random(DIM, 4), withNull), b);
        Expect.json(calls().getMemory(a), "{\"id\":" + str(a) + ",\"payload\":" + withoutField + "}");
        Expect.json(calls().getMemory(b), "{\"id\":" + str(b) + ",\"payload\":" + withoutField + "}");
    }

    @Test
    default void upsertOfAnExistingIdReplacesTheMemory() {
        long user = Data.user();
        String id = Data.memoryId(user);
        float[] v = Vectors.random(DIM, 5);
        upserted(Data.memory(id, v, Data.memoryPayload(user, "old", true)), id);
        String newer = Data.memoryPayload(user, "new", true).replace("Spicy ramen", "Green curry");
        upserted(Data.memory(id, v, newer), id);
        Expect.json(calls().getMemory(id), "{\"id\":" + str(id) + ",\"payload\":" + newer + "}");
        Response scroll = calls().scrollMemories("{\"user_id\":" + user + "}");
        Expect.json(scroll, "{\"memories\":[{\"id\":" + str(id) + ",\"payload\":" + newer + "}],\"count\":1,"
                + "\"next_offset\":null}");
    }

    @Test
    default void namespacesAreSanitisedAndSeparateCollections() {
        long user = Data.user();
        String id = Data.memoryId(user);
        String payload = Data.memoryPayload(user);
        String n = Data.namespace().substring(3); // digits and letters
        String raw = "Team-A Notes!-" + n;
        String clean = "team_anotes_" + n.toLowerCase();
        upserted(Data.memory(id, Vectors.random(DIM, 6), payload, raw), id);
        String found = "{\"id\":" + str(id) + ",\"payload\":" + payload + "}";
        Expect.json(calls().getMemory(id, raw), found);
        Expect.json(calls().getMemory(id, clean), found);
        Expect.error(calls().getMemory(id), 404, "Memory not found: " + id);

        // A namespace that sanitises to nothing is the default collection.
        String other = Data.memoryId(user);
        upserted(Data.memory(other, Vectors.random(DIM, 7), payload, "ß!"), other);
        Expect.json(calls().getMemory(other), "{\"id\":" + str(other) + ",\"payload\":" + payload + "}");
        String third = Data.memoryId(user);
        upserted(Data.memory(third, Vectors.random(DIM, 8), payload, "__"), third);
        Expect.status(calls().getMemory(third), 200);
    }

    @Test
    default void concurrentFirstWritesToANewNamespaceAllSucceed() throws Exception {
        // Creating a namespace collection is race-free.
        long user = Data.user();
        String ns = Data.namespace();
        int writers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                String body = Data.memory(Data.memoryId(user), Vectors.random(DIM, 200 + i), Data.memoryPayload(user), ns);
                answers.add(pool.submit(() -> {
                    go.await();
                    return calls().upsertMemory(body);
                }));
            }
            go.countDown();
            for (var answer : answers) {
                Expect.status(answer.get(30, TimeUnit.SECONDS), 200);
            }
        }
        Response info = calls().collectionInfo(ns);
        Expect.status(info, 200);
        assertEquals(writers, info.object().getInt("points_count"), info::toString);
    }

    @Test
    default void namespaceTooLongForACollectionNameIs400() {
        long user = Data.user();
        String id = Data.memoryId(user);
        Response r = calls().upsertMemory(Data.memory(id, Vectors.random(DIM, 9), Data.memoryPayload(user),
                "n".repeat(300)));
        Expect.error(r, 400);
    }

    @Test
    default void dimensionMismatchIs400AndWritesNothing() {
        long user = Data.user();
        String id = Data.memoryId(user);
        Expect.error(calls().upsertMemory(Data.memory(id, Vectors.of(0.1, 0.2, 0.3), Data.memoryPayload(user))),
                400, "Vector dimension mismatch: expected " + DIM + ", got 3");
        Expect.error(calls().upsertMemory(Data.memory(id, new float[0], Data.memoryPayload(user))),
                400, "Vector dimension mismatch: expected " + DIM + ", got 0");
        Expect.error(calls().upsertMemory(Data.memory(id, Vectors.random(1024, 1), Data.memoryPayload(user))),
                400, "Vector dimension mismatch: expected " + DIM + ", got 1024");
        Expect.error(calls().getMemory(id), 404);
    }

    @Test
    default void contentTypeMustBeJson() {
        long user = Data.user();
        String id = Data.memoryId(user);
        byte[] body = Data.memory(id, Vectors.random(DIM, 10), Data.memoryPayload(user))
                .getBytes(StandardCharsets.UTF_8);
        var http = calls().http(Route.MEMORY_UPSERT);
        for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded",
                "application/jsonx", "json", "text/json"}) {
            Expect.error(http.send("POST", "/memories", type, body), 415,
                    "Expected request with `Content-Type: application/json`");
        }
        Expect.error(calls().getMemory(id), 404);
        for (String type : new String[] {"application/json; charset=utf-8", "application/vnd.api+json",
                "Application/JSON"}) {
            Expect.json(http.send("POST", "/memories", type, body), confirmation("Memory upserted successfully", id));
        }
    }

    @Test
    default void malformedJsonIs400() {
        long user = Data.user();
        String id = Data.memoryId(user);
        String full = Data.memory(id, Vectors.random(DIM, 11), Data.memoryPayload(user));
        for (String body : new String[] {full.substring(0, full.length() - 1), "", "{", "nul", "{'a':1}",
                "{\"point_id\":}", full.replace(",\"payload\"", " \"payload\"")}) {
            Expect.errorStartsWith(calls().upsertMemory(body), 400, "Failed to parse the request body as JSON");
        }
        Expect.error(calls().getMemory(id), 404);
    }

    @TestFactory
    default Stream<DynamicTest> schemaErrorsAre422NamingTheFieldAndWriteNothing() {
        Map<String, UnaryOperator<JsonPatchBuilder>> cases = new LinkedHashMap<>();
        cases.put("point_id", p -> p.remove("/point_id"));
        cases.put("point_id ", p -> p.replace("/point_id", 42));
        cases.put("vector", p -> p.remove("/vector"));
        cases.put("vector ", p -> p.replace("/vector", "abc"));
        cases.put("vector[1]", p -> p.replace("/vector/1", "x"));
        cases.put("vector[2] ", p -> p.replace("/vector/2", jakarta.json.JsonValue.NULL));
        cases.put("payload", p -> p.remove("/payload"));
        cases.put("payload ", p -> p.replace("/payload", Json.createArrayBuilder().build()));
        cases.put("payload.user_id", p -> p.remove("/payload/user_id"));
        cases.put("payload.user_id ", p -> p.replace("/payload/user_id", "42"));
        cases.put("payload.user_id  ", p -> p.replace("/payload/user_id",
                Json.createValue(new java.math.BigInteger("9223372036854775808"))));
        cases.put("payload.created", p -> p.replace("/payload/created", Json.createValue(new java.math.BigDecimal("1.0"))));
        cases.put("payload.updated", p -> p.replace("/payload/updated", Json.createValue(new java.math.BigDecimal("1e3"))));
        cases.put("payload.active", p -> p.replace("/payload/active", "true"));
        cases.put("payload.category", p -> p.replace("/payload/category", jakarta.json.JsonValue.NULL));
        cases.put("payload.key", p -> p.remove("/payload/key"));
        cases.put("payload.value", p -> p.replace("/payload/value", 7));
        cases.put("payload.source", p -> p.remove("/payload/source"));
        cases.put("payload.message_id", p -> p.replace("/payload/message_id", Json.createValue(1.5)));
        cases.put("payload.message_id ", p -> p.replace("/payload/message_id", "5120"));
        cases.put("namespace", p -> p.add("/namespace", 5));
        List<DynamicTest> tests = new ArrayList<>();
        cases.forEach((field, patch) -> tests.add(dynamicTest(field.strip() + " (" + tests.size() + ")", () -> {
            long user = Data.user();
            String id = Data.memoryId(user);
            JsonObject valid = JsonText.parse(Data.memory(id, Vectors.random(DIM, 12), Data.memoryPayload(user)))
                    .asJsonObject();
            JsonObject broken = patch.apply(Json.createPatchBuilder()).build().apply(valid);
            Response r = calls().upsertMemory(broken.toString());
            Expect.errorContains(r, 422, field.strip());
            Expect.error(calls().getMemory(id), 404);
        })));
        tests.add(dynamicTest("body not an object", () -> {
            for (String body : List.of("[]", "\"text\"", "42", "null", "true")) {
                Expect.error(calls().upsertMemory(body), 422);
            }
        }));
        return tests.stream();
    }

    private static String bodyOfSize(String json, int size) {
        String body = json + " ".repeat(size - json.length());
        assertEquals(size, body.getBytes(StandardCharsets.UTF_8).length);
        return body;
    }

    @Test
    default void bodyOverTheLimitWithContentLengthIs413() {
        long user = Data.user();
        String id = Data.memoryId(user);
        byte[] over = bodyOfSize(Data.memory(id, Vectors.random(DIM, 13), Data.memoryPayload(user)),
                Deployment.MAX_BODY_BYTES + 1).getBytes(StandardCharsets.UTF_8);
        var http = calls().http(Route.MEMORY_UPSERT);
        Expect.error(http.send("POST", "/memories", "application/json", over), 413);
        Expect.error(calls().getMemory(id), 404);
    }

    @Test
    default void chunkedBodyOverTheLimitIs413() {
        long user = Data.user();
        String id = Data.memoryId(user);
        byte[] over = bodyOfSize(Data.memory(id, Vectors.random(DIM, 13), Data.memoryPayload(user)),
                Deployment.MAX_BODY_BYTES + 1).getBytes(StandardCharsets.UTF_8);
        var http = calls().http(Route.MEMORY_UPSERT);
        Expect.error(http.postChunked("/memories", over), 413);
        Expect.error(calls().getMemory(id), 404);
    }

    @Test
    default void bodyExactlyAtTheLimitIsAccepted() {
        long user = Data.user();
        String id = Data.memoryId(user);
        byte[] atLimit = bodyOfSize(Data.memory(id, Vectors.random(DIM, 13), Data.memoryPayload(user)),
                Deployment.MAX_BODY_BYTES).getBytes(StandardCharsets.UTF_8);
        var http = calls().http(Route.MEMORY_UPSERT);
        Expect.json(http.send("POST", "/memories", "application/json", atLimit),
                confirmation("Memory upserted successfully", id));
        Expect.json(http.postChunked("/memories", atLimit), confirmation("Memory upserted successfully", id));
    }

    // ---- batch ----

    @Test
    default void batchWritesEveryPointAndOmitsEmptyErrors() {
        long user = Data.user();
        String a = Data.memoryId(user);
        String b = Data.memoryId(user);
        String ns = Data.namespace();
        String pa = Data.memoryPayload(user, "first", true);
        String pb = Data.memoryPayload(user, "second", false);
        Expect.json(calls().memoryBatch("{\"points\":[" + Data.memory(a, Vectors.random(DIM, 14), pa) + ","
                + Data.memory(b, Vectors.random(DIM, 15), pb, ns) + "]}"), "{\"success_count\":2,\"failed_count\":0}");
        Expect.json(calls().getMemory(a), "{\"id\":" + str(a) + ",\"payload\":" + pa + "}");
        Expect.json(calls().getMemory(b, ns), "{\"id\":" + str(b) + ",\"payload\":" + pb + "}");
        Expect.error(calls().getMemory(b), 404);
    }

    @Test
    default void batchReportsPointsWithTheWrongDimension() {
        long user = Data.user();
        String good = Data.memoryId(user);
        String bad = Data.memoryId(user);
        Response r = calls().memoryBatch("{\"points\":[" + Data.memory(good, Vectors.random(DIM, 16),
                Data.memoryPayload(user)) + "," + Data.memory(bad, Vectors.of(0.1, 0.2), Data.memoryPayload(user))
                + "]}");
        Expect.json(r, "{\"success_count\":1,\"failed_count\":1,\"errors\":[{\"point_id\":" + str(bad)
                + ",\"error\":\"Invalid request: Vector dimension mismatch: expected " + DIM + ", got 2\"}]}");
        Expect.status(calls().getMemory(good), 200);
        Expect.error(calls().getMemory(bad), 404);
    }

    @Test
    default void emptyBatchIs400() {
        Expect.error(calls().memoryBatch("{\"points\":[]}"), 400, "Batch cannot be empty");
    }

    @Test
    default void batchShapeErrorsAre422AndWriteNothing() {
        long user = Data.user();
        String first = Data.memoryId(user);
        String broken = Data.memoryPayload(user).replace("\"user_id\":" + user + ",", "");
        Response r = calls().memoryBatch("{\"points\":[" + Data.memory(first, Vectors.random(DIM, 17),
                Data.memoryPayload(user)) + "," + Data.memory(Data.memoryId(user), Vectors.random(DIM, 18), broken)
                + "]}");
        Expect.errorContains(r, 422, "points[1].payload.user_id");
        Expect.error(calls().getMemory(first), 404);
        Expect.errorContains(calls().memoryBatch("{}"), 422, "points");
        Expect.errorContains(calls().memoryBatch("{\"points\":{}}"), 422, "points");
        Expect.errorContains(calls().memoryBatch("{\"points\":[1]}"), 422, "points[0]");
    }

    @Test
    default void batchAtTheCapIsWrittenAndOneMoreIsRefused() {
        long user = Data.user();
        String ns = Data.namespace();
        int cap = deployment().settings().limits().batchMaxPoints();
        assertEquals(1000, cap, "the default cap");
        List<String> ids = new ArrayList<>();
        List<String> points = new ArrayList<>();
        for (int i = 0; i <= cap; i++) {
            String id = Data.memoryId(user);
            ids.add(id);
            points.add(Data.memory(id, Vectors.random(DIM, 100 + i), Data.memoryPayload(user), ns));
        }
        Expect.error(calls().memoryBatch("{\"points\":" + Data.array(points) + "}"), 400,
                "Batch size exceeds maximum of 1000 points");
        Expect.error(calls().collectionInfo(ns), 404);

        Expect.json(calls().memoryBatch("{\"points\":" + Data.array(points.subList(0, cap)) + "}"),
                "{\"success_count\":1000,\"failed_count\":0}");
        Response info = calls().collectionInfo(ns);
        Expect.status(info, 200);
        assertEquals(1000, info.object().getInt("points_count"), info::toString);
        Expect.status(calls().getMemory(ids.get(0), ns), 200);
        Expect.status(calls().getMemory(ids.get(cap - 1), ns), 200);
        Expect.error(calls().getMemory(ids.get(cap), ns), 404);
    }

    // ---- delete ----

    @Test
    default void deleteConfirmsAndTheMemoryIsGone() {
        long user = Data.user();
        String id = Data.memoryId(user);
        float[] v = Vectors.random(DIM, 19);
        upserted(Data.memory(id, v, Data.memoryPayload(user)), id);
        // The PHP client sends a JSON content type on every request, DELETE included.
        Expect.json(calls().http(Route.MEMORY_DELETE).send("DELETE", "/memories/" + id,
                "application/json", null), confirmation("Memory deleted successfully", id));
        Expect.error(calls().getMemory(id), 404, "Memory not found: " + id);
        Expect.json(calls().searchMemories("{\"query_vector\":" + Vectors.json(v) + ",\"user_id\":" + user + "}"),
                "{\"results\":[],\"count\":0}");
        // Deleting what does not exist is still a success.
        Expect.json(calls().deleteMemory(id), confirmation("Memory deleted successfully", id));
        Expect.json(calls().deleteMemory("never-existed"), confirmation("Memory deleted successfully", "never-existed"));
    }

    @Test
    default void idsArePercentDecodedAndMayHoldSlashes() {
        long user = Data.user();
        String id = "mem " + user + "/ü%?#&=+";
        String payload = Data.memoryPayload(user);
        upserted(Data.memory(id, Vectors.random(DIM, 20), payload), id);
        Expect.json(calls().getMemory(id), "{\"id\":" + str(id) + ",\"payload\":" + payload + "}");
        Expect.json(calls().deleteMemory(id), confirmation("Memory deleted successfully", id));
        Expect.error(calls().getMemory(id), 404);
    }

    @Test
    default void deleteInANamespaceLeavesOtherCollectionsAlone() {
        long user = Data.user();
        String id = Data.memoryId(user);
        String ns = Data.namespace();
        upserted(Data.memory(id, Vectors.random(DIM, 21), Data.memoryPayload(user)), id);
        upserted(Data.memory(id, Vectors.random(DIM, 22), Data.memoryPayload(user), ns), id);
        Expect.json(calls().deleteMemory(id, ns), confirmation("Memory deleted successfully", id));
        Expect.error(calls().getMemory(id, ns), 404);
        Expect.status(calls().getMemory(id), 200);
        // A namespace nobody wrote to: nothing to delete, still a success.
        Expect.json(calls().deleteMemory(id, Data.namespace()), confirmation("Memory deleted successfully", id));
    }

    @Test
    default void deleteAllOfAUserCountsActiveAndInactiveMemories() {
        long user = Data.user();
        long other = Data.user();
        String ns = Data.namespace();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = Data.memoryId(user);
            mine.add(id);
            upserted(Data.memory(id, Vectors.random(DIM, 30 + i), Data.memoryPayload(user, "c", i != 1)), id);
        }
        String inNamespace = Data.memoryId(user);
        upserted(Data.memory(inNamespace, Vectors.random(DIM, 34), Data.memoryPayload(user), ns), inNamespace);
        String theirs = Data.memoryId(other);
        upserted(Data.memory(theirs, Vectors.random(DIM, 35), Data.memoryPayload(other)), theirs);

        Expect.count(calls().deleteUserMemories(Long.toString(user), null), 3);
        for (String id : mine) {
            Expect.error(calls().getMemory(id), 404);
        }
        Expect.status(calls().getMemory(theirs), 200);
        Expect.status(calls().getMemory(inNamespace, ns), 200);
        Expect.count(calls().deleteUserMemories(Long.toString(user), null), 0);
        Expect.count(calls().deleteUserMemories(Long.toString(user), ns), 1);
        Expect.error(calls().getMemory(inNamespace, ns), 404);
        Expect.count(calls().deleteUserMemories(Long.toString(user), Data.namespace()), 0);
    }

    @Test
    default void deleteAllOfAUserNeedsAnIntegerId() {
        for (String bad : List.of("abc", "1.5", "9223372036854775808", "%20")) {
            String shown = bad.equals("%20") ? " " : bad;
            Expect.error(calls().deleteUserMemories(bad, null), 400,
                    "Invalid URL: Cannot parse `\"" + shown + "\"` to a `i64`");
        }
        Expect.count(calls().deleteUserMemories("-5", null), 0);
    }
}
