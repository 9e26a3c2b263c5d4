package io.vectormemory.embedded.store;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.embedded.model.Filter;
import io.vectormemory.embedded.model.PointId;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The points of one collection.
 *
 * <p>Concurrency contract: the engine serialises writers per collection and never runs a
 * writer together with readers of the same collection (it holds a per-collection
 * read/write lock), so implementations only need to support concurrent <em>reads</em>; a
 * {@link #checkpoint} starts while no writer runs, and its {@link Checkpoint#commit} runs while
 * writers and readers go on (but no other checkpoint, payload index change or drop).
 *
 * <p>Every mutating call carries the operation id that caused it; {@link #finish} is called once at
 * the end of each operation (also when it changed nothing), with the journal position of its record.
 * Reads made by a writer in the middle of an operation see its earlier changes.
 *
 * <p>Durability: the engine journals every write before applying it. A persistent store's checkpoint
 * records exactly which operations its durable state contains (a commit may fall between two
 * operations of a record), and reports it back after a restart through {@link #durablePosition()} and
 * {@link #containedOperations(long)}, so the engine replays exactly the operations it lacks.
 */
public interface PointStore {

    CollectionSpec spec();

    /** Journal position (LSN) of the record that created this collection. */
    long createdAt();

    /** Id of the last finished operation, -1 when none. */
    long lastOperationId();

    /**
     * Journal position up to which this collection's records are wholly contained in the durable state; -1
     * when nothing is durable yet (a volatile store, or a new collection before its first checkpoint:
     * then its journal records from the creation on are replayed).
     */
    long durablePosition();

    // ---- writes ----

    /** Insert or replace points; vectors are preprocessed, payloads canonical. Last one wins for duplicate ids. */
    void upsert(long operationId, List<StoredPoint> points);

    /** Delete points; unknown ids are ignored. */
    void delete(long operationId, Collection<PointId> ids);

    /** Replace the payload of an existing point (as returned by {@link #get}). */
    void replacePayload(long operationId, StoredPoint point, Map<String, Value> payload);

    void createPayloadIndex(long operationId, String key, PayloadIndexSpec spec);

    void deletePayloadIndex(long operationId, String key);

    /**
     * End of an operation.
     *
     * @param position     journal position of the record the operation belongs to
     * @param lastOfRecord no further operation of that record follows (its last one, or the one whose failure
     *                     ended it)
     */
    void finish(long operationId, long position, boolean lastOfRecord);

    /**
     * Starts a checkpoint, with no write in progress (the engine holds the collection's read lock only for this
     * call). Null when nothing was applied since the last one, and always for volatile stores.
     *
     * @param position journal position of the last record applied
     */
    default Checkpoint checkpoint(long position) {
        return null;
    }

    /**
     * During replay, for the record at {@code position}: how many of its operations the durable state already
     * contains (a checkpoint fell between them); 0 for every other record.
     */
    default int containedOperations(long position) {
        return 0;
    }

    /** The last journal position any of whose operations the durable state contains (at least {@link #durablePosition}). */
    default long containedPosition() {
        return durablePosition();
    }

    /** A checkpoint started by {@link #checkpoint(long)}. */
    interface Checkpoint {
        /**
         * Makes durable at least everything applied before the checkpoint started, while writers go on; the
         * records it contains are first made durable in the journal ({@code journal}). Returns the new
         * {@link #durablePosition()}.
         */
        long commit(JournalSync journal) throws IOException;
    }

    /** Waits until the journal holds every record up to a position durably. */
    @FunctionalInterface
    interface JournalSync {
        void sync(long position) throws IOException;
    }

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
     * Scores are exact (the collection's {@link io.vectormemory.embedded.model.Distance}); an
     * approximate store may only miss points, never misrank or misscore the ones it returns.
     */
    List<ScoredPoint> search(float[] query, Filter filter, int k, SearchParams params);

    Map<String, PayloadIndexSpec> payloadIndexes();

    /** Number of points with at least one value of the index type under the indexed key. */
    long indexedPoints(String key);

    /** Number of points. */
    long size();

    /** Number of vectors held in an ANN index (0 for exact-only stores). */
    long indexedVectors();

    /** True while background optimization (merging, index building) is queued or running: status yellow. */
    default boolean optimizing() {
        return false;
    }

    int segments();
}
