package io.vectormemory.embedded.store.lucene;

import io.vectormemory.embedded.model.Distance;
import io.vectormemory.embedded.store.CollectionSpec;
import io.vectormemory.embedded.store.ScoredPoint;
import io.vectormemory.embedded.store.SearchParams;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Nearest-neighbour search over one collection's index, planned like Qdrant's HNSW index
 * (lib/segment/src/index/hnsw_index/hnsw/read_view/dispatch.rs): an exact scan over the points the
 * filter lets through when the request asks for it ({@code exact}), when the collection is smaller
 * than the full-scan threshold, or when the filter's estimated cardinality is below it; otherwise an
 * HNSW search ({@link KnnFloatVectorQuery}) with the filter inside the graph search, so filtering
 * never loses results (Lucene itself switches a segment to an exact scan when the filter lets fewer
 * points through than the graph search would visit). Either way the candidates are ranked with
 * Qdrant's exact scores ({@link ExactRanking}).
 *
 * <p>The full-scan threshold is Qdrant's {@code full_scan_threshold} (in kilobytes of vectors,
 * default 10000) divided by the size of one vector: 2500 points of 1024 dimensions.
 */
final class NearestPoints {

    private NearestPoints() {
    }

    /** How a search was (or would be) done, for tests and benchmarks. */
    enum Plan { EXACT, HNSW }

    static int fullScanThreshold(CollectionSpec spec) {
        long kb = spec.config().getHnswConfig().hasFullScanThreshold()
                ? spec.config().getHnswConfig().getFullScanThreshold() : 10_000;
        long points = kb * 1024 / (4L * spec.dimension());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, points));
    }

    /**
     * Smallest candidate list of an HNSW search without an explicit {@code hnsw_ef}. Qdrant searches
     * with {@code ef_construct} (100 by default); measured on 1024-dimensional data (the benchmark) a
     * single large segment needs about twice that for a recall@10 near 0.98, and the candidates are
     * cheap to re-rank exactly.
     */
    static final int MIN_DEFAULT_EF = 200;

    /** Candidate list size: {@code hnsw_ef} of the request, else {@code ef_construct} but at least {@link #MIN_DEFAULT_EF}. */
    static int ef(CollectionSpec spec, SearchParams params) {
        if (params.hnswEf() > 0) {
            return params.hnswEf();
        }
        long ef = spec.config().getHnswConfig().hasEfConstruct() ? spec.config().getHnswConfig().getEfConstruct() : 100;
        return (int) Math.max(MIN_DEFAULT_EF, Math.min(ef, 10_000));
    }

    static Plan plan(IndexSearcher searcher, CollectionSpec spec, boolean hnswDisabled, float[] query, Weight filter,
                     SearchParams params) throws IOException {
        if (params.exact() || hnswDisabled || spec.distance() == Distance.MANHATTAN) {
            return Plan.EXACT;
        }
        for (float v : query) {
            if (!Float.isFinite(v)) {
                return Plan.EXACT;
            }
        }
        int threshold = fullScanThreshold(spec);
        IndexReader reader = searcher.getIndexReader();
        if (reader.numDocs() < threshold) {
            return Plan.EXACT;
        }
        if (filter == null) {
            return Plan.HNSW;
        }
        // upper estimate of the points the filter lets through (Lucene's cost: postings lengths, conjunctions'
        // minimum, disjunctions' sum); the graph search decides per segment with the exact count when it is higher
        long estimate = 0;
        for (LeafReaderContext leaf : reader.leaves()) {
            ScorerSupplier s = filter.scorerSupplier(leaf);
            if (s != null) {
                estimate += s.cost();
            }
        }
        return estimate < threshold ? Plan.EXACT : Plan.HNSW;
    }

    static List<ScoredPoint> search(IndexSearcher searcher, CollectionSpec spec, boolean hnswDisabled, float[] query,
                                    Query filter, int k, SearchParams params, Plan forced) throws IOException {
        IndexReader reader = searcher.getIndexReader();
        k = Math.min(k, reader.numDocs());
        if (k <= 0) {
            return List.of();
        }
        Weight weight = filter == null ? null
                : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
        Plan plan = forced != null ? forced : plan(searcher, spec, hnswDisabled, query, weight, params);
        ExactRanking ranking = new ExactRanking(spec.distance(), query, k);
        List<LeafReaderContext> leaves = reader.leaves();
        if (plan == Plan.EXACT) {
            for (LeafReaderContext leaf : leaves) {
                scan(leaf, weight, ranking);
            }
        } else {
            int candidates = Math.max(k, ef(spec, params));
            TopDocs top = searcher.search(new KnnFloatVectorQuery(PointDocuments.VECTOR, query, candidates, filter),
                    candidates);
            int[] docs = Arrays.stream(top.scoreDocs).mapToInt(d -> d.doc).sorted().toArray();
            PointDocuments.LeafPoints points = null;
            int current = -1;
            for (int doc : docs) {
                int l = ReaderUtil.subIndex(doc, leaves);
                if (l != current) {
                    current = l;
                    points = new PointDocuments.LeafPoints(leaves.get(l).reader());
                }
                int local = doc - leaves.get(l).docBase;
                int ord = points.vectorOrd(local);
                if (ord >= 0) {
                    ranking.offer(l, local, ord, points.vector(ord));
                }
            }
        }
        return ranking.top(leaves);
    }

    /** Offers every live point of a segment that passes the filter. */
    private static void scan(LeafReaderContext leaf, Weight filter, ExactRanking ranking) throws IOException {
        Bits live = leaf.reader().getLiveDocs();
        DocIdSetIterator it;
        TwoPhaseIterator twoPhase = null;
        if (filter == null) {
            it = DocIdSetIterator.all(leaf.reader().maxDoc());
        } else {
            Scorer scorer = filter.scorer(leaf);
            if (scorer == null) {
                return;
            }
            twoPhase = scorer.twoPhaseIterator();
            it = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
        }
        PointDocuments.LeafPoints points = new PointDocuments.LeafPoints(leaf.reader());
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
            if (live != null && !live.get(doc)) {
                continue;
            }
            if (twoPhase != null && !twoPhase.matches()) {
                continue;
            }
            int ord = points.vectorOrd(doc);
            if (ord >= 0) {
                ranking.offer(leaf.ord, doc, ord, points.vector(ord));
            }
        }
    }
}
