package io.vectormemory.embedded.store.lucene;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

import java.io.IOException;

/**
 * Lucene's default codec with the collection's HNSW parameters ({@code m}, {@code ef_construct}) for
 * the vector field. Only writing needs them: the index files record the standard format names, so
 * the default codec reads them back.
 */
final class HnswCodec {

    /** Qdrant accepts vectors up to 65536 dimensions; Lucene's default guard is lower. */
    static final int MAX_DIMENSIONS = 65536;

    private HnswCodec() {
    }

    static Codec of(int m, int efConstruct) {
        Codec base = Codec.getDefault();
        KnnVectorsFormat hnsw = new Hnsw(Math.max(2, Math.min(m, Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN)),
                Math.max(2, Math.min(efConstruct, Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH)));
        KnnVectorsFormat perField = new PerFieldKnnVectorsFormat() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return hnsw;
            }
        };
        return new FilterCodec(base.getName(), base) {
            @Override
            public KnnVectorsFormat knnVectorsFormat() {
                return perField;
            }
        };
    }

    /** Lucene99HnswVectorsFormat under its own name, with a higher dimension limit. */
    private static final class Hnsw extends KnnVectorsFormat {
        private final Lucene99HnswVectorsFormat delegate;

        Hnsw(int m, int beamWidth) {
            super("Lucene99HnswVectorsFormat");
            // graphs of merged segments are built by several threads
            this.delegate = IndexingThreads.COUNT > 1
                    ? new Lucene99HnswVectorsFormat(m, beamWidth, IndexingThreads.COUNT, IndexingThreads.MERGES)
                    : new Lucene99HnswVectorsFormat(m, beamWidth);
        }

        @Override
        public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
            return delegate.fieldsWriter(state);
        }

        @Override
        public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
            return delegate.fieldsReader(state);
        }

        @Override
        public int getMaxDimensions(String fieldName) {
            return MAX_DIMENSIONS;
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
