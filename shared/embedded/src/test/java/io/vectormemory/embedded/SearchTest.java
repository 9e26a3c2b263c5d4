package io.vectormemory.embedded;

import io.grpc.Status;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchTest extends QdrantTestSupport {

    private static List<ScoredPoint> search(String c, float[] vector, int limit, Float threshold) throws Exception {
        SearchPoints.Builder b = SearchPoints.newBuilder().setCollectionName(c).setLimit(limit);
        for (float v : vector) {
            b.addVector(v);
        }
        if (threshold != null) {
            b.setScoreThreshold(threshold);
        }
        return await(client.searchAsync(b.build()));
    }

    private static List<Long> ids(List<ScoredPoint> hits) {
        return hits.stream().map(h -> h.getId().getNum()).toList();
    }

    private static List<Float> scores(List<ScoredPoint> hits) {
        return hits.stream().map(ScoredPoint::getScore).toList();
    }

    private static String cosineCollection() throws Exception {
        String c = newCollection(2, Distance.Cosine);
        await(client.upsertAsync(c, List.of(
                point(1, f(1, 0), Map.of("k", value("a"))),
                point(2, f(0, 1), Map.of("k", value("b"))),
                point(3, f(1, 1), Map.of("k", value("a"))))));
        return c;
    }

    @Test
    void cosineScoresAreDotProductsOfNormalisedVectors() throws Exception {
        String c = cosineCollection();
        List<ScoredPoint> hits = search(c, f(2, 0), 10, null);
        assertEquals(List.of(1L, 3L, 2L), ids(hits));
        assertEquals(List.of(1.0f, 0.70710677f, 0.0f), scores(hits));
        assertTrue(hits.getFirst().getPayloadMap().isEmpty(), "search returns no payload by default");
        assertFalse(hits.getFirst().hasVectors());
    }

    @Test
    void scoreThresholdIsStrict() throws Exception {
        String c = cosineCollection();
        // Qdrant keeps score > threshold for Cosine/Dot: equal scores are dropped
        assertEquals(List.of(), ids(search(c, f(1, 0), 10, 1.0f)));
        assertEquals(List.of(1L), ids(search(c, f(1, 0), 10, 0.70710677f)));
        assertEquals(List.of(1L, 3L), ids(search(c, f(1, 0), 10, Math.nextDown(0.70710677f))));
        assertEquals(List.of(1L, 3L), ids(search(c, f(1, 0), 10, 0.0f)));
        assertEquals(List.of(1L, 3L, 2L), ids(search(c, f(1, 0), 10, -0.1f)));
    }

    @Test
    void dotProductRanking() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(point(1, f(3, 4), Map.of()), point(2, f(1, 0), Map.of()),
                point(3, f(-1, -1), Map.of()))));
        List<ScoredPoint> hits = search(c, f(1, 2), 10, null);
        assertEquals(List.of(1L, 2L, 3L), ids(hits));
        assertEquals(List.of(11f, 1f, -3f), scores(hits));
        assertEquals(List.of(1L), ids(search(c, f(1, 2), 10, 1f)));
    }

    @Test
    void euclidScoresAreDistancesAndThresholdIsAnUpperBound() throws Exception {
        String c = newCollection(2, Distance.Euclid);
        await(client.upsertAsync(c, List.of(point(1, f(3, 4), Map.of()), point(2, f(1, 0), Map.of()),
                point(3, f(0, 2), Map.of()))));
        List<ScoredPoint> hits = search(c, f(0, 0), 10, null);
        assertEquals(List.of(2L, 3L, 1L), ids(hits));
        assertEquals(List.of(1f, 2f, 5f), scores(hits));
        // Qdrant keeps distance < threshold for Euclid
        assertEquals(List.of(2L), ids(search(c, f(0, 0), 10, 2f)));
        assertEquals(List.of(2L, 3L), ids(search(c, f(0, 0), 10, 2.5f)));
    }

    @Test
    void limitOffsetFilterPayloadAndVectors() throws Exception {
        String c = cosineCollection();
        assertEquals(List.of(1L), ids(search(c, f(1, 0), 1, null)));
        List<ScoredPoint> page = await(client.searchAsync(SearchPoints.newBuilder().setCollectionName(c)
                .addAllVector(List.of(1f, 0f)).setLimit(1).setOffset(1).build()));
        assertEquals(List.of(3L), ids(page));

        List<ScoredPoint> filtered = await(client.searchAsync(SearchPoints.newBuilder().setCollectionName(c)
                .addAllVector(List.of(0f, 1f)).setLimit(10)
                .setFilter(Filter.newBuilder().addMust(matchKeyword("k", "a")))
                .setWithPayload(enable(true))
                .setWithVectors(io.qdrant.client.WithVectorsSelectorFactory.enable(true)).build()));
        assertEquals(List.of(3L, 1L), ids(filtered));
        assertEquals(Map.of("k", value("a")), filtered.getFirst().getPayloadMap());
        assertEquals(List.of(0.70710677f, 0.70710677f), filtered.getFirst().getVectors().getVector().getDataList());
    }

    @Test
    void equalScoresAreOrderedById() throws Exception {
        String c = newCollection(2, Distance.Dot);
        UUID u = UUID.fromString("00000000-0000-0000-0000-000000000001");
        await(client.upsertAsync(c, List.of(
                PointStruct.newBuilder().setId(id(u)).setVectors(vectors(1, 0)).build(),
                point(9, f(1, 0), Map.of()), point(2, f(1, 0), Map.of()), point(5, f(1, 0), Map.of()))));
        List<ScoredPoint> hits = search(c, f(1, 0), 10, null);
        assertEquals(List.of(id(2), id(5), id(9), id(u)), hits.stream().map(ScoredPoint::getId).toList());
    }

    @Test
    void searchErrors() throws Exception {
        String c = cosineCollection();
        Status dim = failure(client.searchAsync(SearchPoints.newBuilder().setCollectionName(c)
                .addAllVector(List.of(1f, 2f, 3f)).setLimit(3).build()));
        assertStatus(dim, Status.Code.INVALID_ARGUMENT, "Wrong input: Vector dimension error: expected dim: 2, got 3");
        Status limit = failure(client.searchAsync(SearchPoints.newBuilder().setCollectionName(c)
                .addAllVector(List.of(1f, 2f)).setLimit(0).build()));
        assertStatus(limit, Status.Code.INVALID_ARGUMENT,
                "Validation error in body: [limit: value 0 invalid, must be 1 or larger]");
    }

    @Test
    void queryNearestVector() throws Exception {
        String c = cosineCollection();
        List<ScoredPoint> hits = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(c)
                .setQuery(nearest(1f, 0f)).setScoreThreshold(0.5f).setWithPayload(enable(true)).build()));
        assertEquals(List.of(1L, 3L), ids(hits));
        assertEquals(List.of(1.0f, 0.70710677f), scores(hits));
        assertEquals(Map.of("k", value("a")), hits.getFirst().getPayloadMap());

        List<ScoredPoint> second = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(c)
                .setQuery(nearest(1f, 0f)).setLimit(1).setOffset(1).build()));
        assertEquals(List.of(3L), ids(second));
        assertTrue(second.getFirst().getPayloadMap().isEmpty());
    }

    @Test
    void queryNearestPointIdExcludesThatPoint() throws Exception {
        String c = cosineCollection();
        List<ScoredPoint> hits = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(c)
                .setQuery(nearest(id(1))).build()));
        assertEquals(List.of(3L, 2L), ids(hits));
        Status missing = failure(client.queryAsync(QueryPoints.newBuilder().setCollectionName(c)
                .setQuery(nearest(id(77))).build()));
        assertStatus(missing, Status.Code.NOT_FOUND, "Not found: Vector with name \"\" for point not found");
    }

    @Test
    void queryWithoutQueryListsPointsById() throws Exception {
        String c = newCollection(2, Distance.Dot);
        List<PointStruct> points = new ArrayList<>();
        for (long i = 15; i >= 1; i--) {
            points.add(point(i, f(1, 0), Map.of()));
        }
        await(client.upsertAsync(c, points));
        List<ScoredPoint> hits = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(c).build()));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), ids(hits));
        assertEquals(0f, hits.getFirst().getScore());
        List<PointId> withOffset = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(c)
                .setOffset(13).build())).stream().map(ScoredPoint::getId).toList();
        assertEquals(List.of(id(14), id(15)), withOffset);
    }
}
