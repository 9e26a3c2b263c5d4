package io.vectormemory.embedded.engine;

import com.google.protobuf.Message;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeleteFieldIndexCollection;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.vectormemory.embedded.journal.Journal;
import io.vectormemory.embedded.store.CollectionSpec;
import io.vectormemory.embedded.store.CollectionStore;
import io.vectormemory.embedded.store.PayloadIndexSpec;
import io.vectormemory.embedded.store.PointStore;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Qdrant semantics between the gRPC services and a {@link CollectionStore}: the catalogue of
 * collections, request validation and conversion, per-collection locking, operation ids, the
 * journal, and building responses. The point reads are in {@link PointReads}, checkpoints in
 * {@link Checkpoints}, and the replay of the journal at open in {@link JournalReplay}.
 *
 * <p>Locking: each collection has a read/write lock. Reads share it; every write (points and
 * payload index updates) holds it exclusively while it is journaled and applied, so the journal
 * order of a collection's operations is the order they were applied in. Creating and deleting
 * collections is serialised by one global lock.
 *
 * <p>Durability: a write is appended to the {@link Journal} and applied under the collection's
 * lock, then, with the lock released, waits until the journal is flushed to disk (one flush covers
 * all writers waiting at that moment: group commit). With {@code wait=true} the reply is sent only
 * then. A read answers only with state whose journal records are durable (it waits for the flush
 * of what it saw), so no client ever sees a write that a crash could take back. For a persistent
 * store, {@link #checkpoint()} periodically makes the collections durable in the store (while writers
 * go on) and shortens the journal; at start only the operations the checkpoints lack are replayed.
 *
 * <p>The reply status follows Qdrant (lib/collection/src/shards/local_shard/shard_ops.rs):
 * {@code Completed} when the client waited, {@code Acknowledged} otherwise. Operation ids count
 * per collection from 0, like a fresh Qdrant shard's WAL. Unlike Qdrant with {@code wait=false},
 * writes are applied before the reply and their errors are always reported.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    /**
     * The Qdrant release whose behaviour this engine follows: the version the project tests
     * against (the {@code qdrant.image} of the root pom, which CollectionsTest keeps equal). Reported by
     * the health check. The Qdrant sources cited in this module are of v1.16.0; that v1.16.3 answers
     * the functions' calls the same is what the backend contract checks against a real Qdrant
     * (QdrantContainerTest, bin/qdrant-conformance).
     */
    public static final String QDRANT_VERSION = "1.16.3";

    final CollectionStore store;
    final Map<String, CollectionHandle> collections = new ConcurrentHashMap<>();
    /** The global lock: creating and deleting collections, closing, and a checkpoint's journal roll. */
    final Object collectionsLock = new Object();
    Journal journal = Journal.none();
    /**
     * LSN of the record being replayed, which the write path takes instead of appending; -1 outside
     * replay (replay runs single-threaded at open).
     */
    long replayLsn = -1;
    /** While a journal is replayed or imported: whether the current record got as far as being applied. */
    boolean replayApplied;
    private final Checkpoints checkpoints = new Checkpoints(this);
    private final PointReads reads = new PointReads(this);
    private volatile boolean closed;

    private Engine(CollectionStore store) {
        this.store = store;
        for (String name : store.names()) {
            collections.put(name, new CollectionHandle(name, store.open(name)));
        }
    }

    /**
     * Opens the engine over a store. With a journal directory, the records the store does not
     * contain yet are replayed first and every later write is journaled there.
     */
    public static Engine open(CollectionStore store, Path journalDir) throws IOException {
        Engine engine = new Engine(store);
        if (journalDir != null) {
            engine.journal = new JournalReplay(engine).open(journalDir);
        }
        return engine;
    }

    /**
     * Checkpoints every {@code interval} while there are new writes (and early when the journal
     * grows large). Only for persistent stores; otherwise the journal is the only copy and stays whole.
     */
    public void startCheckpoints(Duration interval) {
        checkpoints.start(interval);
    }

    /**
     * Imports the records of a journal of the first release (an in-memory store's operation log) as
     * new writes; the caller checkpoints afterwards.
     */
    public long importLegacyJournal(Path file) throws IOException {
        return new JournalReplay(this).importLegacy(file);
    }

    /**
     * Makes every collection with new writes durable in the store (recording exactly which journaled
     * operations it contains), then deletes the journal segments that only hold records all collections
     * contain. Writers and readers of a collection go on while it is committed.
     */
    public void checkpoint() throws IOException {
        checkpoints.run();
    }

    /** Final checkpoint, then the journal and the store are closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        checkpoints.stop();
        try {
            checkpoint();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Final checkpoint failed; the journal still holds every write", e);
        }
        synchronized (collectionsLock) {
            journal.close();
            store.close();
        }
    }

    /**
     * Closes the journal and the store without a checkpoint, like a process that dies after its last
     * acknowledgement: the next start has to replay the journal. For recovery tests.
     */
    public void abandon() {
        closed = true;
        checkpoints.abandon(() -> {
            synchronized (collectionsLock) {
                journal.close();
                store.close();
            }
        });
    }

    // ------------------------------------------------------------------ collections

    public CollectionOperationResponse createCollection(CreateCollection request) {
        long start = System.nanoTime();
        String name = request.getCollectionName();
        Validation.newCollectionName(name);
        CollectionSpec spec = CollectionConfigs.spec(request);
        synchronized (collectionsLock) {
            if (collections.containsKey(name)) {
                throw ApiError.alreadyExists("Collection `" + name + "` already exists!");
            }
            long lsn = journal(request);
            durable(lsn);
            replayApplied = true;
            collections.put(name, new CollectionHandle(name, store.create(name, spec, lsn)));
        }
        return CollectionOperationResponse.newBuilder().setResult(true).setTime(seconds(start)).build();
    }

    /** Deleting an unknown collection is not an error in Qdrant: the result is false. */
    public CollectionOperationResponse deleteCollection(DeleteCollection request) {
        long start = System.nanoTime();
        String name = request.getCollectionName();
        Validation.collectionName(name);
        boolean deleted = false;
        synchronized (collectionsLock) {
            CollectionHandle h = collections.get(name);
            if (h != null) {
                h.lock.writeLock().lock();
                h.checkpointing.lock(); // not while its checkpoint commits
                try {
                    // durable before the data goes, so a restart cannot bring the collection back
                    durable(journal(request));
                    replayApplied = true;
                    h.dropped = true;
                    collections.remove(name);
                    store.drop(name);
                    deleted = true;
                } finally {
                    h.checkpointing.unlock();
                    h.lock.writeLock().unlock();
                }
            }
        }
        return CollectionOperationResponse.newBuilder().setResult(deleted).setTime(seconds(start)).build();
    }

    public Collections.ListCollectionsResponse listCollections() {
        long start = System.nanoTime();
        Collections.ListCollectionsResponse.Builder out = Collections.ListCollectionsResponse.newBuilder();
        for (String name : new TreeSet<>(collections.keySet())) {
            out.addCollections(Collections.CollectionDescription.newBuilder().setName(name));
        }
        return out.setTime(seconds(start)).build();
    }

    public Collections.CollectionExistsResponse collectionExists(Collections.CollectionExistsRequest request) {
        long start = System.nanoTime();
        Validation.collectionName(request.getCollectionName());
        boolean exists = collections.containsKey(request.getCollectionName());
        return Collections.CollectionExistsResponse.newBuilder()
                .setResult(Collections.CollectionExists.newBuilder().setExists(exists))
                .setTime(seconds(start)).build();
    }

    public Collections.GetCollectionInfoResponse collectionInfo(Collections.GetCollectionInfoRequest request) {
        long start = System.nanoTime();
        Validation.collectionName(request.getCollectionName());
        CollectionInfo info = read(request.getCollectionName(), h -> {
            PointStore s = h.store;
            CollectionInfo.Builder b = CollectionInfo.newBuilder()
                    // Qdrant's meaning: yellow while its optimizers run, green once they are done
                    .setStatus(s.optimizing()
                            ? Collections.CollectionStatus.Yellow
                            : Collections.CollectionStatus.Green)
                    .setOptimizerStatus(Collections.OptimizerStatus.newBuilder().setOk(true))
                    .setSegmentsCount(s.segments())
                    .setConfig(s.spec().config())
                    .setPointsCount(s.size())
                    .setIndexedVectorsCount(s.indexedVectors());
            s.payloadIndexes().forEach((key, index) -> {
                Collections.PayloadSchemaInfo.Builder schema = Collections.PayloadSchemaInfo.newBuilder()
                        .setDataType(index.type())
                        .setPoints(s.indexedPoints(key));
                if (index.params() != null) {
                    schema.setParams(index.params());
                }
                b.putPayloadSchema(key, schema.build());
            });
            return b.build();
        });
        return Collections.GetCollectionInfoResponse.newBuilder().setResult(info).setTime(seconds(start)).build();
    }

    // ------------------------------------------------------------------ point updates

    public PointsOperationResponse upsert(Points.UpsertPoints r) {
        return single(r.getCollectionName(), r.getWait(), PointOps.upsertOp(r));
    }

    public PointsOperationResponse delete(Points.DeletePoints r) {
        if (!r.hasPoints()) {
            Validation.collectionName(r.getCollectionName());
            throw ApiError.invalidArgument("PointSelector is missing");
        }
        return single(r.getCollectionName(), r.getWait(), PointOps.deleteOp(r));
    }

    public PointsOperationResponse setPayload(Points.SetPayloadPoints r) {
        return single(r.getCollectionName(), r.getWait(), PointOps.setPayloadOp(r));
    }

    public PointsOperationResponse overwritePayload(Points.SetPayloadPoints r) {
        return single(r.getCollectionName(), r.getWait(), PointOps.overwritePayloadOp(r));
    }

    public PointsOperationResponse deletePayload(Points.DeletePayloadPoints r) {
        return single(r.getCollectionName(), r.getWait(), PointOps.deletePayloadOp(r));
    }

    public PointsOperationResponse clearPayload(Points.ClearPayloadPoints r) {
        return single(r.getCollectionName(), r.getWait(), PointOps.clearPayloadOp(r));
    }

    public Points.UpdateBatchResponse updateBatch(UpdateBatchPoints r) {
        long start = System.nanoTime();
        if (r.getOperationsCount() == 0) {
            Validation.collectionName(r.getCollectionName());
            throw ApiError.validation("operations", "value [] invalid, must be at least 1 characters");
        }
        List<UpdateResult> results = update(r.getCollectionName(), r.getWait(), r);
        return Points.UpdateBatchResponse.newBuilder().addAllResult(results).setTime(seconds(start)).build();
    }

    private PointsOperationResponse single(String collection, boolean wait, Points.PointsUpdateOperation op) {
        long start = System.nanoTime();
        UpdateBatchPoints record = UpdateBatchPoints.newBuilder()
                .setCollectionName(collection).addOperations(op).build();
        UpdateResult result = update(collection, wait, record).getFirst();
        return PointsOperationResponse.newBuilder().setResult(result).setTime(seconds(start)).build();
    }

    /** Validates, journals and applies a batch of point operations; one operation id each. */
    List<UpdateResult> update(String collection, boolean wait, UpdateBatchPoints record) {
        Validation.collectionName(collection);
        List<PointOps.Op> ops = PointOps.convert(record.getOperationsList());
        CollectionHandle h = handle(collection);
        List<PointOps.Op> prepared = new ArrayList<>(ops.size());
        for (PointOps.Op op : ops) {
            prepared.add(op.prepare(h.store.spec()));
        }
        return write(h, record, prepared.size(), (opIndex, operationId) -> prepared.get(opIndex)
                .apply(h.store, operationId), wait);
    }

    public PointsOperationResponse createFieldIndex(CreateFieldIndexCollection r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        Validation.notEmpty("field_name", r.getFieldName());
        String key = Protos.path(r.getFieldName()).toString();
        PayloadIndexSpec spec = FieldIndexes.spec(r);
        CollectionHandle h = handle(r.getCollectionName());
        UpdateResult result = write(h, r, 1, (i, operationId) -> whileNotCommitting(h,
                () -> h.store.createPayloadIndex(operationId, key, spec)), r.getWait()).getFirst();
        return PointsOperationResponse.newBuilder().setResult(result).setTime(seconds(start)).build();
    }

    public PointsOperationResponse deleteFieldIndex(DeleteFieldIndexCollection r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        Validation.notEmpty("field_name", r.getFieldName());
        String key = Protos.path(r.getFieldName()).toString();
        CollectionHandle h = handle(r.getCollectionName());
        UpdateResult result = write(h, r, 1, (i, operationId) -> whileNotCommitting(h,
                () -> h.store.deletePayloadIndex(operationId, key)), r.getWait()).getFirst();
        return PointsOperationResponse.newBuilder().setResult(result).setTime(seconds(start)).build();
    }

    @FunctionalInterface
    private interface Step {
        void apply(int index, long operationId);
    }

    /** A change to the payload indexes, which a checkpoint's commit data lists: not while one commits. */
    private static void whileNotCommitting(CollectionHandle h, Runnable change) {
        h.checkpointing.lock();
        try {
            change.run();
        } finally {
            h.checkpointing.unlock();
        }
    }

    /**
     * Under the collection's write lock: journal the record, then run {@code count} steps with
     * consecutive operation ids. A failing step ends the batch (its id is used, later ones are
     * not), exactly as it will on replay. On replay, the steps the store already holds (a checkpoint
     * fell between them) are skipped. Then, without the lock, wait for the journal flush
     * ({@code wait=true}) or have it done soon.
     */
    private List<UpdateResult> write(CollectionHandle h, Message record, int count, Step step, boolean wait) {
        long lsn;
        List<UpdateResult> results = new ArrayList<>(count);
        h.lock.writeLock().lock();
        try {
            if (h.dropped) {
                throw notFound(h.name);
            }
            h.checkIntact();
            lsn = journal(record);
            replayApplied = true;
            h.lastLsn = lsn;
            int contained = replaying() ? h.store.containedOperations(lsn) : 0;
            for (int i = contained; i < count; i++) {
                long operationId = h.nextOperationId++;
                boolean last = i == count - 1;
                try {
                    step.apply(i, operationId);
                } catch (ApiError e) {
                    last = true;
                    journal.syncLater();
                    throw e;
                } catch (RuntimeException e) {
                    // e.g. an I/O error in the index: fail closed until a restart rebuilds it from the journal
                    last = true;
                    h.broken = e;
                    LOG.log(Level.SEVERE, "Applying a journaled write to collection `" + h.name + "` failed", e);
                    journal.syncLater();
                    throw h.storageFailure();
                } finally {
                    h.store.finish(operationId, lsn, last);
                }
                results.add(UpdateResult.newBuilder()
                        .setOperationId(operationId)
                        .setStatus(wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged)
                        .build());
            }
        } finally {
            h.lock.writeLock().unlock();
        }
        if (!replaying()) {
            if (wait) {
                durable(lsn);
            } else {
                journal.syncLater();
            }
            checkpoints.soonIfLarge();
        }
        return results;
    }

    // ------------------------------------------------------------------ reads

    public Points.GetResponse get(Points.GetPoints r) {
        return reads.get(r);
    }

    public Points.SearchResponse search(Points.SearchPoints r) {
        return reads.search(r);
    }

    public Points.SearchBatchResponse searchBatch(Points.SearchBatchPoints r) {
        return reads.searchBatch(r);
    }

    public Points.QueryResponse query(Points.QueryPoints r) {
        return reads.query(r);
    }

    public Points.QueryBatchResponse queryBatch(Points.QueryBatchPoints r) {
        return reads.queryBatch(r);
    }

    public Points.ScrollResponse scroll(Points.ScrollPoints r) {
        return reads.scroll(r);
    }

    public Points.CountResponse count(Points.CountPoints r) {
        return reads.count(r);
    }

    // ------------------------------------------------------------------ collection access

    private CollectionHandle handle(String name) {
        CollectionHandle h = collections.get(name);
        if (h == null) {
            throw notFound(name);
        }
        return h;
    }

    /** Runs a read under the collection's read lock; answers once what it saw is durable. */
    <T> T read(String name, Function<CollectionHandle, T> action) {
        CollectionHandle h = handle(name);
        T result;
        long seen;
        h.lock.readLock().lock();
        try {
            if (h.dropped) {
                throw notFound(name);
            }
            h.checkIntact();
            seen = h.lastLsn;
            result = action.apply(h);
        } finally {
            h.lock.readLock().unlock();
        }
        durable(seen);
        return result;
    }

    private static ApiError notFound(String name) {
        return ApiError.notFound("Collection `" + name + "` doesn't exist!");
    }

    // ------------------------------------------------------------------ journal

    private boolean replaying() {
        return replayLsn >= 0;
    }

    /** Appends the record (or takes the LSN of the one being replayed). */
    private long journal(Message record) {
        if (replaying()) {
            return replayLsn;
        }
        if (closed) {
            throw ApiError.internal("the server is shutting down");
        }
        try {
            return journal.append(record);
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "Journal write failed", e);
            throw ApiError.internal("failed to persist the operation: " + e.getMessage());
        }
    }

    /** Waits until the journal holds everything up to lsn durably. */
    private void durable(long lsn) {
        if (replaying()) {
            return;
        }
        try {
            journal.sync(lsn);
        } catch (IOException e) {
            throw ApiError.internal("failed to persist the operation: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ helpers

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
