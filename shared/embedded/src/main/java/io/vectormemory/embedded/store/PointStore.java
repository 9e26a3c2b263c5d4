package io.vectormemory.embedded.store;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.embedded.model.Filter;
import io.vectormemory.embedded.model.PointId;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The points of one collection.
 *
 * <p>Concurrency contract: the engine serialises writers per collection and never runs a
 * writer together with readers of the same collection (it holds a per-collection
 * read/write lock), so implementations only need to support concurrent <em>reads</em>.
 *
 * <p>Every mutating call carries the operation id that caused it; {@link #commit(long)} is
 * called once at the end of each operation (also when it changed nothing) and is the point
 * where a persistent implementation makes the operation durable.
 */
public interface PointStore {

    CollectionSpec spec();

    /** Id of the last committed operation, -1 when none. */
    long lastOperationId();

    // ---- writes ----

    /** Insert or replace points; vectors are preprocessed, payloads canonical. Last one wins for duplicate ids. */
    void upsert(long operationId, List<StoredPoint> points);

    /** Delete points; unknown ids are ignored. Returns how many were deleted. */
    int delete(long operationId, Collection<PointId> ids);

    /** Replace the payload of an existing point. Returns false when the point does not exist. */
    boolean replacePayload(long operationId, PointId id, Map<String, Value> payload);

    void createPayloadIndex(long operationId, String key, PayloadIndexSpec spec);

    void deletePayloadIndex(long operationId, String key);

    /** End of an operation. */
    void commit(long operationId);

    // ---- reads ----

    long count(Filter filter);

    Optional<StoredPoint> get(PointId id);

    /** Points matching the filter with id &gt;= {@code from} (null: from the start), in id order, at most {@code limit}. */
    List<StoredPoint> scroll(PointId from, Filter filter, int limit);

    /** Ids of all points matching the filter, in id order. */
    List<PointId> ids(Filter filter);

    /**
     * The {@code k} best points for a preprocessed query vector among those matching the filter,
     * best first; equal scores are ordered by point id (see {@code Engine} for the reasoning).
     */
    List<ScoredPoint> search(float[] query, Filter filter, int k);

    Map<String, PayloadIndexSpec> payloadIndexes();

    /** Number of points with at least one value of the index type under the indexed key. */
    long indexedPoints(String key);

    /** Number of points. */
    long size();

    /** Number of vectors held in an ANN index (0 for exact-only stores). */
    long indexedVectors();

    int segments();
}
