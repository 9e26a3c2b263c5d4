package io.vectormemory.embedded.store.lucene;

import com.google.protobuf.InvalidProtocolBufferException;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.embedded.model.Distance;
import io.vectormemory.embedded.model.Filter;
import io.vectormemory.embedded.model.JsonPath;
import io.vectormemory.embedded.model.PointId;
import io.vectormemory.embedded.store.CollectionSpec;
import io.vectormemory.embedded.store.PayloadIndexSpec;
import io.vectormemory.embedded.store.PointStore;
import io.vectormemory.embedded.store.ScoredPoint;
import io.vectormemory.embedded.store.SearchParams;
import io.vectormemory.embedded.store.StoredPoint;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.NRTCachingDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * One collection in its own Lucene index: one document per point ({@link PointDocuments}), HNSW with
 * the collection's {@code m}/{@code ef_construct}, and the collection itself (configuration, payload
 * indexes, last operation id, journal position) in the user data of each commit.
 *
 * <p>Writes go to the {@link IndexWriter}; they become visible to searches with a near-real-time
 * reopen, done lazily by the first read after a write. Point lookups by id in between (payload
 * updates read the point they change) are answered from the changes kept since the last reopen, so
 * an operation touching many points does not reopen once per point.
 *
 * <p>A checkpoint is a Lucene commit (all files synced, then the commit point written atomically with
 * its checksum) made while writers go on: the commit holds the changes made before Lucene's cut, which
 * may fall anywhere, also between two operations of one journal record. The sequence number
 * {@code prepareCommit} returns and the {@link OperationLedger} tell exactly which operations it holds;
 * that is written durably beside the index ({@code checkpoint-<n>}, named in the commit's user data)
 * before the commit becomes the one opened at the next start, so that replay applies exactly the
 * operations the commit lacks (replaying an operation a commit already holds is not idempotent when a
 * filter chose its points).
 */
final class LucenePointStore implements PointStore {

    private static final Logger LOG = Logger.getLogger(
            LucenePointStore.class.getName());

    /** 2: the exact content of a commit is in its checkpoint file (1: in the commit data, made under the lock). */
    static final int FORMAT = 2;
    private static final String CHECKPOINT_FILE = "checkpoint-";
    private static final double RAM_BUFFER_MB = 64;
    /**
     * Buffered documents beyond this are flushed to a segment and made visible to searchers by
     * {@link IndexingThreads#FLUSHES}: otherwise the write that fills the buffer flushes it itself, holding the
     * collection's lock, and every writer waits; and the points kept for lookups ({@link #changed}) would stay on
     * the heap until the next read.
     */
    private static final long FLUSH_AHEAD_BYTES = (long) (RAM_BUFFER_MB * 1024 * 1024 / 2);
    private static final double SEGMENTS_PER_TIER = 5;
    /** Merges queued before a flush waits (Lucene's default: threads + 5); bounded by the segments anyway. */
    private static final int MAX_QUEUED_MERGES = 100;

    private static final String KEY_FORMAT = "format";
    private static final String KEY_NAME = "name";
    private static final String KEY_CREATED = "created";
    private static final String KEY_POSITION = "position";
    private static final String KEY_OPERATION = "operation";
    private static final String KEY_DIMENSION = "dimension";
    private static final String KEY_DISTANCE = "distance";
    private static final String KEY_CONFIG = "config";
    private static final String KEY_INDEXES = "payload_indexes";
    private static final String KEY_CHECKPOINT = "checkpoint";

    private final String name;
    private final Path path;
    private final CollectionSpec spec;
    private final long createdAt;
    private final boolean hnswDisabled;
    private final VectorSimilarityFunction similarity;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<String, PayloadIndexSpec> indexes;
    private volatile long lastOperationId;
    /** What the last commit holds. */
    private volatile OperationLedger.Contained durable;
    /** Number of the last commit's checkpoint file (0: none, a format 1 commit). */
    private long checkpointNumber;
    /** A commit prepared, but whose checkpoint file or journal sync failed: the next checkpoint finishes it. */
    private Prepared prepared;
    private final OperationLedger ledger = new OperationLedger();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    /** Highest Lucene sequence number of the operation being applied (the writer's, under the engine's lock). */
    private long operationSequence = OperationLedger.NO_CHANGE;
    /** Writes not yet visible to searchers. */
    private volatile boolean stale;
    /**
     * A merge finished since the last reopen: searchers should move to its segment, which has the HNSW graph
     * (and let go of the files of the segments it replaced) without waiting for the next write.
     */
    private volatile boolean merged;
    /** Points changed since the searcher last moved past them. */
    private final Map<PointId, Change> changed = new ConcurrentHashMap<>();
    private final Object reopenLock = new Object();

    /** Tests wrap the directories of collections opened from now on, e.g. to hold a commit's fsync. */
    static volatile UnaryOperator<Directory> testDirectories = d -> d;
    /** Tests run this on the checkpoint's thread just before Lucene's cut (writes may then land before it). */
    static volatile Runnable testBeforeCut = () -> { };
    /** Tests run this on the writer's thread after each operation (a cut may then fall inside a record). */
    static volatile Runnable testAfterOperation = () -> { };

    private record Prepared(long number, OperationLedger.Contained contained) {
    }

    /** A point as changed (empty: deleted) by the Lucene operation with this sequence number. */
    private record Change(Optional<StoredPoint> point, long sequence) {
    }

    private LucenePointStore(String name, Path path, CollectionSpec spec, long createdAt,
                             Map<String, PayloadIndexSpec> indexes, long checkpointNumber,
                             OperationLedger.Contained durable, boolean create) throws IOException {
        this.name = name;
        this.path = path;
        this.spec = spec;
        this.createdAt = createdAt;
        this.indexes = Collections.synchronizedMap(new LinkedHashMap<>(indexes));
        this.lastOperationId = durable.operationId();
        this.durable = durable;
        this.checkpointNumber = checkpointNumber;
        int m = spec.config().getHnswConfig().hasM() ? (int) spec.config().getHnswConfig().getM() : 16;
        int ef = spec.config().getHnswConfig().hasEfConstruct()
                ? (int) spec.config().getHnswConfig().getEfConstruct() : 100;
        this.hnswDisabled = m == 0;
        this.similarity = switch (spec.distance()) {
            // Qdrant normalises vectors of Cosine collections on the way in: the dot product is the cosine
            case COSINE -> VectorSimilarityFunction.DOT_PRODUCT;
            case DOT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
            // no L1 graph in Lucene: Manhattan collections are always searched exactly
            case EUCLID, MANHATTAN -> VectorSimilarityFunction.EUCLIDEAN;
        };
        this.directory = new NRTCachingDirectory(testDirectories.apply(FSDirectory.open(path)), 4, 32);
        // no graphs to build when m = 0 turns HNSW off (as in Qdrant) or the distance has none (L1)
        long indexingKb = hnswDisabled || spec.distance() == Distance.MANHATTAN ? 0 : indexingThresholdKb(spec);
        TieredMergePolicy merges = new TieredMergePolicy();
        // no compound files: cheaper near-real-time reopens; MMapDirectory keeps no file handles open anyway
        merges.setNoCFSRatio(0.0);
        // every segment is one more HNSW graph to search: merge more eagerly than for text (default 10)
        merges.setSegmentsPerTier(SEGMENTS_PER_TIER);
        IndexWriterConfig config = new IndexWriterConfig()
                .setOpenMode(create ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.APPEND)
                .setCommitOnClose(false)
                .setUseCompoundFile(false)
                .setMergePolicy(new IndexingMerges(merges, HnswCodec.graphPoints(indexingKb, spec.dimension())))
                .setMergeScheduler(mergeScheduler())
                // a reopen does not wait for merges of the segments it flushed
                .setMaxFullFlushMergeWaitMillis(0)
                // a write does not take over the flush of a buffer that a checkpoint's commit or a reopen queued (by
                // default it does, between two documents, holding the collection's lock): that thread flushes it
                .setCheckPendingFlushUpdate(false)
                .setRAMBufferSizeMB(RAM_BUFFER_MB)
                .setCodec(HnswCodec.of(m, ef, indexingKb, spec.dimension()));
        IndexWriter w = new IndexWriter(directory, config);
        try {
            this.writer = w;
            this.searchers = new SearcherManager(w, true, false, null);
        } catch (IOException | RuntimeException e) {
            w.close();
            directory.close();
            throw e;
        }
    }

    /**
     * Lucene's merge threads (as many as it would choose), but merges that fall behind queue up instead of
     * stalling the thread that flushed: merges build the HNSW graphs, and as in Qdrant a write does not wait for
     * indexing (points not in a graph yet are searched exactly).
     */
    private ConcurrentMergeScheduler mergeScheduler() {
        ConcurrentMergeScheduler scheduler = new ConcurrentMergeScheduler() {
            @Override
            protected void doMerge(MergeSource source, MergePolicy.OneMerge merge) throws IOException {
                super.doMerge(source, merge);
                merged = true;
            }
        };
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        scheduler.setMaxMergesAndThreads(MAX_QUEUED_MERGES, threads);
        return scheduler;
    }

    /** Qdrant's {@code optimizers_config.indexing_threshold}, 10,000 KB unless the collection sets it. */
    static long indexingThresholdKb(CollectionSpec spec) {
        var optimizers = spec.config().getOptimizerConfig();
        return optimizers.hasIndexingThreshold() ? optimizers.getIndexingThreshold() : 10_000;
    }

    /**
     * Creates the index of a new collection. Nothing is committed yet (position -1): until the first
     * checkpoint the collection exists through its journal record, and a directory without a commit
     * is removed at open.
     */
    static LucenePointStore create(Path path, String name, CollectionSpec spec, long createdAt) throws IOException {
        return new LucenePointStore(name, path, spec, createdAt, Map.of(), 0,
                new OperationLedger.Contained(-1, -1, 0, -1, -1, 0), true);
    }

    /** Whether the directory holds a committed collection. */
    static boolean exists(Path path) throws IOException {
        try (Directory d = FSDirectory.open(path)) {
            return DirectoryReader.indexExists(d);
        }
    }

    /** Opens the last commit of a collection's index. */
    static LucenePointStore open(Path path) throws IOException {
        Map<String, String> data;
        try (Directory d = FSDirectory.open(path)) {
            data = SegmentInfos.readLatestCommit(d).getUserData();
        }
        String format = data.get(KEY_FORMAT);
        if (!String.valueOf(FORMAT).equals(format) && !"1".equals(format)) {
            throw new IOException("collection index " + path + " has unsupported format " + format);
        }
        try {
            CollectionConfig config = CollectionConfig.parseFrom(Base64.getDecoder().decode(data.get(KEY_CONFIG)));
            CollectionSpec spec = new CollectionSpec(Integer.parseInt(data.get(KEY_DIMENSION)),
                    Distance.valueOf(data.get(KEY_DISTANCE)), config);
            Map<String, PayloadIndexSpec> indexes = new LinkedHashMap<>();
            CollectionInfo schema = CollectionInfo.parseFrom(Base64.getDecoder().decode(data.get(KEY_INDEXES)));
            schema.getPayloadSchemaMap().forEach((key, info) -> indexes.put(key,
                    new PayloadIndexSpec(info.getDataType(), info.hasParams() ? info.getParams() : null)));
            long number = data.containsKey(KEY_CHECKPOINT) ? Long.parseLong(data.get(KEY_CHECKPOINT)) : 0;
            OperationLedger.Contained durable = number > 0 ? readCheckpointFile(path, number)
                    : new OperationLedger.Contained(Long.parseLong(data.get(KEY_POSITION)), -1, 0,
                            Long.parseLong(data.get(KEY_OPERATION)), Long.parseLong(data.get(KEY_POSITION)), 0);
            deleteCheckpointFilesBut(path, number);
            return new LucenePointStore(data.get(KEY_NAME), path, spec, Long.parseLong(data.get(KEY_CREATED)),
                    indexes, number, durable, false);
        } catch (InvalidProtocolBufferException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("collection index " + path + " has unreadable commit data", e);
        }
    }

    // ------------------------------------------------------------------ checkpoint files

    private static Path checkpointFile(Path dir, long number) {
        return dir.resolve(CHECKPOINT_FILE + number);
    }

    /** Written and synced, then renamed into place and the directory synced: whole or absent after a crash. */
    private static void writeCheckpointFile(Path dir, long number, OperationLedger.Contained c) throws IOException {
        Properties p = new Properties();
        p.setProperty("position", Long.toString(c.position()));
        p.setProperty("partial_position", Long.toString(c.partialPosition()));
        p.setProperty("partial_operations", Integer.toString(c.partialOperations()));
        p.setProperty("operation", Long.toString(c.operationId()));
        p.setProperty("highest_position", Long.toString(c.highestPosition()));
        Path tmp = dir.resolve(CHECKPOINT_FILE + number + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            StringWriter text = new StringWriter();
            p.store(text, null);
            ch.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.ISO_8859_1)));
            ch.force(true);
        }
        Files.move(tmp, checkpointFile(dir, number), StandardCopyOption.ATOMIC_MOVE);
        IOUtils.fsync(dir, true);
    }

    private static OperationLedger.Contained readCheckpointFile(Path dir, long number) throws IOException {
        Path file = checkpointFile(dir, number);
        if (!Files.exists(file)) {
            throw new IOException("collection index " + dir + " lacks " + file.getFileName()
                    + ", which tells what its last commit holds");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file,
                StandardCharsets.ISO_8859_1)) {
            p.load(in);
        }
        return new OperationLedger.Contained(Long.parseLong(p.getProperty("position")),
                Long.parseLong(p.getProperty("partial_position")),
                Integer.parseInt(p.getProperty("partial_operations")), Long.parseLong(p.getProperty("operation")),
                Long.parseLong(p.getProperty("highest_position")), 0);
    }

    /** Removes the checkpoint files of older commits, and of a commit prepared but never finished. */
    private static void deleteCheckpointFilesBut(Path dir, long number) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(CHECKPOINT_FILE) && !n.equals(CHECKPOINT_FILE + number)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** The position and operation are what the commit holds at least; its checkpoint file says exactly. */
    private Map<String, String> commitData(long number, long position, long operationId) {
        Map<String, String> data = new HashMap<>();
        data.put(KEY_FORMAT, String.valueOf(FORMAT));
        data.put(KEY_NAME, name);
        data.put(KEY_CREATED, Long.toString(createdAt));
        data.put(KEY_CHECKPOINT, Long.toString(number));
        data.put(KEY_POSITION, Long.toString(position));
        data.put(KEY_OPERATION, Long.toString(operationId));
        data.put(KEY_DIMENSION, Integer.toString(spec.dimension()));
        data.put(KEY_DISTANCE, spec.distance().name());
        data.put(KEY_CONFIG, Base64.getEncoder().encodeToString(spec.config().toByteArray()));
        CollectionInfo.Builder schema = CollectionInfo.newBuilder();
        synchronized (indexes) {
            indexes.forEach((key, index) -> {
                PayloadSchemaInfo.Builder info = PayloadSchemaInfo.newBuilder().setDataType(index.type());
                if (index.params() != null) {
                    info.setParams(index.params());
                }
                schema.putPayloadSchema(key, info.build());
            });
        }
        data.put(KEY_INDEXES, Base64.getEncoder().encodeToString(schema.build().toByteArray()));
        return data;
    }

    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    @Override
    public CollectionSpec spec() {
        return spec;
    }

    @Override
    public long createdAt() {
        return createdAt;
    }

    @Override
    public long lastOperationId() {
        return lastOperationId;
    }

    @Override
    public long durablePosition() {
        return durable.position();
    }

    @Override
    public long containedPosition() {
        return Math.max(durable.position(), durable.partialPosition());
    }

    @Override
    public int containedOperations(long position) {
        OperationLedger.Contained d = durable;
        return d.partialPosition() == position ? d.partialOperations() : 0;
    }

    // ------------------------------------------------------------------ writes

    /** Adding a document stores its vector; its HNSW links are built later, when segments merge ({@link HnswCodec}). */
    @Override
    public void upsert(long operationId, List<StoredPoint> points) {
        stale = true;
        try {
            add(points);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void add(List<StoredPoint> points) throws IOException {
        for (StoredPoint p : points) {
            long sequence = writer.updateDocument(new Term(PointDocuments.ID, PointKeys.encode(p.id())),
                    PointDocuments.document(p, similarity));
            changedDocuments(sequence);
            changed.put(p.id(), new Change(Optional.of(p), sequence));
        }
    }

    private void changedDocuments(long sequenceNumber) {
        operationSequence = Math.max(operationSequence, sequenceNumber);
    }

    @Override
    public void delete(long operationId, Collection<PointId> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Term[] terms = new Term[ids.size()];
        int i = 0;
        for (PointId id : ids) {
            terms[i++] = new Term(PointDocuments.ID, PointKeys.encode(id));
        }
        try {
            long sequence = writer.deleteDocuments(terms);
            changedDocuments(sequence);
            for (PointId id : ids) {
                changed.put(id, new Change(Optional.empty(), sequence));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            stale = true;
        }
    }

    @Override
    public void replacePayload(long operationId, StoredPoint point, Map<String, Value> payload) {
        upsert(operationId, List.of(new StoredPoint(point.id(), point.vector(),
                Collections.unmodifiableMap(new LinkedHashMap<>(payload)), operationId)));
    }

    @Override
    public void createPayloadIndex(long operationId, String key, PayloadIndexSpec indexSpec) {
        indexes.put(key, indexSpec);
    }

    @Override
    public void deletePayloadIndex(long operationId, String key) {
        indexes.remove(key);
    }

    @Override
    public void finish(long operationId, long position, boolean lastOfRecord) {
        lastOperationId = operationId;
        boolean changedDocuments = operationSequence != OperationLedger.NO_CHANGE;
        ledger.add(position, operationId, operationSequence, lastOfRecord);
        operationSequence = OperationLedger.NO_CHANGE;
        if (changedDocuments) {
            flushAheadIfFull();
        }
        testAfterOperation.run();
    }

    private void flushAheadIfFull() {
        if (writer.ramBytesUsed() < FLUSH_AHEAD_BYTES || !flushQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            IndexingThreads.FLUSHES.execute(() -> {
                try {
                    refreshAhead();
                } catch (IOException | AlreadyClosedException e) {
                    // closed, or the next commit or flush by a write will report the problem
                } finally {
                    flushQueued.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            flushQueued.set(false);
        }
    }

    @Override
    public Checkpoint checkpoint(long position) {
        if (prepared != null) {
            return journal -> finishCommit(prepared, journal); // an earlier checkpoint's, which failed half-way
        }
        int before = ledger.size();
        if (before == 0 && durable.position() >= position) {
            return null; // a new collection is committed once even without points: its creation is in it
        }
        // with no write in progress, everything up to the last record applied is wholly there
        OperationLedger.Contained atStart = new OperationLedger.Contained(position, -1, 0, lastOperationId, position,
                0);
        long number = checkpointNumber + 1;
        // read now, while no write runs: the commit holds all of this, and the payload indexes cannot change
        // until the commit is done (the engine lets no index change or drop run meanwhile)
        Map<String, String> data = commitData(number, position, lastOperationId);
        return journal -> {
            writer.setLiveCommitData(data.entrySet());
            testBeforeCut.run();
            long cut = writer.prepareCommit();
            prepared = new Prepared(number, ledger.contained(before, cut, atStart, durable));
            return finishCommit(prepared, journal);
        };
    }

    /**
     * The journal up to every record the prepared commit holds, then its checkpoint file, then the commit itself:
     * a start after a crash at any point opens either the previous commit with its file, or this one with its file.
     */
    private long finishCommit(Prepared commit, JournalSync journal) throws IOException {
        OperationLedger.Contained holds = commit.contained();
        if (holds.partialPosition() >= 0) {
            LOG.fine(() -> "Checkpoint " + commit.number() + " of collection `" + name + "` holds the record at "
                    + holds.partialPosition() + " in part: its first " + holds.partialOperations() + " operations");
        }
        if (holds.highestPosition() >= 0) {
            journal.sync(holds.highestPosition());
        }
        writeCheckpointFile(path, commit.number(), holds);
        writer.commit();
        prepared = null;
        checkpointNumber = commit.number();
        durable = holds;
        ledger.drop(holds.entries());
        deleteCheckpointFilesBut(path, commit.number());
        return holds.position();
    }

    /**
     * Flushes the buffered documents and moves searchers to them, while writers go on in new buffers; then the
     * points the searcher now has are no longer kept in {@link #changed} (writes made meanwhile stay there). A
     * later read still reopens for those: what this leaves to it is little.
     */
    void refreshAhead() throws IOException {
        // every operation completed by now is in the reader the refresh opens (it flushes all of them)
        long covered = writer.getMaxCompletedSequenceNumber();
        synchronized (reopenLock) {
            searchers.maybeRefreshBlocking();
        }
        // removes an entry only if it is still the one tested, so a newer change of the point stays
        changed.values().removeIf(c -> c.sequence() <= covered);
    }

    /** How many changed points are kept for lookups (for tests). */
    int keptForLookups() {
        return changed.size();
    }

    // ------------------------------------------------------------------ reads

    /** Makes the writes so far visible to searchers. */
    private void reopen() {
        if (!stale && !merged) {
            return;
        }
        synchronized (reopenLock) {
            if (!stale && !merged) {
                return;
            }
            merged = false; // before the refresh: a merge finishing during it is seen by the next one
            try {
                searchers.maybeRefreshBlocking();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            changed.clear();
            stale = false;
        }
    }

    @FunctionalInterface
    private interface SearcherAction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearcherAction<T> action) {
        reopen();
        return withCurrentSearcher(action);
    }

    /** Without a reopen: (re)opens clear {@link #changed} only after the new searcher is in place. */
    private <T> T withCurrentSearcher(SearcherAction<T> action) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return action.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long count(Filter filter) {
        return withSearcher(s -> filter == null ? s.getIndexReader().numDocs() : s.count(FilterQueries.of(filter)));
    }

    /**
     * A point changed since the last reopen is in {@link #changed}; any other one is as the current
     * searcher has it, so a lookup never needs a reopen.
     */
    @Override
    public Optional<StoredPoint> get(PointId id) {
        Change recent = changed.get(id);
        if (recent != null) {
            return recent.point();
        }
        BytesRef key = PointKeys.encode(id);
        return withCurrentSearcher(s -> {
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                Terms terms = leaf.reader().terms(PointDocuments.ID);
                if (terms == null) {
                    continue;
                }
                TermsEnum te = terms.iterator();
                if (!te.seekExact(key)) {
                    continue;
                }
                Bits live = leaf.reader().getLiveDocs();
                PostingsEnum postings = te.postings(null, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        return Optional.of(new PointDocuments.LeafPoints(leaf.reader()).point(doc));
                    }
                }
            }
            return Optional.empty();
        });
    }

    private static final Sort BY_ID = new Sort(new SortField(PointDocuments.ID, SortField.Type.STRING));

    @Override
    public List<StoredPoint> scroll(PointId from, Filter filter, int limit) {
        return withSearcher(s -> {
            int n = Math.min(limit, s.getIndexReader().numDocs());
            if (n <= 0) {
                return List.of();
            }
            Query query = FilterQueries.of(filter);
            if (from != null) {
                query = new BooleanQuery.Builder()
                        .add(query, Occur.FILTER)
                        .add(new TermRangeQuery(PointDocuments.ID, PointKeys.encode(from), null, true, false), Occur.FILTER)
                        .build();
            }
            TopFieldDocs top = s.search(query, n, BY_ID, false);
            return points(s, top.scoreDocs);
        });
    }

    /** Reads points by global doc id, segment by segment in document order; result in the given order. */
    private static List<StoredPoint> points(IndexSearcher s, ScoreDoc[] hits) throws IOException {
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        Integer[] order = new Integer[hits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> hits[i].doc));
        StoredPoint[] out = new StoredPoint[hits.length];
        PointDocuments.LeafPoints points = null;
        int current = -1;
        for (Integer i : order) {
            int doc = hits[i].doc;
            int l = org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves);
            if (l != current) {
                current = l;
                points = new PointDocuments.LeafPoints(leaves.get(l).reader());
            }
            out[i] = points.point(doc - leaves.get(l).docBase);
        }
        return java.util.Arrays.asList(out);
    }

    @Override
    public List<PointId> ids(Filter filter) {
        return withSearcher(s -> {
            Query query = FilterQueries.of(filter);
            List<PointId> out = new ArrayList<>();
            org.apache.lucene.search.Weight weight = s.createWeight(s.rewrite(query),
                    org.apache.lucene.search.ScoreMode.COMPLETE_NO_SCORES, 1f);
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                org.apache.lucene.search.Scorer scorer = weight.scorer(leaf);
                if (scorer == null) {
                    continue;
                }
                Bits live = leaf.reader().getLiveDocs();
                org.apache.lucene.search.TwoPhaseIterator twoPhase = scorer.twoPhaseIterator();
                DocIdSetIterator it = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
                PointDocuments.LeafPoints points = new PointDocuments.LeafPoints(leaf.reader());
                for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                    if ((live == null || live.get(doc)) && (twoPhase == null || twoPhase.matches())) {
                        out.add(points.id(doc));
                    }
                }
            }
            Collections.sort(out);
            return out;
        });
    }

    @Override
    public List<ScoredPoint> search(float[] query, Filter filter, int k, SearchParams params) {
        return search(query, filter, k, params, null);
    }

    /** Search with a forced plan (null: planned); for tests and benchmarks. */
    List<ScoredPoint> search(float[] query, Filter filter, int k, SearchParams params, NearestPoints.Plan plan) {
        return withSearcher(s -> NearestPoints.search(s, spec, hnswDisabled, query,
                filter == null ? null : FilterQueries.of(filter), k, params, plan));
    }

    @Override
    public Map<String, PayloadIndexSpec> payloadIndexes() {
        synchronized (indexes) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(indexes));
        }
    }

    @Override
    public long indexedPoints(String key) {
        PayloadIndexSpec index = indexes.get(key);
        if (index == null) {
            return 0;
        }
        JsonPath path = JsonPath.parse(key);
        String encoded = PayloadFields.path(path);
        return withSearcher(s -> {
            if (encoded != null) {
                return (long) s.count(new TermQuery(PayloadFields.type(encoded, index.type())));
            }
            long n = 0;
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                PointDocuments.LeafPoints points = new PointDocuments.LeafPoints(leaf.reader());
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if ((live == null || live.get(doc)) && index.hasValue(path.get(points.payload(doc)))) {
                        n++;
                    }
                }
            }
            return n;
        });
    }

    @Override
    public long size() {
        return withSearcher(s -> (long) s.getIndexReader().numDocs());
    }

    /** The points of segments that have their HNSW graph. */
    @Override
    public long indexedVectors() {
        if (hnswDisabled) {
            return 0;
        }
        // as Qdrant counts them: the points of segments that have their HNSW graph; flushed segments and merged
        // ones below the indexing threshold are searched exactly (HnswCodec)
        return withSearcher(s -> {
            long indexed = 0;
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                if (HnswCodec.graphSize(leaf.reader(), PointDocuments.VECTOR) > 0) {
                    indexed += leaf.reader().numDocs();
                }
            }
            return indexed;
        });
    }

    @Override
    public boolean optimizing() {
        // merges queued or running, the indexing optimizer's included (IndexingMerges)
        return writer.hasPendingMerges() || !writer.getMergingSegments().isEmpty();
    }

    @Override
    public int segments() {
        return withSearcher(s -> Math.max(1, s.getIndexReader().leaves().size()));
    }

    /** Closes without committing: changes since the last checkpoint are in the journal. */
    void close() {
        try {
            searchers.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                writer.rollback();
            } catch (IOException e) {
                // closing anyway
            }
            try {
                directory.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
