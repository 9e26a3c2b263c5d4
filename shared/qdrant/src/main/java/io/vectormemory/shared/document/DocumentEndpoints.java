package io.vectormemory.shared.document;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
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
import io.vectormemory.shared.memory.MemoryEndpoints;
import io.vectormemory.shared.qdrant.CollectionKind;
import io.vectormemory.shared.qdrant.CollectionMissingException;
import io.vectormemory.shared.qdrant.Filters;
import io.vectormemory.shared.qdrant.PointIds;
import io.vectormemory.shared.qdrant.Points;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import static io.qdrant.client.WithPayloadSelectorFactory.include;

import static io.vectormemory.shared.json.JsonOut.JSON;

/** The {@code /documents…} routes (upstream §1.5) over the single documents collection. */
public final class DocumentEndpoints {
    static final int DEFAULT_SEARCH_LIMIT = 5;
    static final float DEFAULT_MIN_SCORE = 0.7f;
    /** Page size of the aggregation scrolls; only {@code file_id} and {@code group_key} are transferred. */
    static final int AGGREGATION_PAGE = 1000;
    static final int UPSERT_CHUNK = 256;

    private final Api api;
    private final int dimension;

    public DocumentEndpoints(Api api) {
        this.api = api;
        this.dimension = api.settings().vectorDimension();
    }

    public void bind(Map<Route, RouteHandler> routes) {
        routes.put(Route.DOCUMENT_UPSERT, this::upsert);
        routes.put(Route.DOCUMENT_BATCH, this::batch);
        routes.put(Route.DOCUMENT_SEARCH, this::search);
        routes.put(Route.DOCUMENT_GET, this::get);
        routes.put(Route.DOCUMENT_DELETE, this::delete);
        routes.put(Route.DOCUMENT_DELETE_BY_FILE, this::deleteByFile);
        routes.put(Route.DOCUMENT_DELETE_BY_GROUP, this::deleteByGroup);
        routes.put(Route.DOCUMENT_DELETE_USER, this::deleteUser);
        routes.put(Route.DOCUMENT_UPDATE_GROUP_KEY, this::updateGroupKey);
        routes.put(Route.DOCUMENT_STATS, this::stats);
        routes.put(Route.DOCUMENT_GROUPS, this::groups);
        routes.put(Route.DOCUMENT_FILES_BY_GROUP, this::filesByGroup);
    }

    private record DocumentWrite(String pointId, float[] vector, Map<String, Value> payload) {
    }

    private DocumentWrite parseWrite(JsonFields body) {
        return new DocumentWrite(body.requiredString("point_id"), body.requiredVector("vector"),
                PayloadSchema.DOCUMENT.validate(body.requiredObject("payload")));
    }

    private String dimensionError(int got) {
        return "Vector must have exactly " + dimension + " dimensions, got " + got;
    }

    private void upsert(ServerRequest req, ServerResponse res, PathParams params) {
        DocumentWrite w = parseWrite(body(req));
        if (w.vector().length != dimension) {
            throw ApiException.badRequest(dimensionError(w.vector().length));
        }
        store(List.of(api.points().point(w.pointId(), w.vector(), w.payload())));
        Responses.empty(res);
    }

    private void batch(ServerRequest req, ServerResponse res, PathParams params) {
        JsonArray items = body(req).requiredArray("documents");
        int max = api.settings().batchMaxPoints();
        if (items.size() > max) {
            throw ApiException.badRequest("Maximum " + max + " documents per batch");
        }
        List<DocumentWrite> writes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            writes.add(parseWrite(JsonFields.of(items.get(i), "documents[" + i + "]")));
        }
        JsonArrayBuilder errors = JSON.createArrayBuilder();
        List<PointStruct> points = new ArrayList<>(writes.size());
        for (DocumentWrite w : writes) {
            if (w.vector().length != dimension) {
                errors.add("Document " + w.pointId() + ": invalid vector dimension");
            } else {
                points.add(api.points().point(w.pointId(), w.vector(), w.payload()));
            }
        }
        if (!points.isEmpty()) {
            store(points);
        }
        Responses.json(res, JSON.createObjectBuilder()
                .add("success_count", points.size())
                .add("failed_count", writes.size() - points.size())
                .add("errors", errors)
                .build());
    }

    private void search(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        float[] vector = body.requiredVector("vector");
        long userId = body.requiredLong("user_id");
        String groupKey = body.optionalString("group_key");
        long limit = body.countOr("limit", DEFAULT_SEARCH_LIMIT);
        float minScore = body.floatOr("min_score", DEFAULT_MIN_SCORE);
        if (vector.length != dimension) {
            throw ApiException.badRequest(dimensionError(vector.length));
        }
        MemoryEndpoints.checkLimit(limit, api.settings().searchMaxLimit());
        List<ScoredPoint> hits = call(() -> api.points().search(collection(), vector,
                Filters.documents(userId, null, groupKey), limit, minScore));
        JsonArrayBuilder out = JSON.createArrayBuilder();
        for (ScoredPoint p : hits) {
            Value id = p.getPayloadMap().get(PointIds.FIELD);
            out.add(JSON.createObjectBuilder()
                    .add("id", id != null && id.hasStringValue() ? id.getStringValue() : "")
                    .add("score", JsonOut.f32(p.getScore()))
                    .add("payload", PayloadSchema.DOCUMENT.toJson(p.getPayloadMap())));
        }
        Responses.json(res, out.build());
    }

    private void get(ServerRequest req, ServerResponse res, PathParams params) {
        String id = params.get("point_id");
        Optional<RetrievedPoint> point = call(() -> api.points().find(collection(), id, true));
        if (point.isEmpty()) {
            throw ApiException.notFound("Document not found");
        }
        JsonObjectBuilder out = JSON.createObjectBuilder()
                .add("id", id)
                .add("score", JsonOut.f32(1.0f))
                .add("payload", PayloadSchema.DOCUMENT.toJson(point.get().getPayloadMap()));
        Points.vector(point.get().getVectors()).ifPresent(v -> out.add("vector", JsonOut.vector(v)));
        Responses.json(res, out.build());
    }

    private void delete(ServerRequest req, ServerResponse res, PathParams params) {
        String id = params.get("point_id");
        call(() -> {
            api.points().delete(collection(), id);
            return null;
        });
        Responses.empty(res);
    }

    private void deleteByFile(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        Filter filter = Filters.documents(body.requiredLong("user_id"), body.requiredLong("file_id"), null);
        Responses.count(res, call(() -> api.points().deleteCounted(collection(), filter)));
    }

    private void deleteByGroup(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        Filter filter = Filters.documents(body.requiredLong("user_id"), null, body.requiredString("group_key"));
        Responses.count(res, call(() -> api.points().deleteCounted(collection(), filter)));
    }

    private void deleteUser(ServerRequest req, ServerResponse res, PathParams params) {
        Filter filter = Filters.documents(params.getLong("user_id"), null, null);
        Responses.count(res, call(() -> api.points().deleteCounted(collection(), filter)));
    }

    private void updateGroupKey(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        long userId = body.requiredLong("user_id");
        long fileId = body.requiredLong("file_id");
        String newGroupKey = body.requiredString("new_group_key");
        Filter filter = Filters.documents(userId, fileId, null);
        long count = call(() -> {
            api.points().setPayload(collection(), Map.of("group_key",
                    Value.newBuilder().setStringValue(newGroupKey).build()), filter);
            return api.points().count(collection(), filter);
        });
        Responses.count(res, count);
    }

    private void stats(ServerRequest req, ServerResponse res, PathParams params) {
        Stats stats = new Stats();
        forEachChunk(Filters.documents(params.getLong("user_id"), null, null), stats::add);
        Responses.json(res, stats.toJson());
    }

    private void groups(ServerRequest req, ServerResponse res, PathParams params) {
        Stats stats = new Stats();
        forEachChunk(Filters.documents(params.getLong("user_id"), null, null), stats::add);
        JsonArrayBuilder keys = JSON.createArrayBuilder();
        stats.byGroup.keySet().forEach(keys::add);
        Responses.json(res, keys.build());
    }

    private void filesByGroup(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        Filter filter = Filters.documents(body.requiredLong("user_id"), null, body.requiredString("group_key"));
        Map<Long, Long> files = new TreeMap<>();
        forEachChunk(filter, p -> {
            Value f = p.getPayloadMap().get("file_id");
            if (f != null && f.hasIntegerValue()) {
                files.merge(f.getIntegerValue(), 1L, Long::sum);
            }
        });
        JsonObjectBuilder map = JSON.createObjectBuilder();
        files.forEach((k, v) -> map.add(Long.toString(k), v));
        Responses.json(res, JSON.createObjectBuilder().add("files", map).build());
    }

    /** Scrolls every matching chunk in id order, transferring only the aggregated fields. */
    private void forEachChunk(Filter filter, Consumer<RetrievedPoint> each) {
        call(() -> {
            PointId offset = null;
            while (true) {
                ScrollResponse page = api.points().scroll(collection(), filter, AGGREGATION_PAGE, offset,
                        include(List.of("file_id", "group_key")));
                page.getResultList().forEach(each);
                if (!page.hasNextPageOffset() || page.getResultCount() == 0) {
                    return null;
                }
                offset = page.getNextPageOffset();
            }
        });
    }

    /** Upstream's DocumentStatsResponse; {@code chunks_by_file[*].group_key} is the last one seen in id order. */
    private static final class Stats {
        private long chunks;
        private final Map<String, Long> byGroup = new TreeMap<>();
        private final Map<Long, long[]> fileChunks = new TreeMap<>();
        private final Map<Long, String> fileGroup = new TreeMap<>();

        void add(RetrievedPoint p) {
            chunks++;
            Value g = p.getPayloadMap().get("group_key");
            String group = g != null && g.hasStringValue() ? g.getStringValue() : null;
            if (group != null) {
                byGroup.merge(group, 1L, Long::sum);
            }
            Value f = p.getPayloadMap().get("file_id");
            if (f != null && f.hasIntegerValue()) {
                fileChunks.computeIfAbsent(f.getIntegerValue(), k -> new long[1])[0]++;
                if (group != null) {
                    fileGroup.put(f.getIntegerValue(), group);
                }
            }
        }

        jakarta.json.JsonObject toJson() {
            JsonObjectBuilder groups = JSON.createObjectBuilder();
            byGroup.forEach(groups::add);
            JsonObjectBuilder files = JSON.createObjectBuilder();
            fileChunks.forEach((file, n) -> {
                JsonObjectBuilder entry = JSON.createObjectBuilder().add("chunks", n[0]);
                String group = fileGroup.get(file);
                if (group == null) {
                    entry.addNull("group_key");
                } else {
                    entry.add("group_key", group);
                }
                files.add(Long.toString(file), entry);
            });
            return JSON.createObjectBuilder()
                    .add("total_chunks", chunks)
                    .add("total_files", fileChunks.size())
                    .add("total_groups", byGroup.size())
                    .add("chunks_by_group", groups)
                    .add("chunks_by_file", files)
                    .build();
        }
    }

    private void store(List<PointStruct> points) {
        call(() -> {
            for (int i = 0; i < points.size(); i += UPSERT_CHUNK) {
                api.points().upsert(collection(), points.subList(i, Math.min(points.size(), i + UPSERT_CHUNK)));
            }
            return null;
        });
    }

    /** Runs calls on the documents collection, creating it if missing and once more if it was deleted. */
    private <T> T call(java.util.function.Supplier<T> calls) {
        for (int attempt = 0; ; attempt++) {
            api.collections().ensure(collection(), CollectionKind.DOCUMENTS);
            try {
                return calls.get();
            } catch (CollectionMissingException e) {
                api.collections().forget(collection());
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private String collection() {
        return api.collections().documents();
    }

    private JsonFields body(ServerRequest req) {
        return JsonBodies.object(req, api.settings().maxBodyBytes());
    }
}
