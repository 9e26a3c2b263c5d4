package io.vectormemory.tests;

import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Calls;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The default dimension, 1024 (BGE-M3), for memories and documents alike, with the default settings. */
class Dimension1024Test {
    private static Deployment deployment;
    private static Calls calls;

    @BeforeAll
    static void start() {
        Map<String, String> env = new HashMap<>(Deployment.contractEnv(Backend.url()));
        env.remove("QDRANT_VECTOR_DIMENSION");
        env.remove("MAX_BODY_BYTES");
        deployment = Deployments.functions(env).bootstrap();
        calls = new Calls(deployment);
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @Test
    void memoriesUse1024() {
        long user = Data.user();
        String id = Data.memoryId(user);
        float[] v = Vectors.random(1024, 1);
        Expect.status(calls.upsertMemory(Data.memory(id, v, Data.memoryPayload(user))), 200);
        Expect.error(calls.upsertMemory(Data.memory(id, Vectors.random(8, 1), Data.memoryPayload(user))), 400,
                "Vector dimension mismatch: expected 1024, got 8");
        float[] q = Vectors.atCosine(v, 0.8, 2);
        Response r = calls.searchMemories("{\"query_vector\":" + Vectors.json(q) + ",\"user_id\":" + user + "}");
        Expect.status(r, 200);
        assertEquals(1, r.object().getInt("count"), r::toString);
        assertEquals(Vectors.cosine(q, v), r.object().getJsonArray("results").getJsonObject(0)
                .getJsonNumber("score").doubleValue(), 1e-5, r::toString);
    }

    @Test
    void documentsUse1024() {
        long user = Data.user();
        String id = Data.documentId(user, 1, 0);
        float[] v = Vectors.random(1024, 3);
        Expect.emptyOk(calls.upsertDocument(Data.document(id, v, Data.documentPayload(user, 1, "DEFAULT", 0))));
        Expect.error(calls.upsertDocument(Data.document(id, Vectors.random(8, 1),
                Data.documentPayload(user, 1, "DEFAULT", 0))), 400, "Vector must have exactly 1024 dimensions, got 8");
        Response get = calls.getDocument(id);
        Expect.status(get, 200);
        assertEquals(1024, get.object().getJsonArray("vector").size(), get::toString);
        Response search = calls.searchDocuments("{\"vector\":" + Vectors.json(v) + ",\"user_id\":" + user + "}");
        Expect.status(search, 200);
        assertEquals(id, search.array().getJsonObject(0).getString("id"), search::toString);
        assertEquals(1.0, search.array().getJsonObject(0).getJsonNumber("score").doubleValue(), 1e-5,
                search::toString);
    }

    @Test
    void capabilitiesReport1024() {
        Response r = calls.capabilities();
        Expect.status(r, 200);
        assertEquals(1024, r.object().getInt("vector_dimension"), r::toString);
        assertEquals(1024, r.object().getJsonObject("embedding").getInt("vector_dimension"), r::toString);
    }
}
