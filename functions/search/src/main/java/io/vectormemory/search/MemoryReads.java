package io.vectormemory.search;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.vectormemory.http.ApiException;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.PathParams;
import io.vectormemory.http.Route;
import io.vectormemory.http.json.CompactJson;
import io.vectormemory.http.json.JsonBodies;
import io.vectormemory.http.json.JsonFields;
import io.vectormemory.http.json.JsonResponses;
import io.vectormemory.http.json.PayloadSchema;
import io.vectormemory.http.json.ScrollCursor;
import io.vectormemory.http.server.RequestLimits;
import io.vectormemory.qdrant.store.MemoryStore;
import io.vectormemory.qdrant.store.PointIds;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * Memory reads: vector search and scroll over a user's active memories, and one memory by id. A namespace nobody
 * has written to yet reads as empty (get: 404).
 * <pre>
 * curl -X POST $BASE/memories/search -H 'Content-Type: application/json' \
 *   -d '{"query_vector": [...], "user_id": 42, "limit": 3, "min_score": 0.5}'
 * curl -X POST $BASE/memories/scroll -H 'Content-Type: application/json' -d '{"user_id": 42, "limit": 100}'
 * curl $BASE/memories/mem_42_1001
 * </pre>
 */
final class MemoryReads {
    static final int DEFAULT_SEARCH_LIMIT = 5;
    static final float DEFAULT_MIN_SCORE = 0.7f;
    static final int DEFAULT_SCROLL_LIMIT = 1000;

    private final MemoryStore memories;
    private final int dimension;
    private final RequestLimits limits;

    MemoryReads(MemoryStore memories, int dimension, RequestLimits limits) {
        this.memories = memories;
        this.dimension = dimension;
        this.limits = limits;
    }

    void routing(ApiRoutes routes) {
        routes.add(Route.MEMORY_SEARCH, this::search)
                .add(Route.MEMORY_SCROLL, this::scroll)
                .add(Route.MEMORY_GET, this::get);
    }

    private void search(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        float[] vector = body.requiredVector("query_vector");
        long userId = body.requiredLong("user_id");
        String category = body.optionalString("category");
        String namespace = body.optionalString("namespace");
        long limit = body.countOr("limit", DEFAULT_SEARCH_LIMIT);
        float minScore = body.floatOr("min_score", DEFAULT_MIN_SCORE);
        if (vector.length != dimension) {
            throw ApiException.badRequest("Query vector dimension mismatch: expected " + dimension + ", got "
                    + vector.length);
        }
        ResultLimit.check(limit, limits.searchMaxLimit());
        String collection = memories.collection(namespace);
        List<ScoredPoint> hits = memories.search(collection, vector, userId, category, limit, minScore);
        JsonArrayBuilder results = JSON.createArrayBuilder();
        for (ScoredPoint p : hits) {
            results.add(JSON.createObjectBuilder()
                    .add("id", resultId(p.getPayloadMap(), p.getId()))
                    .add("score", CompactJson.f32(p.getScore()))
                    .add("payload", PayloadSchema.MEMORY.toJson(p.getPayloadMap())));
        }
        JsonResponses.json(res, JSON.createObjectBuilder()
                .add("results", results)
                .add("count", hits.size())
                .build());
    }

    private void scroll(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        long userId = body.requiredLong("user_id");
        String category = body.optionalString("category");
        String namespace = body.optionalString("namespace");
        long limit = body.countOr("limit", DEFAULT_SCROLL_LIMIT);
        String offset = body.optionalString("offset");
        ResultLimit.check(limit, limits.scrollMaxLimit());
        PointId start = offset == null ? null : ScrollCursor.decode(offset);
        String collection = memories.collection(namespace);
        ScrollResponse page = memories.scroll(collection, userId, category, (int) limit, start);
        JsonArrayBuilder list = JSON.createArrayBuilder();
        for (RetrievedPoint p : page.getResultList()) {
            list.add(JSON.createObjectBuilder()
                    .add("id", resultId(p.getPayloadMap(), p.getId()))
                    .add("payload", PayloadSchema.MEMORY.toJson(p.getPayloadMap())));
        }
        JsonObjectBuilder out = JSON.createObjectBuilder()
                .add("memories", list)
                .add("count", page.getResultCount());
        if (page.hasNextPageOffset()) {
            out.add("next_offset", ScrollCursor.encode(page.getNextPageOffset()));
        } else {
            out.addNull("next_offset");
        }
        JsonResponses.json(res, out.build());
    }

    private void get(ServerRequest req, ServerResponse res, PathParams params) {
        String id = params.get("point_id");
        String collection = memories.collection(req.query().first("namespace").orElse(null));
        Optional<RetrievedPoint> point = memories.find(collection, id);
        if (point.isEmpty()) {
            throw ApiException.notFound("Memory not found: " + id);
        }
        JsonResponses.json(res, JSON.createObjectBuilder()
                .add("id", id)
                .add("payload", PayloadSchema.MEMORY.toJson(point.get().getPayloadMap()))
                .build());
    }

    private JsonFields body(ServerRequest req) {
        return JsonBodies.object(req, limits.maxBodyBytes());
    }

    /** A result's id: the stored string id, else the Qdrant id as text (points written by another client). */
    private static String resultId(Map<String, Value> payload, PointId id) {
        Value stored = payload.get(PointIds.FIELD);
        return stored != null && stored.hasStringValue() ? stored.getStringValue() : PointIds.text(id);
    }
}
