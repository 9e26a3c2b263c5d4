package io.vectormemory.tests.reliability;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code POINT_ID_SCHEME} changed on existing data: the same collections are served first under one id scheme,
 * then under the other. A memory or document written before the change and updated after it exists once, with its
 * new content, whichever scheme reads it: the update removed the copy kept under the old scheme's id.
 */
class SchemeSwitchTest {

    /** Two deployments on the same backend and collections, one per scheme. */
    private static Map<String, Deployment> deployments(String before, String after) {
        Map<String, String> env = Deployment.contractEnv(Backend.url());
        Map<String, Deployment> out = new LinkedHashMap<>();
        for (String scheme : List.of(before, after)) {
            Map<String, String> e = new HashMap<>(env);
            e.put("POINT_ID_SCHEME", scheme);
            Map<String, Set<ApiFunction>> servers = new LinkedHashMap<>();
            servers.put("upsert", EnumSet.of(ApiFunction.UPSERT));
            servers.put("search", EnumSet.of(ApiFunction.SEARCH));
            out.put(scheme, Deployment.start(e, servers).bootstrap());
        }
        return out;
    }

    @ParameterizedTest(name = "{0} then {1}")
    @CsvSource({"siphash,uuid5", "uuid5,siphash"})
    void anUpdateUnderTheNewSchemeReplacesTheCopyUnderTheOldOne(String before, String after) {
        Map<String, Deployment> d = deployments(before, after);
        try {
            Http oldWrites = Http.to(d.get(before).url(Route.MEMORY_UPSERT)).apiKey(Deployment.KEY);
            Http newWrites = Http.to(d.get(after).url(Route.MEMORY_UPSERT)).apiKey(Deployment.KEY);
            long user = Data.user();
            String namespace = Data.namespace();
            float[] v = Vectors.random(Deployment.DIMENSION, 3);
            String single = "mem_" + user + "_1";
            String batched = "mem_" + user + "_2";
            String inNamespace = "mem_" + user + "_3";
            String doc = "doc_" + user + "_5_0";

            // written under the old scheme
            assertEquals(200, oldWrites.post("/memories", Data.memory(single, v,
                    Data.memoryPayload(user, "before", true))).status());
            assertEquals(200, oldWrites.post("/memories/batch", "{\"points\":[" + Data.memory(batched, v,
                    Data.memoryPayload(user, "before", true)) + "]}").status());
            assertEquals(200, oldWrites.post("/memories", Data.memory(inNamespace, v,
                    Data.memoryPayload(user, "before", true), namespace)).status());
            assertEquals(200, oldWrites.post("/documents", Data.document(doc, v,
                    Data.documentPayload(user, 5, "before", 0))).status());

            // updated under the new one
            assertEquals(200, newWrites.post("/memories/batch", "{\"points\":[" + Data.memory(single, v,
                    Data.memoryPayload(user, "after", true)) + "]}").status());
            assertEquals(200, newWrites.post("/memories", Data.memory(batched, v,
                    Data.memoryPayload(user, "after", true))).status());
            assertEquals(200, newWrites.post("/memories", Data.memory(inNamespace, v,
                    Data.memoryPayload(user, "after", true), namespace)).status());
            assertEquals(200, newWrites.post("/documents/batch", "{\"documents\":[" + Data.document(doc, v,
                    Data.documentPayload(user, 5, "after", 0)) + "]}").status());

            for (String scheme : List.of(after, before)) {
                Http reads = Http.to(d.get(scheme).url(Route.MEMORY_GET)).apiKey(Deployment.KEY);
                String search = "{\"query_vector\":" + Vectors.json(v) + ",\"user_id\":" + user
                        + ",\"limit\":10,\"min_score\":-1}";
                Response found = reads.post("/memories/search", search);
                assertEquals(200, found.status(), found::toString);
                assertEquals(List.of(single, batched), found.object().getJsonArray("results").stream()
                        .map(r -> r.asJsonObject().getString("id")).sorted().toList(), () -> scheme + ": " + found);
                for (JsonValue r : found.object().getJsonArray("results")) {
                    assertEquals("after", r.asJsonObject().getJsonObject("payload").getString("category"));
                }
                Response scrolled = reads.post("/memories/scroll", "{\"user_id\":" + user
                        + ",\"limit\":10,\"namespace\":" + Data.str(namespace) + "}");
                assertEquals(1, scrolled.object().getInt("count"), () -> scheme + ": " + scrolled);
                Response got = reads.get("/memories/" + single);
                assertEquals("after", got.object().getJsonObject("payload").getString("category"));
                Response stats = reads.get("/documents/stats/" + user);
                JsonObject s = stats.object();
                assertEquals(1, s.getInt("total_chunks"), () -> scheme + ": " + stats);
                assertEquals("after", reads.get("/documents/" + doc).object().getJsonObject("payload")
                        .getString("group_key"));
            }
            Response deleted = newWrites.delete("/memories/user/" + user);
            assertEquals("2", deleted.body(), "one point per memory");
        } finally {
            d.values().forEach(Deployment::close);
        }
    }
}
