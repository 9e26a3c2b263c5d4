package io.vectormemory.embedded.store.lucene;

import io.vectormemory.embedded.model.Distance;
import io.vectormemory.embedded.store.ScoredPoint;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code k} best of a set of candidate points with Qdrant's exact scores
 * ({@link Distance#similarity}, which sums in the order of Qdrant's x86 kernels) and the engine's
 * order (higher similarity first, ties by point id).
 *
 * <p>Computing Qdrant's summation order in Java is much slower than Lucene's SIMD kernels, so each
 * candidate is first scored with Lucene's {@link VectorUtil} and only the candidates that could
 * still be among the best get the exact score. Two float sums of the same {@code n} products in
 * any order differ from the real value by at most {@code γ(n)·Σ|aᵢbᵢ|} each, with
 * {@code γ(n) = n·u/(1−n·u)} and {@code u = 2⁻²⁴} (Higham, Accuracy and Stability of Numerical
 * Algorithms, §3.1), and {@code Σ|aᵢbᵢ| ≤ ‖a‖·‖b‖}. With {@code e} twice that bound (plus a margin),
 * a candidate whose fast score plus {@code e} is below the k-th largest "fast score minus
 * {@code e}" cannot reach the k-th exact score, so it is dropped; all others, ties included, are
 * scored exactly. Candidates must be offered in increasing (segment, document) order.
 */
final class ExactRanking {

    private static final double UNIT_ROUNDOFF = Math.scalb(1.0, -24);

    private final Distance distance;
    private final float[] query;
    private final int k;
    private final boolean bounded;
    private final float gamma;
    private final float queryNorm;
    private final BoundHeap lowerBounds;

    // candidates still in the running
    private int size;
    private int[] leaves = new int[64];
    private int[] docs = new int[64];
    private int[] ords = new int[64];
    private float[] fast = new float[64];
    private float[] error = new float[64];

    ExactRanking(Distance distance, float[] query, int k) {
        this.distance = distance;
        this.query = query;
        this.k = k;
        boolean finite = true;
        for (float v : query) {
            finite &= Float.isFinite(v);
        }
        // Manhattan has no fast kernel; a non-finite query makes every score NaN: score all exactly
        this.bounded = finite && distance != Distance.MANHATTAN;
        double n = query.length + 2.0;
        // twice the bound for the two sums, doubled again as a margin
        this.gamma = (float) (4 * n * UNIT_ROUNDOFF / (1 - n * UNIT_ROUNDOFF));
        this.queryNorm = (float) Math.sqrt(VectorUtil.dotProduct(query, query));
        this.lowerBounds = new BoundHeap(k);
    }

    /** Offers one candidate: segment number, document, vector ordinal and its vector. */
    void offer(int leaf, int doc, int ord, float[] vector) {
        float score;
        float err;
        if (bounded) {
            switch (distance) {
                case COSINE -> {
                    score = VectorUtil.dotProduct(query, vector);
                    // stored vectors are unit length (or zero)
                    err = gamma * queryNorm * 1.001f + Float.MIN_NORMAL;
                }
                case DOT -> {
                    score = VectorUtil.dotProduct(query, vector);
                    err = gamma * queryNorm * (float) Math.sqrt(VectorUtil.dotProduct(vector, vector)) * 1.001f
                            + Float.MIN_NORMAL;
                }
                default -> {
                    score = -VectorUtil.squareDistance(query, vector);
                    err = gamma * -score * 1.001f + Float.MIN_NORMAL;
                }
            }
            float lower = score - err;
            float cut = lowerBounds.cut();
            if (score + err < cut) {
                return;
            }
            lowerBounds.offer(Float.isNaN(lower) ? Float.NEGATIVE_INFINITY : lower);
        } else {
            score = 0;
            err = Float.POSITIVE_INFINITY;
        }
        if (size == docs.length) {
            int n = size * 2;
            leaves = Arrays.copyOf(leaves, n);
            docs = Arrays.copyOf(docs, n);
            ords = Arrays.copyOf(ords, n);
            fast = Arrays.copyOf(fast, n);
            error = Arrays.copyOf(error, n);
        }
        leaves[size] = leaf;
        docs[size] = doc;
        ords[size] = ord;
        fast[size] = score;
        error[size] = err;
        size++;
    }

    private record Exact(int leaf, int doc, float similarity, BytesRef id) {
    }

    /** The best {@code k} candidates, best first, read from the segments they were offered from. */
    List<ScoredPoint> top(List<LeafReaderContext> segments) throws IOException {
        float cut = bounded ? lowerBounds.cut() : Float.NEGATIVE_INFINITY;
        List<Exact> exact = new ArrayList<>();
        PointDocuments.LeafPoints points = null;
        int pointsLeaf = -1;
        for (int i = 0; i < size; i++) {
            if (bounded && fast[i] + error[i] < cut) {
                continue;
            }
            if (leaves[i] != pointsLeaf) {
                pointsLeaf = leaves[i];
                points = new PointDocuments.LeafPoints(segments.get(pointsLeaf).reader());
            }
            float similarity = distance.similarity(query, points.vector(ords[i]));
            exact.add(new Exact(leaves[i], docs[i], similarity, BytesRef.deepCopyOf(points.idBytes(docs[i]))));
        }
        // the engine's order: Float.compare (as the in-memory store's comparator), then id bytes (= id order)
        exact.sort(Comparator.comparingDouble((Exact e) -> e.similarity).reversed()
                .thenComparing(Exact::id));
        List<Exact> best = exact.subList(0, Math.min(k, exact.size()));
        // read the winners segment by segment in document order, then restore the ranking
        Integer[] order = new Integer[best.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> best.get(i).leaf).thenComparingInt(i -> best.get(i).doc));
        ScoredPoint[] out = new ScoredPoint[best.size()];
        pointsLeaf = -1;
        for (Integer i : order) {
            Exact e = best.get(i);
            if (e.leaf != pointsLeaf) {
                pointsLeaf = e.leaf;
                points = new PointDocuments.LeafPoints(segments.get(pointsLeaf).reader());
            }
            out[i] = new ScoredPoint(points.point(e.doc), distance.postprocess(e.similarity));
        }
        return Arrays.asList(out);
    }

    /** The k largest lower bounds seen; {@link #cut()} is the smallest of them once there are k. */
    private static final class BoundHeap {
        private final float[] heap;
        private int size;

        BoundHeap(int k) {
            heap = new float[Math.max(1, k)];
        }

        float cut() {
            return size < heap.length ? Float.NEGATIVE_INFINITY : heap[0];
        }

        void offer(float v) {
            if (size < heap.length) {
                heap[size] = v;
                int i = size++;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (heap[parent] <= heap[i]) {
                        break;
                    }
                    swap(i, parent);
                    i = parent;
                }
            } else if (v > heap[0]) {
                heap[0] = v;
                int i = 0;
                while (true) {
                    int l = 2 * i + 1;
                    int r = l + 1;
                    int m = i;
                    if (l < size && heap[l] < heap[m]) {
                        m = l;
                    }
                    if (r < size && heap[r] < heap[m]) {
                        m = r;
                    }
                    if (m == i) {
                        break;
                    }
                    swap(i, m);
                    i = m;
                }
            }
        }

        private void swap(int a, int b) {
            float t = heap[a];
            heap[a] = heap[b];
            heap[b] = t;
        }
    }
}
