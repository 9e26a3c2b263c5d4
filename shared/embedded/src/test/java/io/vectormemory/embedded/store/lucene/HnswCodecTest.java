package io.vectormemory.embedded.store.lucene;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Qdrant's indexing policy in the codec: writes store vectors without links, merged segments above
 * the indexing threshold get a graph, and a segment without one is still searched correctly.
 */
class HnswCodecTest {

    private static final String FIELD = "vector";
    private static final int DIMENSION = 8;

    @Test
    void thresholdIsQdrantsKilobytesOfVectors() {
        assertEquals(2500, HnswCodec.graphPoints(10_000, 1024));
        assertEquals(10_000, HnswCodec.graphPoints(10_000, 256));
        assertEquals(-1, HnswCodec.graphPoints(0, 1024));
        // Lucene's rule: a graph above ln(n) * k vectors; k is chosen so that n = 2500 gets one and 2400 does not
        int k = HnswCodec.graphThreshold(10_000, 1024);
        assertTrue(2500 > (int) (Math.log(2500) * k));
        assertTrue(2400 <= (int) (Math.log(2400) * k));
    }

    @Test
    void writesAreFlushedWithoutGraphAndMergesAboveTheThresholdBuildOne() throws IOException {
        // 2 KB of 8-dim vectors = 64 points
        try (Directory dir = new ByteBuffersDirectory()) {
            List<float[]> vectors = write(dir, 2, 300, 3);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertEquals(3, reader.leaves().size());
                for (LeafReaderContext leaf : reader.leaves()) {
                    assertEquals(0, graphSize(leaf), "a flushed segment has no graph");
                }
                assertSearchIsExact(reader, vectors);
            }
            merge(dir, 2);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertEquals(1, reader.leaves().size());
                assertEquals(900, graphSize(reader.leaves().getFirst()), "the merged segment has a graph of all points");
            }
        }
    }

    @Test
    @Timeout(60)
    void theIndexingOptimizerGivesALargeFlushedSegmentItsGraph() throws IOException {
        // one flushed segment above the threshold (64 points) that no tier merge would pick up, one below it
        try (Directory dir = new ByteBuffersDirectory()) {
            IndexWriterConfig config = new IndexWriterConfig().setCodec(HnswCodec.of(16, 100, 2, DIMENSION))
                    .setMergePolicy(new IndexingMerges(new TieredMergePolicy(), HnswCodec.graphPoints(2, DIMENSION)))
                    .setMergeScheduler(new SerialMergeScheduler());
            try (IndexWriter writer = new IndexWriter(dir, config)) {
                addRandom(writer, 900, new Random(1));
                writer.commit();
                addRandom(writer, 50, new Random(2));
                writer.commit();
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertEquals(2, reader.leaves().size());
                List<Integer> graphs = new ArrayList<>();
                for (LeafReaderContext leaf : reader.leaves()) {
                    graphs.add(graphSize(leaf));
                }
                assertEquals(List.of(900, 0), graphs, "graph sizes of the two segments");
            }
        }
    }

    @Test
    void mergedSegmentsBelowTheThresholdStayFlat() throws IOException {
        try (Directory dir = new ByteBuffersDirectory()) {
            List<float[]> vectors = write(dir, 10_000, 200, 3); // threshold 320,000 points
            merge(dir, 10_000);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertEquals(1, reader.leaves().size());
                assertEquals(0, graphSize(reader.leaves().getFirst()));
                assertSearchIsExact(reader, vectors);
            }
        }
    }

    @Test
    void thresholdZeroNeverBuildsAGraph() throws IOException {
        try (Directory dir = new ByteBuffersDirectory()) {
            write(dir, 0, 1000, 2);
            merge(dir, 0);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertEquals(0, graphSize(reader.leaves().getFirst()));
            }
        }
    }

    /** Writes {@code segments} flushed segments of {@code perSegment} random vectors, no merges. */
    private static List<float[]> write(Directory dir, long thresholdKb, int perSegment, int segments) throws IOException {
        Random random = new Random(42);
        List<float[]> vectors = new ArrayList<>();
        IndexWriterConfig config = new IndexWriterConfig().setCodec(HnswCodec.of(16, 100, thresholdKb, DIMENSION))
                .setMergePolicy(NoMergePolicy.INSTANCE);
        try (IndexWriter writer = new IndexWriter(dir, config)) {
            for (int s = 0; s < segments; s++) {
                vectors.addAll(addRandom(writer, perSegment, random));
                writer.commit();
            }
        }
        return vectors;
    }

    private static List<float[]> addRandom(IndexWriter writer, int count, Random random) throws IOException {
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] v = new float[DIMENSION];
            for (int d = 0; d < DIMENSION; d++) {
                v[d] = random.nextFloat() * 2 - 1;
            }
            Document doc = new Document();
            doc.add(new StringField("id", Integer.toString(writer.getDocStats().maxDoc), Field.Store.YES));
            doc.add(new KnnFloatVectorField(FIELD, v, VectorSimilarityFunction.EUCLIDEAN));
            writer.addDocument(doc);
            vectors.add(v);
        }
        return vectors;
    }

    private static void merge(Directory dir, long thresholdKb) throws IOException {
        try (IndexWriter writer = new IndexWriter(dir,
                new IndexWriterConfig().setCodec(HnswCodec.of(16, 100, thresholdKb, DIMENSION)))) {
            writer.forceMerge(1);
        }
    }

    private static int graphSize(LeafReaderContext leaf) throws IOException {
        return HnswCodec.graphSize(leaf.reader(), FIELD);
    }

    /** The top 10 of a KNN query on segments without graphs are the exact top 10. */
    private static void assertSearchIsExact(DirectoryReader reader, List<float[]> vectors) throws IOException {
        IndexSearcher searcher = new IndexSearcher(reader);
        Random random = new Random(7);
        for (int q = 0; q < 20; q++) {
            float[] query = vectors.get(random.nextInt(vectors.size())).clone();
            query[0] += 0.01f;
            ScoreDoc[] hits = searcher.search(new KnnFloatVectorQuery(FIELD, query, 10), 10).scoreDocs;
            String[] found = new String[hits.length];
            for (int i = 0; i < hits.length; i++) {
                found[i] = searcher.storedFields().document(hits[i].doc).get("id");
            }
            String[] expected = IntStream.range(0, vectors.size()).boxed()
                    .sorted(Comparator.comparingDouble(
                            (Integer i) -> -VectorSimilarityFunction.EUCLIDEAN.compare(query, vectors.get(i))))
                    .limit(10).map(String::valueOf).toArray(String[]::new);
            assertArrayEquals(expected, found);
        }
    }
}
