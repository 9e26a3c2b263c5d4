package io.vectormemory.shared.memory;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.vectormemory.shared.Api;
import io.vectormemory.shared.http.ApiException;
import io.vectormemory.shared.http.PathParams;
import io.vectormemory.shared.http.Responses;
import io.vectormemory.shared.http.Route;
import io.vectormemory.shared.http.RouteHandler;
import io.vectormemory.shared.json.JsonBodies;
import io.vectormemory.shared.json.JsonFields;
import io.vectormemory.shared.json.JsonOut;
import io.vectormemory.shared.json.PayloadSchema;
import io.vectormemory.shared.qdrant.CollectionKind;
import io.vectormemory.shared.qdrant.CollectionMissingException;
import io.vectormemory.shared.qdrant.Filters;
import io.vectormemory.shared.qdrant.PointIds;
import io.vectormemory.shared.qdrant.ScrollCursor;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static io.qdrant.client.WithPayloadSelectorFactory.enable;

import static io.vectormemory.shared.json.JsonOut.JSON;

/** The {@code /memories…} routes (upstream §1.4) over the memories collection and its namespaces. */
public final class MemoryEndpoints {
    static final int DEFAULT_SEARCH_LIMIT = 5;
    static final float DEFAULT_MIN_SCORE = 0.7f;
    static final int DEFAULT_SCROLL_LIMIT = 1000;
    /** Points per Qdrant upsert call: large batches go in a few calls, each well under gRPC size limits. */
    static final int UPSERT_CHUNK = 256;

    private final Api api;
    private final int dimension;

    public MemoryEndpoints(Api api) {
        this.api = api;
        this.dimension = api.settings().vectorDimension();
    }

    public void bind(Map<Route, RouteHandler> routes) {
        routes.put(Route.MEMORY_UPSERT, this::upsert);
        routes.put(Route.MEMORY_BATCH, this::batch);
        routes.put(Route.MEMORY_SEARCH, this::search);
        routes.put(Route.MEMORY_SCROLL, this::scroll);
        routes.put(Route.MEMORY_GET, this::get);
        routes.put(Route.MEMORY_DELETE, this::delete);
        routes.put(Route.MEMORY_DELETE_USER, this::deleteUser);
    }

    /** One memory of a write request, validated except for its vector length. */
    private record MemoryWrite(String pointId, float[] vector, Map<String, Value> payload, String collection) {
    }

    private MemoryWrite parseWrite(JsonFields body) {
        String pointId = body.requiredString("point_id");
        float[] vector = body.requiredVector("vector");
        Map<String, Value> payload = PayloadSchema.MEMORY.validate(body.requiredObject("payload"));
        String collection = api.collections().memories(body.optionalString("namespace"));
        return new MemoryWrite(pointId, vector, payload, collection);
    }

    private void upsert(ServerRequest req, ServerResponse res, PathParams params) {
        MemoryWrite write = parseWrite(body(req));
        if (write.vector().length != dimension) {
            throw ApiException.badRequest("Vector dimension mismatch: expected " + dimension + ", got "
                    + write.vector().length);
        }
        store(write.collection(), List.of(api.points().point(write.pointId(), write.vector(), write.payload())));
        Responses.json(res, confirmation("Memory upserted successfully", write.pointId()));
    }

    private void batch(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        JsonArray items = body.requiredArray("points");
        if (items.isEmpty()) {
            throw ApiException.badRequest("Batch cannot be empty");
        }
        int max = api.settings().batchMaxPoints();
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
                    .add(api.points().point(w.pointId(), w.vector(), w.payload()));
        }
        int stored = 0;
        for (Map.Entry<String, List<PointStruct>> e : byCollection.entrySet()) {
            store(e.getKey(), e.getValue());
            stored += e.getValue().size();
        }
        JsonObjectBuilder out = JSON.createObjectBuilder()
                .add("success_count", stored)
                .add("failed_count", failed);
        JsonArray errorList = errors.build();
        if (!errorList.isEmpty()) {
            out.add("errors", errorList);
        }
        Responses.json(res, out.build());
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
        checkLimit(limit, api.settings().searchMaxLimit());
        String collection = api.collections().memories(namespace);
        List<ScoredPoint> hits = read(collection, List::of, () -> api.points().search(collection, vector,
                Filters.activeMemories(userId, category), limit, minScore));
        JsonArrayBuilder results = JSON.createArrayBuilder();
        for (ScoredPoint p : hits) {
            results.add(JSON.createObjectBuilder()
                    .add("id", resultId(p.getPayloadMap(), p.getId()))
                    .add("score", JsonOut.f32(p.getScore()))
                    .add("payload", PayloadSchema.MEMORY.toJson(p.getPayloadMap())));
        }
        Responses.json(res, JSON.createObjectBuilder()
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
        checkLimit(limit, api.settings().scrollMaxLimit());
        var start = offset == null ? null : ScrollCursor.decode(offset);
        String collection = api.collections().memories(namespace);
        ScrollResponse page = read(collection, () -> ScrollResponse.getDefaultInstance(), () -> api.points()
                .scroll(collection, Filters.activeMemories(userId, category), (int) limit, start, enable(true)));
        JsonArrayBuilder memories = JSON.createArrayBuilder();
        for (RetrievedPoint p : page.getResultList()) {
            memories.add(JSON.createObjectBuilder()
                    .add("id", resultId(p.getPayloadMap(), p.getId()))
                    .add("payload", PayloadSchema.MEMORY.toJson(p.getPayloadMap())));
        }
        JsonObjectBuilder out = JSON.createObjectBuilder()
                .add("memories", memories)
                .add("count", page.getResultCount());
        if (page.hasNextPageOffset()) {
            out.add("next_offset", ScrollCursor.encode(page.getNextPageOffset()));
        } else {
            out.addNull("next_offset");
        }
        Responses.json(res, out.build());
    }

    private void get(ServerRequest req, ServerResponse res, PathParams params) {
        String id = params.get("point_id");
        String collection = api.collections().memories(namespaceParam(req));
        Optional<RetrievedPoint> point = read(collection, Optional::empty,
                () -> api.points().find(collection, id, false));
        if (point.isEmpty()) {
            throw ApiException.notFound("Memory not found: " + id);
        }
        Responses.json(res, JSON.createObjectBuilder()
                .add("id", id)
                .add("payload", PayloadSchema.MEMORY.toJson(point.get().getPayloadMap()))
                .build());
    }

    private void delete(ServerRequest req, ServerResponse res, PathParams params) {
        String id = params.get("point_id");
        String collection = api.collections().memories(namespaceParam(req));
        read(collection, () -> null, () -> {
            api.points().delete(collection, id);
            return null;
        });
        Responses.json(res, confirmation("Memory deleted successfully", id));
    }

    private void deleteUser(ServerRequest req, ServerResponse res, PathParams params) {
        long userId = params.getLong("user_id");
        String collection = api.collections().memories(namespaceParam(req));
        long deleted = read(collection, () -> 0L,
                () -> api.points().deleteCounted(collection, Filters.memoriesOfUser(userId)));
        Responses.count(res, deleted);
    }

    /** Writes points, creating the (namespace) collection first if needed; heals once if it was deleted. */
    private void store(String collection, List<PointStruct> points) {
        for (int attempt = 0; ; attempt++) {
            try {
                api.collections().ensure(collection, CollectionKind.MEMORIES);
                for (int i = 0; i < points.size(); i += UPSERT_CHUNK) {
                    api.points().upsert(collection, points.subList(i, Math.min(points.size(), i + UPSERT_CHUNK)));
                }
                return;
            } catch (CollectionMissingException e) {
                api.collections().forget(collection);
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    /**
     * Runs a read. A namespace nobody has written to yet reads as empty (DESIGN §3.8) instead of failing; so does
     * the default collection, which is then created. The read goes straight to Qdrant, without first asking
     * whether the collection exists: that round trip made every cold start's first search twice as slow.
     */
    private <T> T read(String collection, Supplier<T> whenMissing, Supplier<T> call) {
        try {
            return call.get();
        } catch (CollectionMissingException e) {
            api.collections().forget(collection);
            if (collection.equals(api.collections().memories())) {
                api.collections().ensure(collection, CollectionKind.MEMORIES);
            }
            return whenMissing.get();
        }
    }

    private JsonFields body(ServerRequest req) {
        return JsonBodies.object(req, api.settings().maxBodyBytes());
    }

    private static String namespaceParam(ServerRequest req) {
        return req.query().first("namespace").orElse(null);
    }

    public static void checkLimit(long limit, int max) {
        if (limit < 1 || limit > max) {
            throw ApiException.badRequest("limit must be between 1 and " + max + ", got " + limit);
        }
    }

    /** A result's id: the stored string id, else the Qdrant id as text (upstream §3.2). */
    private static String resultId(Map<String, Value> payload, io.qdrant.client.grpc.Common.PointId id) {
        Value stored = payload.get(PointIds.FIELD);
        return stored != null && stored.hasStringValue() ? stored.getStringValue() : PointIds.text(id);
    }

    private static jakarta.json.JsonObject confirmation(String message, String pointId) {
        return JSON.createObjectBuilder()
                .add("message", message)
                .add("point_id", pointId)
                .add("success", true)
                .build();
    }
}
