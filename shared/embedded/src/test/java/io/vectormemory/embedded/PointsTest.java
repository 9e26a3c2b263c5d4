package io.vectormemory.embedded;

import io.grpc.Status;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.exclude;
import static io.qdrant.client.WithPayloadSelectorFactory.include;
import static io.qdrant.client.WithVectorsSelectorFactory.enable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointsTest extends QdrantTestSupport {

    private static List<Float> vectorOf(RetrievedPoint p) {
        return p.getVectors().getVector().getDataList();
    }

    private static RetrievedPoint getOne(String collection, long id) throws Exception {
        List<RetrievedPoint> points = await(client.retrieveAsync(collection, List.of(id(id)),
                io.qdrant.client.WithPayloadSelectorFactory.enable(true), enable(true), null));
        assertEquals(1, points.size());
        return points.getFirst();
    }

    @Test
    void upsertAndGetNormalisesCosineVectors() throws Exception {
        String c = newCollection(2, Distance.Cosine);
        Map<String, Value> payload = new LinkedHashMap<>();
        payload.put("text", value("hello"));
        payload.put("count", value(3));
        payload.put("ratio", value(3.0));
        payload.put("flag", value(true));
        payload.put("nothing", nullValue());
        payload.put("tags", list(List.of(value("a"), value("b"))));
        payload.put("meta", value(Map.of("source", value("chat"))));
        UpdateResult result = await(client.upsertAsync(c, List.of(point(7, f(3, 4), payload))));
        assertEquals(UpdateStatus.Completed, result.getStatus());

        RetrievedPoint p = getOne(c, 7);
        assertEquals(id(7), p.getId());
        assertEquals(List.of(0.6f, 0.8f), vectorOf(p));
        assertEquals(List.of(0.6f, 0.8f), p.getVectors().getVector().getDense().getDataList());
        assertEquals(payload, p.getPayloadMap());
        // integers and doubles stay apart
        assertEquals(Value.KindCase.INTEGER_VALUE, p.getPayloadMap().get("count").getKindCase());
        assertEquals(Value.KindCase.DOUBLE_VALUE, p.getPayloadMap().get("ratio").getKindCase());
    }

    @Test
    void dotAndEuclidVectorsAreStoredAsGiven() throws Exception {
        String dot = newCollection(2, Distance.Dot);
        await(client.upsertAsync(dot, List.of(point(1, f(3, 4), Map.of()))));
        assertEquals(List.of(3f, 4f), vectorOf(getOne(dot, 1)));
        String euclid = newCollection(2, Distance.Euclid);
        await(client.upsertAsync(euclid, List.of(point(1, f(3, 4), Map.of()))));
        assertEquals(List.of(3f, 4f), vectorOf(getOne(euclid, 1)));
    }

    @Test
    void wrongDimensionIsInvalidArgument() throws Exception {
        String c = newCollection(4, Distance.Cosine);
        Status status = failure(client.upsertAsync(c, List.of(point(1, f(1, 2, 3), Map.of()))));
        assertStatus(status, Status.Code.INVALID_ARGUMENT,
                "Wrong input: Vector dimension error: expected dim: 4, got 3");
        // nothing of the batch was applied
        assertEquals(0L, await(client.countAsync(c)));
    }

    @Test
    void uuidIdsAreNormalisedAndInvalidOnesRejected() throws Exception {
        String c = newCollection(2, Distance.Dot);
        UUID uuid = UUID.fromString("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");
        PointStruct upper = PointStruct.newBuilder()
                .setId(io.qdrant.client.grpc.Common.PointId.newBuilder()
                        .setUuid("5C56C793-69F3-4FBF-87E6-C4BF54C28C26"))
                .setVectors(vectors(1, 2)).build();
        await(client.upsertAsync(c, List.of(upper)));
        List<RetrievedPoint> got = await(client.retrieveAsync(c, List.of(id(uuid)), null));
        assertEquals(1, got.size());
        assertEquals("5c56c793-69f3-4fbf-87e6-c4bf54c28c26", got.getFirst().getId().getUuid());

        PointStruct bad = upper.toBuilder().setId(upper.getId().toBuilder().setUuid("not-a-uuid")).build();
        assertStatus(failure(client.upsertAsync(c, List.of(bad))), Status.Code.INVALID_ARGUMENT,
                "Unable to parse UUID: not-a-uuid");
    }

    @Test
    void getKeepsRequestOrderSkipsMissingAndDeduplicates() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(point(1, f(1, 0), Map.of()), point(2, f(0, 1), Map.of()),
                point(3, f(1, 1), Map.of()))));
        List<RetrievedPoint> got = await(client.retrieveAsync(c, List.of(id(3), id(99), id(1), id(3)), null));
        assertEquals(List.of(id(3), id(1)), got.stream().map(RetrievedPoint::getId).toList());
        assertFalse(got.getFirst().hasVectors());
    }

    @Test
    void payloadSelectors() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(point(1, f(1, 0), Map.of(
                "a", value(1), "b", value(Map.of("x", value(1), "y", value(2))), "c", value("c"))))));
        RetrievedPoint included = await(client.retrieveAsync(c, List.of(id(1)), include(List.of("a", "b.x")),
                enable(false), null)).getFirst();
        assertEquals(Map.of("a", value(1), "b", value(Map.of("x", value(1)))), included.getPayloadMap());
        RetrievedPoint excluded = await(client.retrieveAsync(c, List.of(id(1)), exclude(List.of("b.y", "c")),
                enable(false), null)).getFirst();
        assertEquals(Map.of("a", value(1), "b", value(Map.of("x", value(1)))), excluded.getPayloadMap());
        RetrievedPoint none = await(client.retrieveAsync(c, List.of(id(1)),
                io.qdrant.client.WithPayloadSelectorFactory.enable(false), enable(false), null)).getFirst();
        assertTrue(none.getPayloadMap().isEmpty());
    }

    @Test
    void upsertReplacesVectorAndPayload() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(point(1, f(1, 0), Map.of("old", value(true))))));
        await(client.upsertAsync(c, List.of(point(1, f(0, 2), Map.of()))));
        RetrievedPoint p = getOne(c, 1);
        assertEquals(List.of(0f, 2f), vectorOf(p));
        assertTrue(p.getPayloadMap().isEmpty());
        assertEquals(1L, await(client.countAsync(c)));
    }

    @Test
    void conditionalUpsertOnlyUpdatesMatchingPoints() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(point(1, f(1, 0), Map.of("v", value(1))),
                point(2, f(1, 0), Map.of("v", value(2))))));
        await(client.upsertAsync(Points.UpsertPoints.newBuilder().setCollectionName(c).setWait(true)
                .addPoints(point(1, f(0, 1), Map.of("v", value(10))))
                .addPoints(point(2, f(0, 1), Map.of("v", value(20))))
                .addPoints(point(3, f(0, 1), Map.of("v", value(30))))
                .setUpdateFilter(io.qdrant.client.grpc.Common.Filter.newBuilder()
                        .addMust(io.qdrant.client.ConditionFactory.match("v", 2))).build()));
        assertEquals(Map.of("v", value(1)), getOne(c, 1).getPayloadMap());
        assertEquals(Map.of("v", value(20)), getOne(c, 2).getPayloadMap());
        assertEquals(Map.of("v", value(30)), getOne(c, 3).getPayloadMap());
    }

    @Test
    void deleteByIdsAndByFilter() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(
                point(1, f(1, 0), Map.of("k", value("x"))),
                point(2, f(1, 0), Map.of("k", value("y"))),
                point(3, f(1, 0), Map.of("k", value("x"))),
                point(4, f(1, 0), Map.of()))));
        await(client.deleteAsync(c, List.of(id(1), id(42))));
        assertEquals(3L, await(client.countAsync(c)));
        await(client.deleteAsync(c, io.qdrant.client.grpc.Common.Filter.newBuilder()
                .addMust(matchKeyword("k", "x")).build()));
        List<RetrievedPoint> left = await(client.retrieveAsync(c, List.of(id(1), id(2), id(3), id(4)), null));
        assertEquals(List.of(id(2), id(4)), left.stream().map(RetrievedPoint::getId).toList());
    }

    @Test
    void setPayloadMergesAndNullRemovesKeys() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(point(1, f(1, 0), Map.of("a", value(1), "b", value(2))))));
        await(client.setPayloadAsync(c, Map.of("b", value(20), "c", value("new")), id(1), true, null, null));
        assertEquals(Map.of("a", value(1), "b", value(20), "c", value("new")), getOne(c, 1).getPayloadMap());
        await(client.setPayloadAsync(c, Map.of("a", nullValue()), id(1), true, null, null));
        assertEquals(Map.of("b", value(20), "c", value("new")), getOne(c, 1).getPayloadMap());
    }

    @Test
    void setPayloadUnderKeyAndByFilter() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(
                point(1, f(1, 0), Map.of("group", value("g"), "meta", value(Map.of("x", value(1))))),
                point(2, f(1, 0), Map.of("group", value("h"))))));
        await(client.setPayloadAsync(c, Map.of("y", value(2)),
                Points.PointsSelector.newBuilder().setFilter(io.qdrant.client.grpc.Common.Filter.newBuilder()
                        .addMust(matchKeyword("group", "g"))).build(), true, "meta", null, null));
        assertEquals(Map.of("group", value("g"), "meta", value(Map.of("x", value(1), "y", value(2)))),
                getOne(c, 1).getPayloadMap());
        assertEquals(Map.of("group", value("h")), getOne(c, 2).getPayloadMap());
    }

    @Test
    void overwriteDeleteAndClearPayload() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(point(1, f(1, 0), Map.of("a", value(1), "b", value(2),
                "n", value(Map.of("x", value(1), "y", value(2))))))));
        await(client.deletePayloadAsync(c, List.of("a", "n.x"), id(1), true, null, null));
        assertEquals(Map.of("b", value(2), "n", value(Map.of("y", value(2)))), getOne(c, 1).getPayloadMap());
        await(client.overwritePayloadAsync(c, Map.of("z", value("only")), id(1), true, null, null));
        assertEquals(Map.of("z", value("only")), getOne(c, 1).getPayloadMap());
        await(client.clearPayloadAsync(c, id(1), true, null, null));
        assertTrue(getOne(c, 1).getPayloadMap().isEmpty());
    }

    @Test
    void payloadUpdateOfMissingPointIsNotFound() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(point(1, f(1, 0), Map.of()))));
        Status status = failure(client.setPayloadAsync(c, Map.of("a", value(1)), List.of(id(1), id(5)),
                true, null, null));
        assertStatus(status, Status.Code.NOT_FOUND, "Not found: No point with id 5 found");
        // like Qdrant, the existing point was updated before the missing one was reported
        assertEquals(Map.of("a", value(1)), getOne(c, 1).getPayloadMap());
    }

    @Test
    void operationIdsIncreaseAndWaitSelectsStatus() throws Exception {
        String c = newCollection(2, Distance.Dot);
        UpdateResult first = await(client.upsertAsync(c, List.of(point(1, f(1, 0), Map.of()))));
        UpdateResult second = await(client.upsertAsync(Points.UpsertPoints.newBuilder().setCollectionName(c)
                .setWait(false).addPoints(point(2, f(0, 1), Map.of())).build()));
        UpdateResult third = await(client.deleteAsync(c, List.of(id(2))));
        assertEquals(0, first.getOperationId());
        assertEquals(UpdateStatus.Completed, first.getStatus());
        assertEquals(1, second.getOperationId());
        assertEquals(UpdateStatus.Acknowledged, second.getStatus());
        assertEquals(2, third.getOperationId());
    }

    @Test
    void batchUpdateAppliesOperationsInOrder() throws Exception {
        String c = newCollection(2, Distance.Dot);
        List<UpdateResult> results = await(client.batchUpdateAsync(c, List.of(
                Points.PointsUpdateOperation.newBuilder().setUpsert(
                        Points.PointsUpdateOperation.PointStructList.newBuilder()
                                .addPoints(point(1, f(1, 0), Map.of("a", value(1))))).build(),
                Points.PointsUpdateOperation.newBuilder().setSetPayload(
                        Points.PointsUpdateOperation.SetPayload.newBuilder().putPayload("b", value(2))
                                .setPointsSelector(Points.PointsSelector.newBuilder().setPoints(
                                        Points.PointsIdsList.newBuilder().addIds(id(1))))).build())));
        assertEquals(List.of(0L, 1L), results.stream().map(UpdateResult::getOperationId).toList());
        assertEquals(Map.of("a", value(1), "b", value(2)), getOne(c, 1).getPayloadMap());
    }

    @Test
    void pointVersionIsTheLastOperationId() throws Exception {
        String c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(point(1, f(1, 0), Map.of()), point(2, f(0, 1), Map.of()))));
        await(client.setPayloadAsync(c, Map.of("a", value(1)), id(2), true, null, null));
        List<Points.ScoredPoint> hits = await(client.searchAsync(Points.SearchPoints.newBuilder()
                .setCollectionName(c).addAllVector(List.of(1f, 1f)).setLimit(2).build()));
        assertEquals(Map.of(1L, 0L, 2L, 1L), Map.of(hits.get(0).getId().getNum(), hits.get(0).getVersion(),
                hits.get(1).getId().getNum(), hits.get(1).getVersion()));
    }
}
