package io.vectormemory.embedded.engine;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.vectormemory.embedded.model.Filter;
import io.vectormemory.embedded.model.FilterMatcher;
import io.vectormemory.embedded.model.JsonPath;
import io.vectormemory.embedded.model.Payloads;
import io.vectormemory.embedded.model.PointId;
import io.vectormemory.embedded.store.CollectionSpec;
import io.vectormemory.embedded.store.PointStore;
import io.vectormemory.embedded.store.StoredPoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Point update operations: conversion from {@link PointsUpdateOperation} (the message Qdrant's
 * UpdateBatch uses, and the form every point update is journaled in) and their application to a
 * {@link PointStore}, with Qdrant's semantics
 * (lib/shard/src/update.rs at v1.16.0; lib/collection/src/collection_manager/segments_updater.rs before).
 */
final class PointOps {

    private PointOps() {
    }

    /** A converted operation. {@link #prepare} validates against the collection, {@link #apply} runs it. */
    sealed interface Op permits Upsert, Delete, SetPayload, OverwritePayload, DeletePayload, ClearPayload {

        /** Checks that need the collection (vector dimension); preprocesses vectors. */
        default Op prepare(CollectionSpec spec) {
            return this;
        }

        /** Applies the operation; may throw NOT_FOUND for missing points after partial application like Qdrant. */
        void apply(PointStore store, long operationId);
    }

    /** Either explicit ids or a filter. */
    record Selector(List<PointId> ids, Filter filter) {
        /** Up to this many ids named by a filter's {@code has_id} are looked up one by one instead of searched. */
        private static final int LOOKUP_IDS = 10_000;

        List<PointId> resolve(PointStore store) {
            if (ids != null) {
                return ids;
            }
            java.util.Set<PointId> named = namedIds(filter);
            if (named == null || named.size() > LOOKUP_IDS) {
                return store.ids(filter);
            }
            // A lookup by id sees the latest writes without making them visible to searches first (which for the
            // Lucene store means a reopen), so e.g. a filtered delete sent with an upsert costs little.
            List<PointId> matching = new ArrayList<>(named.size());
            for (PointId id : new java.util.TreeSet<>(named)) {
                Optional<StoredPoint> p = store.get(id);
                if (p.isPresent() && FilterMatcher.matches(filter, id, p.get().payload(), true)) {
                    matching.add(id);
                }
            }
            return matching;
        }

        /** The ids a top-level {@code must: has_id} restricts the filter to (all of them if several), or null. */
        private static java.util.Set<PointId> namedIds(Filter filter) {
            java.util.Set<PointId> named = null;
            for (Filter.Condition c : filter.must()) {
                if (c instanceof Filter.HasId hasId) {
                    if (named == null) {
                        named = new java.util.HashSet<>(hasId.ids());
                    } else {
                        named.retainAll(hasId.ids());
                    }
                }
            }
            return named;
        }
    }

    record NewPoint(PointId id, float[] vector, Map<String, Value> payload) {
    }

    /**
     * Upsert; with an {@code updateFilter} (conditional upsert, Qdrant {@code conditional_upsert} in
     * lib/shard/src/update.rs) existing points that do not match the filter are left alone, new
     * points are inserted.
     */
    record Upsert(List<NewPoint> points, Filter updateFilter) implements Op {
        @Override
        public Op prepare(CollectionSpec spec) {
            List<NewPoint> prepared = new ArrayList<>(points.size());
            for (NewPoint p : points) {
                checkDimension(spec, p.vector().length);
                checkFinite(p.vector());
                prepared.add(new NewPoint(p.id(), spec.distance().preprocess(p.vector()), p.payload()));
            }
            return new Upsert(prepared, updateFilter);
        }

        /**
         * The payload is always replaced, also by an empty one: the behaviour since Qdrant v1.14.1
         * (qdrant PR #6533 fixed gRPC keeping the old payload when the new one was empty).
         */
        @Override
        public void apply(PointStore store, long operationId) {
            List<StoredPoint> stored = new ArrayList<>(points.size());
            for (NewPoint p : points) {
                if (updateFilter != null) {
                    Optional<StoredPoint> existing = store.get(p.id());
                    if (existing.isPresent() && !FilterMatcher.matches(updateFilter, p.id(),
                            existing.get().payload(), true)) {
                        continue;
                    }
                }
                stored.add(new StoredPoint(p.id(), p.vector(), Collections.unmodifiableMap(p.payload()), operationId));
            }
            store.upsert(operationId, stored);
        }
    }

    record Delete(Selector selector) implements Op {
        @Override
        public void apply(PointStore store, long operationId) {
            store.delete(operationId, selector.resolve(store));
        }
    }

    /** SetPayload: merge into the existing payload, or into the object at {@code key}. */
    record SetPayload(Map<String, Value> payload, Selector selector, JsonPath key) implements Op {
        @Override
        public void apply(PointStore store, long operationId) {
            forEachPoint(store, operationId, selector, old -> key == null
                    ? Payloads.merge(old, payload) : Payloads.setByKey(old, key, payload));
        }
    }

    /** OverwritePayload: replace the whole payload (Qdrant ignores {@code key} here). */
    record OverwritePayload(Map<String, Value> payload, Selector selector) implements Op {
        @Override
        public void apply(PointStore store, long operationId) {
            forEachPoint(store, operationId, selector, old -> payload);
        }
    }

    record DeletePayload(List<JsonPath> keys, Selector selector) implements Op {
        @Override
        public void apply(PointStore store, long operationId) {
            forEachPoint(store, operationId, selector, old -> {
                Map<String, Value> updated = old;
                for (JsonPath key : keys) {
                    updated = Payloads.remove(updated, key);
                }
                return updated;
            });
        }
    }

    record ClearPayload(Selector selector) implements Op {
        @Override
        public void apply(PointStore store, long operationId) {
            forEachPoint(store, operationId, selector, old -> Map.of());
        }
    }

    /**
     * Payload updates by id fail with NOT_FOUND naming the first missing id, after the existing
     * points were updated ({@code check_unprocessed_points}).
     */
    private static void forEachPoint(PointStore store, long operationId, Selector selector,
                                     java.util.function.UnaryOperator<Map<String, Value>> change) {
        PointId firstMissing = null;
        for (PointId id : selector.resolve(store)) {
            Optional<StoredPoint> point = store.get(id);
            if (point.isEmpty()) {
                if (firstMissing == null) {
                    firstMissing = id;
                }
                continue;
            }
            store.replacePayload(operationId, point.get(), change.apply(point.get().payload()));
        }
        if (firstMissing != null) {
            throw ApiError.notFound("No point with id " + firstMissing + " found");
        }
    }

    /**
     * Stored vectors must be finite numbers. Qdrant itself does not check this, but a NaN or
     * infinite component makes every score with that point NaN, and the HNSW index refuses it.
     */
    static void checkFinite(float[] vector) {
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                throw ApiError.badInput("Vector contains a value that is not a finite number");
            }
        }
    }

    static void checkDimension(CollectionSpec spec, int got) {
        if (got != spec.dimension()) {
            throw ApiError.badInput("Vector dimension error: expected dim: " + spec.dimension() + ", got " + got);
        }
    }

    // ---- conversion ----

    static List<Op> convert(List<PointsUpdateOperation> operations) {
        List<Op> out = new ArrayList<>(operations.size());
        for (PointsUpdateOperation op : operations) {
            out.add(convert(op));
        }
        return out;
    }

    static Op convert(PointsUpdateOperation op) {
        return switch (op.getOperationCase()) {
            case UPSERT -> {
                PointsUpdateOperation.PointStructList list = op.getUpsert();
                if (list.hasUpdateMode() && list.getUpdateMode() != Points.UpdateMode.Upsert) {
                    throw ApiError.unimplemented("update_mode " + list.getUpdateMode());
                }
                yield upsert(list.getPointsList(), list.hasUpdateFilter() ? Protos.filter(list.getUpdateFilter()) : null);
            }
            case DELETE_POINTS -> {
                if (!op.getDeletePoints().hasPoints()) {
                    throw ApiError.invalidArgument("PointSelector is missing");
                }
                yield new Delete(selector(op.getDeletePoints().getPoints()));
            }
            case DELETE_DEPRECATED -> new Delete(selector(op.getDeleteDeprecated()));
            case SET_PAYLOAD -> {
                PointsUpdateOperation.SetPayload s = op.getSetPayload();
                yield new SetPayload(Protos.payload(s.getPayloadMap()), requiredSelector(s.hasPointsSelector(),
                        s.getPointsSelector()), s.hasKey() ? Protos.path(s.getKey()) : null);
            }
            case OVERWRITE_PAYLOAD -> {
                PointsUpdateOperation.OverwritePayload s = op.getOverwritePayload();
                if (s.hasKey()) {
                    Protos.path(s.getKey());
                }
                yield new OverwritePayload(Protos.payload(s.getPayloadMap()),
                        requiredSelector(s.hasPointsSelector(), s.getPointsSelector()));
            }
            case DELETE_PAYLOAD -> {
                PointsUpdateOperation.DeletePayload d = op.getDeletePayload();
                List<JsonPath> keys = new ArrayList<>();
                for (String k : d.getKeysList()) {
                    keys.add(Protos.path(k));
                }
                yield new DeletePayload(keys, requiredSelector(d.hasPointsSelector(), d.getPointsSelector()));
            }
            case CLEAR_PAYLOAD -> {
                if (!op.getClearPayload().hasPoints()) {
                    throw ApiError.invalidArgument("PointSelector is missing");
                }
                yield new ClearPayload(selector(op.getClearPayload().getPoints()));
            }
            case CLEAR_PAYLOAD_DEPRECATED -> new ClearPayload(selector(op.getClearPayloadDeprecated()));
            case UPDATE_VECTORS, DELETE_VECTORS -> throw ApiError.unimplemented("vector updates");
            case OPERATION_NOT_SET -> throw ApiError.invalidArgument("Operation is missing");
        };
    }

    private static Selector requiredSelector(boolean present, Points.PointsSelector selector) {
        if (!present) {
            throw ApiError.invalidArgument("points_selector is expected");
        }
        return selector(selector);
    }

    static Selector selector(Points.PointsSelector selector) {
        return switch (selector.getPointsSelectorOneOfCase()) {
            case POINTS -> new Selector(Protos.pointIds(selector.getPoints().getIdsList()), null);
            case FILTER -> new Selector(null, Protos.filter(selector.getFilter()));
            default -> throw ApiError.invalidArgument("Malformed PointsSelector type");
        };
    }

    private static Upsert upsert(List<Points.PointStruct> points, Filter updateFilter) {
        // duplicate ids: the last one wins (Qdrant collects the batch into a map by id)
        Map<PointId, NewPoint> byId = new LinkedHashMap<>();
        for (Points.PointStruct p : points) {
            if (!p.hasId()) {
                throw ApiError.invalidArgument("Empty ID is not allowed");
            }
            PointId id = Protos.pointId(p.getId());
            if (!p.hasVectors()) {
                throw ApiError.invalidArgument("Expected some vectors");
            }
            float[] vector = vector(p.getVectors());
            byId.remove(id);
            byId.put(id, new NewPoint(id, vector, Protos.payload(p.getPayloadMap())));
        }
        return new Upsert(new ArrayList<>(byId.values()), updateFilter);
    }

    /** The unnamed dense vector of a point (lib/api/src/conversions/vectors.rs). */
    private static float[] vector(Points.Vectors vectors) {
        return switch (vectors.getVectorsOptionsCase()) {
            case VECTOR -> dense(vectors.getVector());
            case VECTORS -> {
                Map<String, Points.Vector> named = vectors.getVectors().getVectorsMap();
                for (String name : named.keySet()) {
                    if (!name.isEmpty()) {
                        throw ApiError.badInput("Not existing vector name error: " + name);
                    }
                }
                Points.Vector v = named.get("");
                if (v == null) {
                    throw ApiError.unimplemented("points without a vector");
                }
                yield dense(v);
            }
            case VECTORSOPTIONS_NOT_SET -> throw ApiError.invalidArgument("No Vector Provided");
        };
    }

    @SuppressWarnings("deprecation")
    static float[] dense(Points.Vector v) {
        return switch (v.getVectorCase()) {
            case DENSE -> toArray(v.getDense().getDataList());
            case SPARSE -> throw ApiError.invalidArgument("Sparse vector must be named");
            case MULTI_DENSE -> throw ApiError.badInput("Wrong usage of multi vectors");
            case DOCUMENT, IMAGE, OBJECT -> throw ApiError.unimplemented("inference (documents, images, objects)");
            case VECTOR_NOT_SET -> {
                if (v.hasIndices()) {
                    throw ApiError.invalidArgument("Sparse vector must be named");
                }
                if (v.hasVectorsCount()) {
                    throw ApiError.badInput("Wrong usage of multi vectors");
                }
                yield toArray(v.getDataList());
            }
        };
    }

    static float[] toArray(List<Float> data) {
        float[] out = new float[data.size()];
        if (data instanceof com.google.protobuf.Internal.FloatList floats) {
            for (int i = 0; i < out.length; i++) {
                out[i] = floats.getFloat(i);
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = data.get(i);
            }
        }
        return out;
    }

    // ---- single-operation requests as PointsUpdateOperation (the journal form) ----

    static PointsUpdateOperation upsertOp(Points.UpsertPoints r) {
        PointsUpdateOperation.PointStructList.Builder list = PointsUpdateOperation.PointStructList.newBuilder()
                .addAllPoints(r.getPointsList());
        if (r.hasUpdateFilter()) {
            list.setUpdateFilter(r.getUpdateFilter());
        }
        if (r.hasUpdateMode()) {
            list.setUpdateMode(r.getUpdateMode());
        }
        return PointsUpdateOperation.newBuilder().setUpsert(list).build();
    }

    static PointsUpdateOperation deleteOp(Points.DeletePoints r) {
        PointsUpdateOperation.DeletePoints.Builder d = PointsUpdateOperation.DeletePoints.newBuilder();
        if (r.hasPoints()) {
            d.setPoints(r.getPoints());
        }
        return PointsUpdateOperation.newBuilder().setDeletePoints(d).build();
    }

    static PointsUpdateOperation setPayloadOp(Points.SetPayloadPoints r) {
        PointsUpdateOperation.SetPayload.Builder s = PointsUpdateOperation.SetPayload.newBuilder()
                .putAllPayload(r.getPayloadMap());
        if (r.hasPointsSelector()) {
            s.setPointsSelector(r.getPointsSelector());
        }
        if (r.hasKey()) {
            s.setKey(r.getKey());
        }
        return PointsUpdateOperation.newBuilder().setSetPayload(s).build();
    }

    static PointsUpdateOperation overwritePayloadOp(Points.SetPayloadPoints r) {
        PointsUpdateOperation.OverwritePayload.Builder s = PointsUpdateOperation.OverwritePayload.newBuilder()
                .putAllPayload(r.getPayloadMap());
        if (r.hasPointsSelector()) {
            s.setPointsSelector(r.getPointsSelector());
        }
        if (r.hasKey()) {
            s.setKey(r.getKey());
        }
        return PointsUpdateOperation.newBuilder().setOverwritePayload(s).build();
    }

    static PointsUpdateOperation deletePayloadOp(Points.DeletePayloadPoints r) {
        PointsUpdateOperation.DeletePayload.Builder d = PointsUpdateOperation.DeletePayload.newBuilder()
                .addAllKeys(r.getKeysList());
        if (r.hasPointsSelector()) {
            d.setPointsSelector(r.getPointsSelector());
        }
        return PointsUpdateOperation.newBuilder().setDeletePayload(d).build();
    }

    static PointsUpdateOperation clearPayloadOp(Points.ClearPayloadPoints r) {
        PointsUpdateOperation.ClearPayload.Builder c = PointsUpdateOperation.ClearPayload.newBuilder();
        if (r.hasPoints()) {
            c.setPoints(r.getPoints());
        }
        return PointsUpdateOperation.newBuilder().setClearPayload(c).build();
    }
}
