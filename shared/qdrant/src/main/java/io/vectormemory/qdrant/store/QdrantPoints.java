package io.vectormemory.qdrant.store;

import com.google.common.primitives.Floats;
import io.qdrant.client.ConditionFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.VectorsOutput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import io.qdrant.client.grpc.Points.WriteOrderingType;
import io.vectormemory.qdrant.calls.QdrantCalls;
import io.vectormemory.qdrant.settings.WriteOrdering;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.qdrant.client.ConditionFactory.hasId;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;

/**
 * Point operations on a named collection, one Qdrant call each. Every write waits until Qdrant has applied it,
 * so a write that returned is seen by the next read, and carries the configured write ordering, so that on a
 * replicated cluster the replicas of a shard apply writes to one point in the same order.
 */
public final class QdrantPoints {
    /** Points per Qdrant upsert call: large batches go in a few calls, each well under gRPC's message limits. */
    static final int UPSERT_CHUNK = 256;
    /** Points listed, then deleted, per step of a counted delete. */
    static final int DELETE_PAGE = 1000;

    private final QdrantClient client;
    private final PointIds ids;
    private final WriteOrderingType ordering;
    private final Points.WriteOrdering orderingMessage;

    public QdrantPoints(QdrantClient client, PointIds ids, WriteOrdering ordering) {
        this.client = client;
        this.ids = ids;
        this.ordering = orderingType(ordering);
        this.orderingMessage = Points.WriteOrdering.newBuilder().setType(this.ordering).build();
    }

    /** The protocol's value of a write ordering. */
    public static WriteOrderingType orderingType(WriteOrdering ordering) {
        return switch (ordering) {
            case WEAK -> WriteOrderingType.Weak;
            case MEDIUM -> WriteOrderingType.Medium;
            case STRONG -> WriteOrderingType.Strong;
        };
    }

    public PointIds ids() {
        return ids;
    }

    /** A point keyed by the platform's string id, which is also stored as {@code _point_id}. */
    public PointStruct point(String id, float[] vector, Map<String, Value> payload) {
        return PointStruct.newBuilder()
                .setId(ids.toQdrant(id))
                .setVectors(Vectors.newBuilder().setVector(Vector.newBuilder()
                        .setDense(PackedFloats.denseVector(vector))))
                .putAllPayload(payload)
                .putPayload(PointIds.FIELD, Value.newBuilder().setStringValue(id).build())
                .build();
    }

    /** Upserts the points {@link #UPSERT_CHUNK} at a time; the points of earlier calls stay if a later one fails. */
    public void upsertInChunks(String collection, List<PointStruct> points) {
        for (int i = 0; i < points.size(); i += UPSERT_CHUNK) {
            upsert(collection, points.subList(i, Math.min(points.size(), i + UPSERT_CHUNK)));
        }
    }

    /**
     * Upserts the points, and in the same request removes the copies of the same string ids stored under the other
     * id scheme (after a change of {@code POINT_ID_SCHEME}), which would otherwise be found besides the new ones.
     * The removal comes second: if it fails, a duplicate is left, never a memory lost.
     */
    public void upsert(String collection, List<PointStruct> points) {
        PointsUpdateOperation upsert = PointsUpdateOperation.newBuilder()
                .setUpsert(PointsUpdateOperation.PointStructList.newBuilder().addAllPoints(points))
                .build();
        List<String> stringIds = new ArrayList<>(points.size());
        List<PointId> otherScheme = new ArrayList<>(points.size());
        for (PointStruct p : points) {
            Value stored = p.getPayloadMap().get(PointIds.FIELD);
            if (stored != null && stored.hasStringValue()) {
                stringIds.add(stored.getStringValue());
                otherScheme.add(ids.underOtherScheme(stored.getStringValue()));
            }
        }
        UpdateBatchPoints.Builder batch = UpdateBatchPoints.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .setOrdering(orderingMessage)
                .addOperations(upsert);
        if (!stringIds.isEmpty()) {
            batch.addOperations(PointsUpdateOperation.newBuilder()
                    .setDeletePoints(PointsUpdateOperation.DeletePoints.newBuilder()
                            .setPoints(PointsSelector.newBuilder()
                                    .setFilter(Filters.otherSchemeCopies(otherScheme, stringIds)))));
        }
        QdrantCalls.await(client.batchUpdateAsync(batch.build(), null));
    }

    /** The point a platform id names, under either id scheme (see {@link Filters#byStringId}). */
    public Optional<RetrievedPoint> find(String collection, String id, boolean withVector) {
        PointId derived = ids.toQdrant(id);
        ScrollResponse page = QdrantCalls.await(client.scrollAsync(ScrollPoints.newBuilder()
                .setCollectionName(collection)
                .setFilter(Filters.byStringId(derived, id))
                .setLimit(2)
                .setWithPayload(enable(true))
                .setWithVectors(WithVectorsSelector.newBuilder().setEnable(withVector))
                .build()));
        // Prefer the point that carries this exact string; a derived-id hit with another string is a hash
        // collision and not ours.
        RetrievedPoint fallback = null;
        for (RetrievedPoint p : page.getResultList()) {
            Value stored = p.getPayloadMap().get(PointIds.FIELD);
            if (stored != null && stored.hasStringValue()) {
                if (stored.getStringValue().equals(id)) {
                    return Optional.of(p);
                }
            } else if (p.getId().equals(derived)) {
                fallback = p;
            }
        }
        return Optional.ofNullable(fallback);
    }

    /** Deletes the point a platform id names, under either id scheme. Unknown ids are not an error. */
    public void delete(String collection, String id) {
        deleteWhere(collection, Filters.exactlyStringId(ids.toQdrant(id), id));
    }

    /**
     * Deletes every point matching the filter and returns how many it removed: the points are listed, then exactly
     * those are deleted, each only if it still matches. Points written meanwhile are neither removed nor counted
     * (the delete happened before them); only a point another request deletes, or changes so that it no longer
     * matches, between its listing and its deletion is counted without having been removed by this call.
     */
    public long deleteCounted(String collection, Filter filter) {
        long removed = 0;
        PointId offset = null;
        while (true) {
            ScrollResponse page = scroll(collection, filter, DELETE_PAGE, offset, enable(false));
            List<PointId> listed = new ArrayList<>(page.getResultCount());
            for (RetrievedPoint p : page.getResultList()) {
                listed.add(p.getId());
            }
            if (!listed.isEmpty()) {
                deleteWhere(collection, Filter.newBuilder()
                        .addMust(hasId(listed))
                        .addMust(ConditionFactory.filter(filter))
                        .build());
                removed += listed.size();
            }
            if (!page.hasNextPageOffset() || listed.isEmpty()) {
                return removed;
            }
            offset = page.getNextPageOffset();
        }
    }

    public long count(String collection, Filter filter) {
        return QdrantCalls.await(client.countAsync(collection, filter, true));
    }

    public void setPayload(String collection, Map<String, Value> payload, Filter filter) {
        QdrantCalls.await(client.setPayloadAsync(collection, payload, filter, true, ordering, null));
    }

    public List<ScoredPoint> search(String collection, float[] vector, Filter filter, long limit, float minScore) {
        return QdrantCalls.await(client.searchAsync(PackedFloats.withVector(SearchPoints.newBuilder(), vector)
                .setCollectionName(collection)
                .setFilter(filter)
                .setLimit(limit)
                .setScoreThreshold(minScore)
                .setWithPayload(enable(true))
                .build()));
    }

    public ScrollResponse scroll(String collection, Filter filter, int limit, PointId offset,
                                 WithPayloadSelector payload) {
        ScrollPoints.Builder request = ScrollPoints.newBuilder()
                .setCollectionName(collection)
                .setFilter(filter)
                .setLimit(limit)
                .setWithPayload(payload)
                .setWithVectors(WithVectorsSelector.newBuilder().setEnable(false));
        if (offset != null) {
            request.setOffset(offset);
        }
        return QdrantCalls.await(client.scrollAsync(request.build()));
    }

    /** The stored dense vector of a retrieved point, from either the current or the legacy output field. */
    public static Optional<float[]> vector(VectorsOutput vectors) {
        if (!vectors.hasVector()) {
            return Optional.empty();
        }
        VectorOutput v = vectors.getVector();
        List<Float> data = v.hasDense() ? v.getDense().getDataList() : v.getDataList();
        if (data.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Floats.toArray(data));
    }

    private void deleteWhere(String collection, Filter filter) {
        QdrantCalls.await(client.deleteAsync(DeletePoints.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .setOrdering(orderingMessage)
                .setPoints(PointsSelector.newBuilder().setFilter(filter))
                .build()));
    }
}
