package io.vectormemory.tests.reliability;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.qdrant.settings.QdrantSettings;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Point ids and URLs: every id a write accepts can be read and deleted by URL, also when each of its bytes has to be
 * percent-encoded (three characters each) and a namespace is in the query; an id longer than
 * {@code POINT_ID_MAX_BYTES} (UTF-8) is refused with a 400 on every write route, and nothing of that request is
 * written.
 */
class PointIdLengthTest {

    /** Ids of exactly {@code bytes} UTF-8 bytes, the ones whose URL is longest among them. */
    private static List<String> longestIds(int bytes) {
        return List.of(
                "a".repeat(bytes),
                "/?#% ".repeat(bytes / 5) + "/".repeat(bytes % 5),
                "€".repeat(bytes / 3) + "x".repeat(bytes % 3),
                "😀".repeat(bytes / 4) + "y".repeat(bytes % 4));
    }

    private static String url(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Deployment start(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Deployment.contractEnv(Backend.url()));
        env.putAll(extra);
        Map<String, Set<ApiFunction>> servers = new LinkedHashMap<>();
        servers.put("upsert", EnumSet.of(ApiFunction.UPSERT));
        servers.put("search", EnumSet.of(ApiFunction.SEARCH));
        return Deployment.start(env, servers).bootstrap();
    }

    @Test
    void everyIdTheDefaultLimitAcceptsCanBeReadAndDeletedByUrl() {
        try (Deployment d = start(Map.of())) {
            assertEquals(1024, d.settings().limits().pointIdMaxBytes());
            readAndDeleteByUrl(d, 1024);
            refusedOnEveryWriteRoute(d, 1025);
        }
    }

    @Test
    void aLargerConfiguredLimitAlsoLetsTheServerReadLongerUrls() {
        try (Deployment d = start(Map.of("POINT_ID_MAX_BYTES", "3000"))) {
            readAndDeleteByUrl(d, 3000);
            refusedOnEveryWriteRoute(d, 3001);
        }
    }

    private static void readAndDeleteByUrl(Deployment d, int bytes) {
        Http upsert = Http.to(d.url(Route.MEMORY_UPSERT)).apiKey(Deployment.KEY);
        Http search = Http.to(d.url(Route.MEMORY_GET)).apiKey(Deployment.KEY);
        long user = Data.user();
        // a namespace as long as a collection name allows, in the query of every memory URL
        String namespace = "n".repeat(QdrantSettings.MAX_COLLECTION_NAME - 1
                - d.settings().qdrant().memoriesCollection().length());
        for (String id : longestIds(bytes)) {
            assertEquals(bytes, id.getBytes(StandardCharsets.UTF_8).length);
            float[] v = Vectors.random(Deployment.DIMENSION, id.hashCode());
            String shown = id.substring(0, 5) + "… (" + bytes + " bytes)";

            Response write = upsert.post("/memories", Data.memory(id, v, Data.memoryPayload(user), namespace));
            assertEquals(200, write.status(), () -> shown + ": " + brief(write));
            String memoryUrl = "/memories/" + url(id) + "?namespace=" + namespace;
            Response read = search.get(memoryUrl);
            assertEquals(200, read.status(), () -> shown + " by URL: " + brief(read));
            assertEquals(id, read.object().getString("id"));
            Response deleted = upsert.delete(memoryUrl);
            assertEquals(200, deleted.status(), () -> shown + " delete by URL: " + brief(deleted));
            assertEquals(404, search.get(memoryUrl).status());

            Response batch = upsert.post("/memories/batch", "{\"points\":["
                    + Data.memory(id, v, Data.memoryPayload(user)) + "]}");
            assertEquals(200, batch.status(), () -> brief(batch));
            assertEquals(200, search.get("/memories/" + url(id)).status());
            assertEquals(200, upsert.delete("/memories/" + url(id)).status());

            Response doc = upsert.post("/documents", Data.document(id, v, Data.documentPayload(user, 1, "g", 0)));
            assertEquals(200, doc.status(), () -> shown + ": " + brief(doc));
            Response docRead = search.get("/documents/" + url(id));
            assertEquals(200, docRead.status(), () -> shown + " document by URL: " + brief(docRead));
            Response docDeleted = upsert.delete("/documents/" + url(id));
            assertEquals(200, docDeleted.status(), () -> shown + " document delete by URL: " + brief(docDeleted));
            assertEquals(404, search.get("/documents/" + url(id)).status());
        }
    }

    /** Status and the start of the body: the URL or body may be kilobytes long. */
    private static String brief(Response r) {
        return r.status() + " " + r.body().substring(0, Math.min(200, r.body().length()));
    }

    private static void refusedOnEveryWriteRoute(Deployment d, int bytes) {
        Http upsert = Http.to(d.url(Route.MEMORY_UPSERT)).apiKey(Deployment.KEY);
        Http search = Http.to(d.url(Route.MEMORY_GET)).apiKey(Deployment.KEY);
        long user = Data.user();
        float[] v = Vectors.random(Deployment.DIMENSION, 7);
        String fine = "fine_" + user;
        for (String id : longestIds(bytes)) {
            Map<String, Response> answers = new LinkedHashMap<>();
            answers.put("POST /memories", upsert.post("/memories", Data.memory(id, v, Data.memoryPayload(user))));
            answers.put("POST /memories/batch", upsert.post("/memories/batch", "{\"points\":["
                    + Data.memory(fine, v, Data.memoryPayload(user)) + ","
                    + Data.memory(id, v, Data.memoryPayload(user)) + "]}"));
            answers.put("POST /documents", upsert.post("/documents",
                    Data.document(id, v, Data.documentPayload(user, 1, "g", 0))));
            answers.put("POST /documents/batch", upsert.post("/documents/batch", "{\"documents\":["
                    + Data.document(fine, v, Data.documentPayload(user, 1, "g", 0)) + ","
                    + Data.document(id, v, Data.documentPayload(user, 1, "g", 1)) + "]}"));
            answers.forEach((route, r) -> {
                assertEquals(400, r.status(), () -> route + " with a " + bytes + "-byte id: " + brief(r));
                assertEquals(400, r.object().getInt("status"));
                String error = r.object().getString("error");
                assertTrue(error.contains("point_id") && error.contains("longer than " + (bytes - 1) + " bytes"),
                        error);
                assertTrue(error.length() < 200, "the id is not echoed: " + error);
            });
            // nothing of a refused batch was written
            assertEquals(404, search.get("/memories/" + fine).status());
            assertEquals(404, search.get("/documents/" + fine).status());
        }
    }
}
