package io.vectormemory.embedded.store.lucene;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.store.IOContext;

import java.io.IOException;

/**
 * Lucene's default codec with the collection's HNSW parameters ({@code m}, {@code ef_construct}) for
 * the vector field, and Qdrant's indexing policy: a write stores its vectors without links, and graphs
 * are built in the background when segments merge, only for merged segments above the collection's
 * {@code indexing_threshold}. As in Qdrant, a write costs what storing the point costs, and points
 * not yet in a graph are searched exactly (Lucene scans a segment that has no graph).
 *
 * <p>Only writing needs these choices: the index files record the standard format name, so the
 * default codec reads every segment back, with or without a graph.
 */
final class HnswCodec {

    /** Qdrant accepts vectors up to 65536 dimensions; Lucene's default guard is lower. */
    static final int MAX_DIMENSIONS = 65536;

    /**
     * Lucene builds a segment's graph when it has more than {@code ln(n) * threshold} vectors; this
     * threshold keeps any segment below 10^7 vectors flat.
     */
    private static final int NEVER = 1_000_000;

    private HnswCodec() {
    }

    /**
     * @param indexingThresholdKb Qdrant's {@code optimizers_config.indexing_threshold}: kilobytes of
     *                            vectors a segment may hold before it gets a graph; 0 never builds one
     */
    static Codec of(int m, int efConstruct, long indexingThresholdKb, int dimension) {
        Codec base = Codec.getDefault();
        KnnVectorsFormat vectors = new Vectors(
                Math.max(2, Math.min(m, Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN)),
                Math.max(2, Math.min(efConstruct, Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH)),
                graphThreshold(indexingThresholdKb, dimension));
        KnnVectorsFormat perField = new PerFieldKnnVectorsFormat() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return vectors;
            }
        };
        return new FilterCodec(base.getName(), base) {
            @Override
            public KnnVectorsFormat knnVectorsFormat() {
                return perField;
            }
        };
    }

    /** Smallest merged segment (in vectors) that gets a graph, or -1 for never. */
    static long graphPoints(long indexingThresholdKb, int dimension) {
        if (indexingThresholdKb <= 0) {
            return -1;
        }
        return Math.max(2, indexingThresholdKb * 1024 / (4L * Math.max(1, dimension)));
    }

    /** Lucene's threshold k (a graph above ln(n) * k vectors) for {@link #graphPoints}. */
    static int graphThreshold(long indexingThresholdKb, int dimension) {
        long points = graphPoints(indexingThresholdKb, dimension);
        if (points < 0) {
            return NEVER;
        }
        return (int) Math.max(1, Math.min(NEVER, Math.floor(points / Math.log(points))));
    }

    /** Nodes in the HNSW graph of {@code field} in this segment: 0 when it was stored without one. */
    static int graphSize(LeafReader leaf, String field) throws IOException {
        if (!(FilterLeafReader.unwrap(leaf) instanceof CodecReader codec)) {
            return 0;
        }
        KnnVectorsReader vectors = codec.getVectorReader();
        if (vectors instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
            vectors = perField.getFieldReader(field);
        }
        return vectors instanceof HnswGraphProvider graphs ? graphs.getGraph(field).size() : 0;
    }

    /**
     * Lucene99HnswVectorsFormat under its own name, with a higher dimension limit: flushed segments
     * (the writes themselves) never get a graph; merged ones get one above the threshold.
     */
    private static final class Vectors extends KnnVectorsFormat {
        private final Lucene99HnswVectorsFormat flushes;
        private final Lucene99HnswVectorsFormat merges;

        Vectors(int m, int beamWidth, int mergeThreshold) {
            super("Lucene99HnswVectorsFormat");
            this.flushes = new Lucene99HnswVectorsFormat(m, beamWidth, 1, null, NEVER);
            // graphs of merged segments are built by several threads
            this.merges = IndexingThreads.COUNT > 1
                    ? new Lucene99HnswVectorsFormat(m, beamWidth, IndexingThreads.COUNT, IndexingThreads.MERGES,
                            mergeThreshold)
                    : new Lucene99HnswVectorsFormat(m, beamWidth, 1, null, mergeThreshold);
        }

        @Override
        public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
            if (state.context.context() == IOContext.Context.MERGE) {
                return merges.fieldsWriter(state);
            }
            // the indexing optimizer rewrites this segment once it is large enough
            state.segmentInfo.putAttribute(IndexingMerges.FLAT, "true");
            return flushes.fieldsWriter(state);
        }

        @Override
        public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
            return merges.fieldsReader(state);
        }

        @Override
        public int getMaxDimensions(String fieldName) {
            return MAX_DIMENSIONS;
        }

        @Override
        public String toString() {
            return merges.toString();
        }
    }
}
