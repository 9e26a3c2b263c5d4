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
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.LeafReaderContext;
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
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.NRTCachingDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One collection in its own Lucene index: one document per point ({@link PointDocuments}), HNSW with
 * the collection's {@code m}/{@code ef_construct}, and the collection itself (configuration, payload
 * indexes, last operation id, journal position) in the user data of each commit.
 *
 * <p>Writes go to the {@link IndexWriter}; they become visible to searches with a near-real-time
 * reopen, done lazily by the first read after a write. Point lookups by id in between (payload
 * updates read the point they change) are answered from the changes kept since the last reopen, so
 * an operation touching many points does not reopen once per point. {@link #checkpoint} is a Lucene
 * commit: all files synced, then the commit point written atomically with its checksum.
 */
final class LucenePointStore implements PointStore {

    static final int FORMAT = 1;
    private static final double RAM_BUFFER_MB = 64;
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
    private volatile long durablePosition;
    /** Writes not yet visible to searchers. */
    private volatile boolean stale;
    /**
     * A merge finished since the last reopen: searchers should move to its segment, which has the HNSW graph
     * (and let go of the files of the segments it replaced) without waiting for the next write.
     */
    private volatile boolean merged;
    /** Points changed since the last reopen (empty: deleted). */
    private final Map<PointId, Optional<StoredPoint>> changed = new ConcurrentHashMap<>();
    private final Object reopenLock = new Object();

    private LucenePointStore(String name, Path path, CollectionSpec spec, long createdAt,
                             Map<String, PayloadIndexSpec> indexes, long lastOperationId, long durablePosition,
                             boolean create) throws IOException {
        this.name = name;
        this.path = path;
        this.spec = spec;
        this.createdAt = createdAt;
        this.indexes = Collections.synchronizedMap(new LinkedHashMap<>(indexes));
        this.lastOperationId = lastOperationId;
        this.durablePosition = durablePosition;
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
        this.directory = new NRTCachingDirectory(FSDirectory.open(path), 4, 32);
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
        return new LucenePointStore(name, path, spec, createdAt, Map.of(), -1, -1, true);
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
        if (!String.valueOf(FORMAT).equals(data.get(KEY_FORMAT))) {
            throw new IOException("collection index " + path + " has unsupported format " + data.get(KEY_FORMAT));
        }
        try {
            CollectionConfig config = CollectionConfig.parseFrom(Base64.getDecoder().decode(data.get(KEY_CONFIG)));
            CollectionSpec spec = new CollectionSpec(Integer.parseInt(data.get(KEY_DIMENSION)),
                    Distance.valueOf(data.get(KEY_DISTANCE)), config);
            Map<String, PayloadIndexSpec> indexes = new LinkedHashMap<>();
            CollectionInfo schema = CollectionInfo.parseFrom(Base64.getDecoder().decode(data.get(KEY_INDEXES)));
            schema.getPayloadSchemaMap().forEach((key, info) -> indexes.put(key,
                    new PayloadIndexSpec(info.getDataType(), info.hasParams() ? info.getParams() : null)));
            return new LucenePointStore(data.get(KEY_NAME), path, spec, Long.parseLong(data.get(KEY_CREATED)),
                    indexes, Long.parseLong(data.get(KEY_OPERATION)), Long.parseLong(data.get(KEY_POSITION)), false);
        } catch (InvalidProtocolBufferException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("collection index " + path + " has unreadable commit data", e);
        }
    }

    private Map<String, String> commitData(long position) {
        Map<String, String> data = new HashMap<>();
        data.put(KEY_FORMAT, String.valueOf(FORMAT));
        data.put(KEY_NAME, name);
        data.put(KEY_CREATED, Long.toString(createdAt));
        data.put(KEY_POSITION, Long.toString(position));
        data.put(KEY_OPERATION, Long.toString(lastOperationId));
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
        return durablePosition;
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
            writer.updateDocument(new Term(PointDocuments.ID, PointKeys.encode(p.id())),
                    PointDocuments.document(p, similarity));
            changed.put(p.id(), Optional.of(p));
        }
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
            writer.deleteDocuments(terms);
            for (PointId id : ids) {
                changed.put(id, Optional.empty());
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
    public void finish(long operationId) {
        lastOperationId = operationId;
    }

    @Override
    public void checkpoint(long position) throws IOException {
        commit(position);
        durablePosition = position;
    }

    private void commit(long position) throws IOException {
        writer.setLiveCommitData(commitData(position).entrySet());
        writer.commit();
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
        Optional<StoredPoint> recent = changed.get(id);
        if (recent != null) {
            return recent;
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
