package io.vectormemory.search;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.vectormemory.http.ApiException;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.PathParams;
import io.vectormemory.http.Route;
import io.vectormemory.http.json.CompactJson;
import io.vectormemory.http.json.JsonBodies;
import io.vectormemory.http.json.JsonFields;
import io.vectormemory.http.json.JsonResponses;
import io.vectormemory.http.json.PayloadSchema;
import io.vectormemory.http.server.RequestLimits;
import io.vectormemory.qdrant.store.DocumentStore;
import io.vectormemory.qdrant.store.PointIds;
import io.vectormemory.qdrant.store.QdrantPoints;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * Document chunk reads: vector search over a user's chunks, one chunk with its vector, and the per-user
 * statistics (chunks per file and group, group keys, files of a group).
 * <pre>
 * curl -X POST $BASE/documents/search -H 'Content-Type: application/json' \
 *   -d '{"vector": [...], "user_id": 42, "limit": 10, "min_score": 0.3}'
 * curl $BASE/documents/stats/42
 * </pre>
 */
final class DocumentReads {
    static final int DEFAULT_SEARCH_LIMIT = 5;
    static final float DEFAULT_MIN_SCORE = 0.7f;

    private final DocumentStore documents;
    private final int dimension;
    private final RequestLimits limits;

    DocumentReads(DocumentStore documents, int dimension, RequestLimits limits) {
        this.documents = documents;
        this.dimension = dimension;
        this.limits = limits;
    }

    void routing(ApiRoutes routes) {
        routes.add(Route.DOCUMENT_SEARCH, this::search)
                .add(Route.DOCUMENT_GET, this::get)
                .add(Route.DOCUMENT_STATS, this::stats)
                .add(Route.DOCUMENT_GROUPS, this::groups)
                .add(Route.DOCUMENT_FILES_BY_GROUP, this::filesByGroup);
    }

    private void search(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        float[] vector = body.requiredVector("vector");
        long userId = body.requiredLong("user_id");
        String groupKey = body.optionalString("group_key");
        long limit = body.countOr("limit", DEFAULT_SEARCH_LIMIT);
        float minScore = body.floatOr("min_score", DEFAULT_MIN_SCORE);
        if (vector.length != dimension) {
            throw ApiException.badRequest("Vector must have exactly " + dimension + " dimensions, got "
                    + vector.length);
        }
        ResultLimit.check(limit, limits.searchMaxLimit());
        List<ScoredPoint> hits = documents.search(vector, userId, groupKey, limit, minScore);
        JsonArrayBuilder out = JSON.createArrayBuilder();
        for (ScoredPoint p : hits) {
            Value id = p.getPayloadMap().get(PointIds.FIELD);
            out.add(JSON.createObjectBuilder()
                    .add("id", id != null && id.hasStringValue() ? id.getStringValue() : "")
                    .add("score", CompactJson.f32(p.getScore()))
                    .add("payload", PayloadSchema.DOCUMENT.toJson(p.getPayloadMap())));
        }
        JsonResponses.json(res, out.build());
    }

    private void get(ServerRequest req, ServerResponse res, PathParams params) {
        String id = params.get("point_id");
        Optional<RetrievedPoint> point = documents.find(id);
        if (point.isEmpty()) {
            throw ApiException.notFound("Document not found");
        }
        JsonObjectBuilder out = JSON.createObjectBuilder()
                .add("id", id)
                .add("score", CompactJson.f32(1.0f))
                .add("payload", PayloadSchema.DOCUMENT.toJson(point.get().getPayloadMap()));
        QdrantPoints.vector(point.get().getVectors()).ifPresent(v -> out.add("vector", CompactJson.vector(v)));
        JsonResponses.json(res, out.build());
    }

    private void stats(ServerRequest req, ServerResponse res, PathParams params) {
        DocumentStats stats = new DocumentStats();
        documents.forEachChunk(params.getLong("user_id"), null, stats::add);
        JsonResponses.json(res, stats.toJson());
    }

    private void groups(ServerRequest req, ServerResponse res, PathParams params) {
        DocumentStats stats = new DocumentStats();
        documents.forEachChunk(params.getLong("user_id"), null, stats::add);
        JsonArrayBuilder keys = JSON.createArrayBuilder();
        stats.groupKeys().forEach(keys::add);
        JsonResponses.json(res, keys.build());
    }

    private void filesByGroup(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        long userId = body.requiredLong("user_id");
        String groupKey = body.requiredString("group_key");
        Map<Long, Long> files = new TreeMap<>();
        documents.forEachChunk(userId, groupKey, p -> {
            Value f = p.getPayloadMap().get("file_id");
            if (f != null && f.hasIntegerValue()) {
                files.merge(f.getIntegerValue(), 1L, Long::sum);
            }
        });
        JsonObjectBuilder map = JSON.createObjectBuilder();
        files.forEach((k, v) -> map.add(Long.toString(k), v));
        JsonResponses.json(res, JSON.createObjectBuilder().add("files", map).build());
    }

    private JsonFields body(ServerRequest req) {
        return JsonBodies.object(req, limits.maxBodyBytes());
    }
}
