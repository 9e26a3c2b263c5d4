package io.vectormemory.upsert;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.vectormemory.http.ApiException;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.PathParams;
import io.vectormemory.http.Route;
import io.vectormemory.http.json.JsonBodies;
import io.vectormemory.http.json.JsonFields;
import io.vectormemory.http.json.JsonResponses;
import io.vectormemory.http.json.PayloadSchema;
import io.vectormemory.http.server.RequestLimits;
import io.vectormemory.qdrant.store.MemoryStore;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * Memory writes: upsert one or a batch, delete one, delete all of a user. Memories go to the memories collection,
 * or to a namespace's collection when the body (or the {@code namespace} query parameter) names one.
 * <pre>
 * curl -X POST $BASE/memories -H 'Content-Type: application/json' \
 *   -d '{"point_id": "mem_42_1001", "vector": [...], "payload": {"user_id": 42, ...}}'
 * curl -X DELETE $BASE/memories/mem_42_1001
 * </pre>
 */
final class MemoryWrites {
    private final MemoryStore memories;
    private final int dimension;
    private final RequestLimits limits;

    MemoryWrites(MemoryStore memories, int dimension, RequestLimits limits) {
        this.memories = memories;
        this.dimension = dimension;
        this.limits = limits;
    }

    void routing(ApiRoutes routes) {
        routes.add(Route.MEMORY_UPSERT, this::upsert)
                .add(Route.MEMORY_BATCH, this::batch)
                .add(Route.MEMORY_DELETE, this::delete)
                .add(Route.MEMORY_DELETE_USER, this::deleteUser);
    }

    /** One memory of a write request, validated except for its vector length. */
    private record MemoryWrite(String pointId, float[] vector, Map<String, Value> payload, String collection) {
    }

    private MemoryWrite parseWrite(JsonFields body) {
        String pointId = limits.pointId(body.requiredString("point_id"), body.path("point_id"));
        float[] vector = body.requiredVector("vector");
        Map<String, Value> payload = PayloadSchema.MEMORY.validate(body.requiredObject("payload"));
        String collection = memories.collection(body.optionalString("namespace"));
        return new MemoryWrite(pointId, vector, payload, collection);
    }

    private void upsert(ServerRequest req, ServerResponse res, PathParams params) {
        MemoryWrite write = parseWrite(body(req));
        if (write.vector().length != dimension) {
            throw ApiException.badRequest("Vector dimension mismatch: expected " + dimension + ", got "
                    + write.vector().length);
        }
        memories.upsert(write.collection(), List.of(memories.point(write.pointId(), write.vector(), write.payload())));
        JsonResponses.json(res, confirmation("Memory upserted successfully", write.pointId()));
    }

    private void batch(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        JsonArray items = body.requiredArray("points");
        if (items.isEmpty()) {
            throw ApiException.badRequest("Batch cannot be empty");
        }
        int max = limits.batchMaxPoints();
        if (items.size() > max) {
            throw ApiException.badRequest("Batch size exceeds maximum of " + max + " points");
        }
        // The whole body is validated before anything is written: a schema error rejects the batch.
        List<MemoryWrite> writes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            writes.add(parseWrite(JsonFields.of(items.get(i), "points[" + i + "]")));
        }
        JsonArrayBuilder errors = JSON.createArrayBuilder();
        int failed = 0;
        Map<String, List<PointStruct>> byCollection = new LinkedHashMap<>();
        for (MemoryWrite w : writes) {
            if (w.vector().length != dimension) {
                failed++;
                errors.add(JSON.createObjectBuilder()
                        .add("point_id", w.pointId())
                        .add("error", "Invalid request: Vector dimension mismatch: expected " + dimension
                                + ", got " + w.vector().length));
                continue;
            }
            byCollection.computeIfAbsent(w.collection(), c -> new ArrayList<>())
                    .add(memories.point(w.pointId(), w.vector(), w.payload()));
        }
        memories.upsert(byCollection);
        int stored = byCollection.values().stream().mapToInt(List::size).sum();
        JsonObjectBuilder out = JSON.createObjectBuilder()
                .add("success_count", stored)
                .add("failed_count", failed);
        JsonArray errorList = errors.build();
        if (!errorList.isEmpty()) {
            out.add("errors", errorList);
        }
        JsonResponses.json(res, out.build());
    }

    private void delete(ServerRequest req, ServerResponse res, PathParams params) {
        String id = params.get("point_id");
        memories.delete(memories.collection(namespace(req)), id);
        JsonResponses.json(res, confirmation("Memory deleted successfully", id));
    }

    private void deleteUser(ServerRequest req, ServerResponse res, PathParams params) {
        long userId = params.getLong("user_id");
        JsonResponses.count(res, memories.deleteUser(memories.collection(namespace(req)), userId));
    }

    private JsonFields body(ServerRequest req) {
        return JsonBodies.object(req, limits.maxBodyBytes());
    }

    private static String namespace(ServerRequest req) {
        return req.query().first("namespace").orElse(null);
    }

    private static JsonObject confirmation(String message, String pointId) {
        return JSON.createObjectBuilder()
                .add("message", message)
                .add("point_id", pointId)
                .add("success", true)
                .build();
    }
}
