package io.vectormemory.embedded;

import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.OptimizersConfigDiff;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.PointStruct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Collection info as Qdrant reports background indexing: indexed_vectors_count and status (Lucene storage). */
@QdrantTestSupport.LuceneStorage
class IndexingStatusTest extends QdrantTestSupport {

    @Test
    @Timeout(120)
    void indexedVectorsAreThoseWithAGraphAndStatusIsGreenOnceTheOptimizerIsDone() throws Exception {
        String name = "indexing";
        // indexing_threshold 1 KB: segments of at least 64 vectors of 4 dims get a graph
        await(client.createCollectionAsync(CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(
                        VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine)))
                .setOptimizersConfig(OptimizersConfigDiff.newBuilder().setIndexingThreshold(1))
                .build()));
        Random random = new Random(42);

        // below the threshold: stored without a graph (searched exactly), nothing for an optimizer to do
        await(client.upsertAsync(name, points(0, 10, random)));
        CollectionInfo small = await(client.getCollectionInfoAsync(name));
        assertEquals(10, small.getPointsCount());
        assertEquals(0, small.getIndexedVectorsCount(), small::toString);
        assertEquals(Collections.CollectionStatus.Green, small.getStatus(), small::toString);

        // above it: the indexing optimizer builds the graph in the background; green once it has
        await(client.upsertAsync(name, points(10, 1000, random)));
        CollectionInfo info = await(client.getCollectionInfoAsync(name));
        while (info.getStatus() != Collections.CollectionStatus.Green || info.getIndexedVectorsCount() < 1000) {
            assertTrue(info.getStatus() == Collections.CollectionStatus.Green
                    || info.getStatus() == Collections.CollectionStatus.Yellow, info::toString);
            Thread.sleep(50);
            info = await(client.getCollectionInfoAsync(name));
        }
        assertEquals(1010, info.getPointsCount());
        // the 10 first points stay in their own small segment unless a merge took them along
        long indexed = info.getIndexedVectorsCount();
        assertTrue(indexed == 1000 || indexed == 1010, info::toString);
    }

    private static List<PointStruct> points(int first, int count, Random random) {
        List<PointStruct> points = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            points.add(point(i, f(random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat() + 0.1f),
                    Map.of()));
        }
        return points;
    }
}
