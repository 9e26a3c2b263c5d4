package io.vectormemory.embedded.engine;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
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
import io.vectormemory.embedded.journal.LegacyJournal;
import io.vectormemory.embedded.journal.WriteAheadLog;
import io.vectormemory.embedded.model.Distance;
import io.vectormemory.embedded.model.Filter;
import io.vectormemory.embedded.model.PointId;
import io.vectormemory.embedded.store.CollectionSpec;
import io.vectormemory.embedded.store.CollectionStore;
import io.vectormemory.embedded.store.PayloadIndexSpec;
import io.vectormemory.embedded.store.PointStore;
import io.vectormemory.embedded.store.ScoredPoint;
import io.vectormemory.embedded.store.SearchParams;
import io.vectormemory.embedded.store.StoredPoint;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Qdrant semantics between the gRPC services and a {@link CollectionStore}: request
 * validation and conversion, per-collection locking, operation ids, the journal, and building
 * responses.
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
 * store, {@link #checkpoint()} periodically makes the collections durable in the store, recording
 * the journal position each contains, and drops the journal segments no longer needed; at start
 * only the records after those positions are replayed.
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
     * against (the {@code qdrant.image} of the root pom). Reported by the health check.
     */
    public static final String QDRANT_VERSION = "1.16.0";

    /** Checkpoint as soon as the current journal segment grows past this. */
    private static final long CHECKPOINT_JOURNAL_BYTES = 64L * 1024 * 1024;

    private final CollectionStore store;
    private final Map<String, Handle> collections = new ConcurrentHashMap<>();
    /** LSN of the record being replayed; -1 outside replay (replay runs single-threaded at open). */
    private long replayLsn = -1;
    /** During replay: whether the current record got as far as being applied. */
    private boolean replayApplied;
    private final Object collectionsLock = new Object();
    private final Object checkpointLock = new Object();
    private Journal journal = Journal.none();
    private ScheduledExecutorService checkpoints;
    private final AtomicBoolean checkpointQueued = new AtomicBoolean();
    private volatile boolean closed;

    private static final class Handle {
        final String name;
        final PointStore store;
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        boolean dropped;
        /** Set when applying a journaled write failed in the store: its state no longer matches the journal. */
        volatile RuntimeException broken;
        long nextOperationId;
        /** LSN of the last journal record applied to this collection (guarded by lock). */
        volatile long lastLsn;

        Handle(String name, PointStore store) {
            this.name = name;
            this.store = store;
            this.nextOperationId = store.lastOperationId() + 1;
            this.lastLsn = Math.max(store.createdAt(), store.durablePosition());
        }
    }

    private Engine(CollectionStore store) {
        this.store = store;
        for (String name : store.names()) {
            collections.put(name, new Handle(name, store.open(name)));
        }
    }

    /**
     * Opens the engine over a store. With a journal directory, the records the store does not
     * contain yet are replayed first and every later write is journaled there.
     */
    public static Engine open(CollectionStore store, Path journalDir) throws IOException {
        Engine engine = new Engine(store);
        if (journalDir != null) {
            long contained = 0;
            String newest = null;
            for (Handle h : engine.collections.values()) {
                if (h.lastLsn > contained) {
                    contained = h.lastLsn;
                    newest = h.name;
                }
            }
            long start = System.nanoTime();
            long[] replayed = {0};
            WriteAheadLog wal = WriteAheadLog.open(journalDir, contained + 1, (lsn, record) -> {
                replayed[0]++;
                engine.replay(lsn, record);
            });
            engine.replayLsn = -1;
            long ms = (System.nanoTime() - start) / 1_000_000;
            LOG.info(() -> "Journal " + journalDir + ": " + replayed[0] + " records read, the ones newer than the "
                    + "collections' checkpoints replayed, in " + ms + " ms");
            if (wal.lastLsn() < contained) {
                wal.close();
                throw new IOException("journal " + journalDir + " ends at record " + wal.lastLsn()
                        + " but collection `" + newest + "` contains records up to " + contained
                        + ": the journal is incomplete");
            }
            engine.journal = wal;
        }
        return engine;
    }

    /**
     * Checkpoints every {@code interval} while there are new writes (and early when the journal
     * grows large). Only for persistent stores; otherwise the journal is the only copy and stays whole.
     */
    public void startCheckpoints(Duration interval) {
        if (!store.persistent() || checkpoints != null) {
            return;
        }
        checkpoints = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedded-qdrant-checkpoint");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        checkpoints.scheduleWithFixedDelay(this::checkpointQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Imports the records of a journal of the first release (an in-memory store's operation log) as
     * new writes; the caller checkpoints afterwards.
     */
    public long importLegacyJournal(Path file) throws IOException {
        return LegacyJournal.read(file, record -> dispatch(record, false));
    }

    /** Final checkpoint, then the journal and the store are closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (checkpoints != null) {
            checkpoints.shutdown();
            try {
                checkpoints.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        if (checkpoints != null) {
            checkpoints.shutdownNow();
        }
        synchronized (checkpointLock) {
            synchronized (collectionsLock) {
                journal.close();
                store.close();
            }
        }
    }

    // ------------------------------------------------------------------ checkpoints

    private void checkpointQuietly() {
        checkpointQueued.set(false);
        try {
            checkpoint();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Checkpoint failed; the journal keeps every write until the next one", e);
        }
    }

    /**
     * Makes every collection with new writes durable in the store (recording the journal position it
     * contains), then deletes the journal segments that only hold records all collections contain.
     * Writers of a collection wait while it is committed; readers do not.
     */
    public void checkpoint() throws IOException {
        if (!store.persistent()) {
            return;
        }
        synchronized (checkpointLock) {
            long firstKept;
            List<Handle> handles;
            synchronized (collectionsLock) {
                // records before firstKept are in closed segments; every collection they touch is in handles
                firstKept = journal.roll();
                handles = new ArrayList<>(collections.values());
            }
            boolean complete = true;
            for (Handle h : handles) {
                h.lock.readLock().lock();
                try {
                    long position = h.lastLsn;
                    if (h.dropped || position <= h.store.durablePosition()) {
                        continue;
                    }
                    if (h.broken != null) {
                        // its journal records are its only good copy: keep them all
                        complete = false;
                        continue;
                    }
                    // the store must not contain writes the journal could still lose
                    journal.sync(position);
                    h.store.checkpoint(position);
                } finally {
                    h.lock.readLock().unlock();
                }
            }
            if (!complete) {
                return;
            }
            journal.truncateBefore(firstKept);
        }
    }

    private void checkpointSoonIfLarge() {
        if (checkpoints != null && journal.bytesSinceRoll() > CHECKPOINT_JOURNAL_BYTES
                && checkpointQueued.compareAndSet(false, true)) {
            try {
                checkpoints.execute(this::checkpointQuietly);
            } catch (RejectedExecutionException e) {
                checkpointQueued.set(false);
            }
        }
    }

    // ------------------------------------------------------------------ journal replay

    private void replay(long lsn, Any record) {
        replayLsn = lsn;
        dispatch(record, true);
    }

    /** Applies one journaled request: a replayed one (skipped when the store already has it) or an imported one. */
    private void dispatch(Any record, boolean replaying) {
        replayApplied = false;
        try {
            if (record.is(UpdateBatchPoints.class)) {
                UpdateBatchPoints batch = record.unpack(UpdateBatchPoints.class);
                if (!replaying || contains(batch.getCollectionName())) {
                    update(batch.getCollectionName(), true, batch);
                }
            } else if (record.is(CreateCollection.class)) {
                CreateCollection create = record.unpack(CreateCollection.class);
                Handle h = collections.get(create.getCollectionName());
                // the collection of that record (or a later one of the same name) is already on disk
                if (!replaying || h == null || h.store.createdAt() < replayLsn) {
                    createCollection(create);
                }
            } else if (record.is(DeleteCollection.class)) {
                DeleteCollection delete = record.unpack(DeleteCollection.class);
                Handle h = collections.get(delete.getCollectionName());
                if (!replaying || (h != null && h.store.createdAt() < replayLsn)) {
                    deleteCollection(delete);
                }
            } else if (record.is(CreateFieldIndexCollection.class)) {
                CreateFieldIndexCollection create = record.unpack(CreateFieldIndexCollection.class);
                if (!replaying || contains(create.getCollectionName())) {
                    createFieldIndex(create);
                }
            } else if (record.is(DeleteFieldIndexCollection.class)) {
                DeleteFieldIndexCollection delete = record.unpack(DeleteFieldIndexCollection.class);
                if (!replaying || contains(delete.getCollectionName())) {
                    deleteFieldIndex(delete);
                }
            } else {
                throw new IllegalStateException("Unknown journal record type " + record.getTypeUrl());
            }
        } catch (ApiError e) {
            if (replayApplied) {
                // the same deterministic failure the client saw when the operation was first applied
                LOG.log(Level.FINE, "Replayed operation failed as it did originally: {0}", e.getMessage());
            } else {
                LOG.warning(() -> "Journal record " + record.getTypeUrl() + " rejected on replay and skipped: "
                        + e.getMessage());
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Corrupt journal record " + record.getTypeUrl(), e);
        }
    }

    /** During replay: whether the record at replayLsn is for an existing collection that does not contain it yet. */
    private boolean contains(String collection) {
        Handle h = collections.get(collection);
        return h == null || replayLsn > h.store.durablePosition();
    }

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
            collections.put(name, new Handle(name, store.create(name, spec, lsn)));
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
            Handle h = collections.get(name);
            if (h != null) {
                h.lock.writeLock().lock();
                try {
                    // durable before the data goes, so a restart cannot bring the collection back
                    durable(journal(request));
                    replayApplied = true;
                    h.dropped = true;
                    collections.remove(name);
                    store.drop(name);
                    deleted = true;
                } finally {
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
    private List<UpdateResult> update(String collection, boolean wait, UpdateBatchPoints record) {
        Validation.collectionName(collection);
        List<PointOps.Op> ops = PointOps.convert(record.getOperationsList());
        Handle h = handle(collection);
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
        Handle h = handle(r.getCollectionName());
        UpdateResult result = write(h, r, 1, (i, operationId) -> h.store.createPayloadIndex(operationId, key, spec),
                r.getWait()).getFirst();
        return PointsOperationResponse.newBuilder().setResult(result).setTime(seconds(start)).build();
    }

    public PointsOperationResponse deleteFieldIndex(DeleteFieldIndexCollection r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        Validation.notEmpty("field_name", r.getFieldName());
        String key = Protos.path(r.getFieldName()).toString();
        Handle h = handle(r.getCollectionName());
        UpdateResult result = write(h, r, 1, (i, operationId) -> h.store.deletePayloadIndex(operationId, key),
                r.getWait()).getFirst();
        return PointsOperationResponse.newBuilder().setResult(result).setTime(seconds(start)).build();
    }

    @FunctionalInterface
    private interface Step {
        void apply(int index, long operationId);
    }

    /**
     * Under the collection's write lock: journal the record, then run {@code count} steps with
     * consecutive operation ids. A failing step ends the batch (its id is used, later ones are
     * not), exactly as it will on replay. Then, without the lock, wait for the journal flush
     * ({@code wait=true}) or have it done soon.
     */
    private List<UpdateResult> write(Handle h, Message record, int count, Step step, boolean wait) {
        long lsn;
        List<UpdateResult> results = new ArrayList<>(count);
        h.lock.writeLock().lock();
        try {
            if (h.dropped) {
                throw notFound(h.name);
            }
            checkIntact(h);
            lsn = journal(record);
            replayApplied = true;
            h.lastLsn = lsn;
            for (int i = 0; i < count; i++) {
                long operationId = h.nextOperationId++;
                try {
                    step.apply(i, operationId);
                } catch (ApiError e) {
                    journal.syncLater();
                    throw e;
                } catch (RuntimeException e) {
                    // e.g. an I/O error in the index: fail closed until a restart rebuilds it from the journal
                    h.broken = e;
                    LOG.log(Level.SEVERE, "Applying a journaled write to collection `" + h.name + "` failed", e);
                    journal.syncLater();
                    throw storageFailure(h);
                } finally {
                    h.store.finish(operationId);
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
            checkpointSoonIfLarge();
        }
        return results;
    }

    // ------------------------------------------------------------------ reads

    public Points.GetResponse get(Points.GetPoints r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        List<PointId> ids = Protos.pointIds(r.getIdsList());
        Protos.PayloadSelection payload = Protos.payloadSelection(r.hasWithPayload(), r.getWithPayload(),
                Protos.PayloadSelection.NONE);
        boolean withVectors = Protos.withVectors(r.hasWithVectors(), r.getWithVectors());
        List<Points.RetrievedPoint> result = read(r.getCollectionName(), h -> {
            List<Points.RetrievedPoint> out = new ArrayList<>();
            // in the order asked for, each point once (lib/collection/src/collection/point_ops.rs)
            for (PointId id : new LinkedHashSet<>(ids)) {
                h.store.get(id).ifPresent(p -> out.add(retrieved(p, payload, withVectors)));
            }
            return out;
        });
        return Points.GetResponse.newBuilder().addAllResult(result).setTime(seconds(start)).build();
    }

    public Points.SearchResponse search(Points.SearchPoints r) {
        long start = System.nanoTime();
        List<Points.ScoredPoint> result = searchPoints(r);
        return Points.SearchResponse.newBuilder().addAllResult(result).setTime(seconds(start)).build();
    }

    public Points.SearchBatchResponse searchBatch(Points.SearchBatchPoints r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        Points.SearchBatchResponse.Builder out = Points.SearchBatchResponse.newBuilder();
        for (Points.SearchPoints search : r.getSearchPointsList()) {
            out.addResult(Points.BatchResult.newBuilder().addAllResult(
                    searchPoints(search.toBuilder().setCollectionName(r.getCollectionName()).build())));
        }
        return out.setTime(seconds(start)).build();
    }

    private List<Points.ScoredPoint> searchPoints(Points.SearchPoints r) {
        Validation.collectionName(r.getCollectionName());
        Validation.atLeastOne("limit", r.getLimit());
        if (r.hasSparseIndices()) {
            throw ApiError.unimplemented("sparse vectors");
        }
        Filter filter = Protos.filter(r.hasFilter(), r.getFilter());
        Protos.PayloadSelection payload = Protos.payloadSelection(r.hasWithPayload(), r.getWithPayload(),
                Protos.PayloadSelection.NONE);
        boolean withVectors = Protos.withVectors(r.hasWithVectors(), r.getWithVectors());
        float[] vector = PointOps.toArray(r.getVectorList());
        String vectorName = r.hasVectorName() ? r.getVectorName() : "";
        SearchParams params = searchParams(r.hasParams(), r.getParams());
        return read(r.getCollectionName(), h -> {
            checkVectorName(vectorName);
            return nearest(h, vector, filter, unsigned(r.getLimit()), r.hasOffset() ? unsigned(r.getOffset()) : 0,
                    r.hasScoreThreshold() ? r.getScoreThreshold() : null, params, payload, withVectors);
        });
    }

    public Points.QueryResponse query(Points.QueryPoints r) {
        long start = System.nanoTime();
        List<Points.ScoredPoint> result = queryPoints(r);
        return Points.QueryResponse.newBuilder().addAllResult(result).setTime(seconds(start)).build();
    }

    public Points.QueryBatchResponse queryBatch(Points.QueryBatchPoints r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        Points.QueryBatchResponse.Builder out = Points.QueryBatchResponse.newBuilder();
        for (Points.QueryPoints query : r.getQueryPointsList()) {
            out.addResult(Points.BatchResult.newBuilder().addAllResult(
                    queryPoints(query.toBuilder().setCollectionName(r.getCollectionName()).build())));
        }
        return out.setTime(seconds(start)).build();
    }

    /**
     * The universal query API, for what this engine supports: no query (points by id, score 0),
     * and {@code nearest} with a dense vector or a point id (whose point is then excluded from
     * the result, lib/collection/src/operations/universal_query/collection_query.rs).
     * Defaults: limit 10, offset 0, no payload, no vectors.
     */
    private List<Points.ScoredPoint> queryPoints(Points.QueryPoints r) {
        Validation.collectionName(r.getCollectionName());
        if (r.hasLimit()) {
            Validation.atLeastOne("limit", r.getLimit());
        }
        if (r.getPrefetchCount() > 0) {
            throw ApiError.unimplemented("prefetch");
        }
        if (r.hasLookupFrom()) {
            throw ApiError.unimplemented("lookup_from");
        }
        Filter filter = Protos.filter(r.hasFilter(), r.getFilter());
        long limit = r.hasLimit() ? unsigned(r.getLimit()) : 10;
        long offset = r.hasOffset() ? unsigned(r.getOffset()) : 0;
        Protos.PayloadSelection payload = Protos.payloadSelection(r.hasWithPayload(), r.getWithPayload(),
                Protos.PayloadSelection.NONE);
        boolean withVectors = Protos.withVectors(r.hasWithVectors(), r.getWithVectors());
        Float threshold = r.hasScoreThreshold() ? r.getScoreThreshold() : null;
        String using = r.hasUsing() ? r.getUsing() : "";
        SearchParams params = searchParams(r.hasParams(), r.getParams());

        if (!r.hasQuery()) {
            return read(r.getCollectionName(), h -> {
                int n = (int) Math.min(Integer.MAX_VALUE - 1, limit + offset);
                List<StoredPoint> page = h.store.scroll(null, filter, n);
                List<Points.ScoredPoint> out = new ArrayList<>();
                for (int i = (int) Math.min(offset, page.size()); i < page.size(); i++) {
                    out.add(scored(page.get(i), 0f, payload, withVectors));
                }
                return out;
            });
        }
        Points.Query query = r.getQuery();
        if (query.getVariantCase() != Points.Query.VariantCase.NEAREST) {
            throw ApiError.unimplemented("query type " + query.getVariantCase());
        }
        Points.VectorInput input = query.getNearest();
        return switch (input.getVariantCase()) {
            case DENSE -> {
                float[] vector = PointOps.toArray(input.getDense().getDataList());
                yield read(r.getCollectionName(), h -> {
                    checkVectorName(using);
                    return nearest(h, vector, filter, limit, offset, threshold, params, payload, withVectors);
                });
            }
            case ID -> {
                PointId id = Protos.pointId(input.getId());
                yield read(r.getCollectionName(), h -> {
                    checkVectorName(using);
                    // Qdrant: CollectionError::NotFound for the missing vector of the point
                    StoredPoint reference = h.store.get(id)
                            .orElseThrow(() -> ApiError.notFound("Vector with name \"\" for point not found"));
                    Filter excluding = Filter.and(filter, Protos.excludeIds(Set.of(id)));
                    return nearest(h, reference.vector(), excluding, limit, offset, threshold, params, payload,
                            withVectors);
                });
            }
            case SPARSE -> throw ApiError.unimplemented("sparse vectors");
            case MULTI_DENSE -> throw ApiError.badInput("Wrong usage of multi vectors");
            default -> throw ApiError.unimplemented("query input " + input.getVariantCase());
        };
    }

    /** {@code exact} and {@code hnsw_ef}; quantization settings do not apply (vectors are never quantized). */
    private static SearchParams searchParams(boolean present, Points.SearchParams p) {
        if (!present) {
            return SearchParams.DEFAULT;
        }
        long ef = p.hasHnswEf() ? p.getHnswEf() : 0;
        return new SearchParams(p.hasExact() && p.getExact(), (int) Math.max(0, Math.min(ef, 1 << 20)));
    }

    private static void checkVectorName(String name) {
        if (!name.isEmpty()) {
            throw ApiError.badInput("Not existing vector name error: " + name);
        }
    }

    /**
     * Nearest neighbours with exact scores. As in Qdrant the top {@code limit + offset} points are taken, the
     * score threshold cuts the ordered list (strict comparison, see
     * {@link Distance#passesThreshold}), then {@code offset} points are skipped.
     *
     * <p>Equal scores: Qdrant orders search results by score only ({@code Ord for ScoredPoint}
     * in lib/segment/src/types.rs compares scores, and segment/shard merging does not break
     * ties), so the order of ties is unspecified there. This engine orders ties by point id
     * (numbers ascending, then UUIDs) to be deterministic.
     */
    private List<Points.ScoredPoint> nearest(Handle h, float[] vector, Filter filter, long limit, long offset,
                                             Float threshold, SearchParams params, Protos.PayloadSelection payload,
                                             boolean withVectors) {
        CollectionSpec spec = h.store.spec();
        PointOps.checkDimension(spec, vector.length);
        float[] query = spec.distance().preprocess(vector);
        int k = (int) Math.min(Integer.MAX_VALUE - 1, limit + offset);
        List<ScoredPoint> hits = h.store.search(query, filter, k, params);
        List<Points.ScoredPoint> out = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            ScoredPoint hit = hits.get(i);
            if (threshold != null && !spec.distance().passesThreshold(hit.score(), threshold)) {
                break;
            }
            if (i >= offset) {
                out.add(scored(hit.point(), hit.score(), payload, withVectors));
            }
        }
        return out;
    }

    /**
     * Points in id order from {@code offset} (inclusive). {@code next_page_offset} is the id of
     * the first point after the page, absent on the last page
     * (lib/collection/src/collection/point_ops.rs {@code scroll_by}). Defaults: limit 10, with
     * payload, without vectors.
     */
    public Points.ScrollResponse scroll(Points.ScrollPoints r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        if (r.hasLimit()) {
            Validation.atLeastOne("limit", Integer.toUnsignedLong(r.getLimit()));
        }
        if (r.hasOrderBy()) {
            throw ApiError.unimplemented("order_by");
        }
        int limit = r.hasLimit() ? (int) Math.min(Integer.MAX_VALUE - 1, Integer.toUnsignedLong(r.getLimit())) : 10;
        PointId from = r.hasOffset() ? Protos.pointId(r.getOffset()) : null;
        Filter filter = Protos.filter(r.hasFilter(), r.getFilter());
        Protos.PayloadSelection payload = Protos.payloadSelection(r.hasWithPayload(), r.getWithPayload(),
                Protos.PayloadSelection.ALL);
        boolean withVectors = Protos.withVectors(r.hasWithVectors(), r.getWithVectors());
        Points.ScrollResponse.Builder out = Points.ScrollResponse.newBuilder();
        read(r.getCollectionName(), h -> {
            List<StoredPoint> page = h.store.scroll(from, filter, limit + 1);
            for (int i = 0; i < Math.min(limit, page.size()); i++) {
                out.addResult(retrieved(page.get(i), payload, withVectors));
            }
            if (page.size() > limit) {
                out.setNextPageOffset(Protos.toProto(page.get(limit).id()));
            }
            return null;
        });
        return out.setTime(seconds(start)).build();
    }

    /** Counting is always exact here. */
    public Points.CountResponse count(Points.CountPoints r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        Filter filter = Protos.filter(r.hasFilter(), r.getFilter());
        long count = read(r.getCollectionName(), h -> h.store.count(filter));
        return Points.CountResponse.newBuilder()
                .setResult(Points.CountResult.newBuilder().setCount(count))
                .setTime(seconds(start)).build();
    }

    // ------------------------------------------------------------------ helpers

    private Handle handle(String name) {
        Handle h = collections.get(name);
        if (h == null) {
            throw notFound(name);
        }
        return h;
    }

    /** Runs a read under the collection's read lock; answers once what it saw is durable. */
    private <T> T read(String name, Function<Handle, T> action) {
        Handle h = handle(name);
        T result;
        long seen;
        h.lock.readLock().lock();
        try {
            if (h.dropped) {
                throw notFound(name);
            }
            checkIntact(h);
            seen = h.lastLsn;
            result = action.apply(h);
        } finally {
            h.lock.readLock().unlock();
        }
        durable(seen);
        return result;
    }

    private static void checkIntact(Handle h) {
        if (h.broken != null) {
            throw storageFailure(h);
        }
    }

    private static ApiError storageFailure(Handle h) {
        return ApiError.internal("the storage of collection `" + h.name + "` failed (" + h.broken
                + "); the journal holds every acknowledged write: restart the server to recover");
    }

    private static ApiError notFound(String name) {
        return ApiError.notFound("Collection `" + name + "` doesn't exist!");
    }

    private static Points.RetrievedPoint retrieved(StoredPoint p, Protos.PayloadSelection payload,
                                                   boolean withVectors) {
        Points.RetrievedPoint.Builder b = Points.RetrievedPoint.newBuilder().setId(Protos.toProto(p.id()));
        if (payload.enabled()) {
            b.putAllPayload(payload.apply(p.payload()));
        }
        if (withVectors) {
            b.setVectors(Protos.vectorsOutput(p.vector()));
        }
        return b.build();
    }

    private static Points.ScoredPoint scored(StoredPoint p, float score, Protos.PayloadSelection payload,
                                             boolean withVectors) {
        Points.ScoredPoint.Builder b = Points.ScoredPoint.newBuilder()
                .setId(Protos.toProto(p.id()))
                .setScore(score)
                .setVersion(p.version());
        if (payload.enabled()) {
            b.putAllPayload(payload.apply(p.payload()));
        }
        if (withVectors) {
            b.setVectors(Protos.vectorsOutput(p.vector()));
        }
        return b.build();
    }

    /** A uint64 request number as a non-negative long (saturating). */
    private static long unsigned(long value) {
        return value < 0 ? Long.MAX_VALUE / 4 : Math.min(value, Long.MAX_VALUE / 4);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
