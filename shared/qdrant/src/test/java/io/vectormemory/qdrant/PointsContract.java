package io.vectormemory.qdrant;

import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.vectormemory.qdrant.settings.PointIdScheme;
import io.vectormemory.qdrant.settings.WriteOrdering;
import io.vectormemory.qdrant.store.Filters;
import io.vectormemory.qdrant.store.QdrantPoints;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.qdrant.client.ValueFactory.value;
import static io.vectormemory.qdrant.Samples.OTHER_USER;
import static io.vectormemory.qdrant.Samples.USER;
import static io.vectormemory.qdrant.Samples.assertVector;
import static io.vectormemory.qdrant.Samples.document;
import static io.vectormemory.qdrant.Samples.memory;
import static io.vectormemory.qdrant.Samples.normalised;
import static io.vectormemory.qdrant.Samples.spread;
import static io.vectormemory.qdrant.Samples.vector;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Backend contract, part: points by platform string id under both id schemes, and the writes (upsert, delete,
 * counted delete, count, set payload), each with every write ordering.
 */
interface PointsContract {
    Backend backend();

    @Test
    default void upsertAndFindUnderSiphash() {
        String name = backend().memoriesCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        float[] v = vector(3, 4, 0, 0, 0, 0, 0, 12);
        points.upsert(name, List.of(points.point("mem_42_1001", v, memory(USER, "preferences", true))));

        RetrievedPoint p = points.find(name, "mem_42_1001", true).orElseThrow();

        assertThat(p.getId(), is(PointId.newBuilder().setNum(Long.parseUnsignedLong("7870116223244595666")).build()));
        Map<String, Value> expected = new HashMap<>(memory(USER, "preferences", true));
        expected.put("_point_id", value("mem_42_1001"));
        assertThat(p.getPayloadMap(), is(expected));
        // Cosine collections store the normalised vector (3,4,12)/13.
        assertVector(QdrantPoints.vector(p.getVectors()).orElseThrow(), normalised(v));
        RetrievedPoint withoutVector = points.find(name, "mem_42_1001", false).orElseThrow();
        assertThat(QdrantPoints.vector(withoutVector.getVectors()), is(Optional.empty()));
    }

    @Test
    default void upsertAndFindUnderUuid5() {
        String name = backend().documentsCollection();
        QdrantPoints points = backend().points(PointIdScheme.UUID5);
        points.upsert(name, List.of(points.point("doc_42_77_0", spread(0), document(USER, 77, "DEFAULT", 0))));

        RetrievedPoint p = points.find(name, "doc_42_77_0", false).orElseThrow();

        // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, 'doc_42_77_0'))"
        assertThat(p.getId(), is(PointId.newBuilder().setUuid("8372ea4b-01d5-5862-b19e-d2ca5663d31d").build()));
        assertThat(p.getPayloadMap().get("_point_id"), is(value("doc_42_77_0")));
        assertThat(p.getPayloadMap().get("file_id"), is(value(77)));
    }

    @Test
    default void findsPointsWrittenUnderTheOtherScheme() {
        String name = backend().memoriesCollection();
        QdrantPoints sip = backend().points(PointIdScheme.SIPHASH);
        QdrantPoints uuid = backend().points(PointIdScheme.UUID5);
        sip.upsert(name, List.of(sip.point("mem_42_1", spread(1), memory(USER, "a", true))));
        uuid.upsert(name, List.of(uuid.point("mem_42_2", spread(2), memory(USER, "b", true))));

        RetrievedPoint viaUuid = uuid.find(name, "mem_42_1", false).orElseThrow();
        assertThat(viaUuid.getId(), is(sip.ids().toQdrant("mem_42_1")));
        assertThat(viaUuid.getPayloadMap().get("category"), is(value("a")));
        RetrievedPoint viaSip = sip.find(name, "mem_42_2", false).orElseThrow();
        assertThat(viaSip.getId(), is(uuid.ids().toQdrant("mem_42_2")));
        assertThat(viaSip.getPayloadMap().get("category"), is(value("b")));

        // Deleting also works across schemes.
        uuid.delete(name, "mem_42_1");
        sip.delete(name, "mem_42_2");
        assertThat(sip.count(name, Filter.getDefaultInstance()), is(0L));
    }

    @Test
    default void findIgnoresAHashCollisionAndFindsLegacyPointsWithoutStringId() {
        String name = backend().memoriesCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        PointId derivedA = points.ids().toQdrant("mem_a");
        PointId derivedB = points.ids().toQdrant("mem_b");
        // At mem_a's derived id sits a point that belongs to another string (a collision).
        points.upsert(name, List.of(
                Backend.rawPoint(derivedA, Map.of("_point_id", value("mem_other"), "user_id", value(USER))),
                // At mem_b's derived id sits a point written without _point_id (an older writer).
                Backend.rawPoint(derivedB, Map.of("user_id", value(USER)))));

        assertThat(points.find(name, "mem_a", false), is(Optional.empty()));
        assertThat(points.find(name, "mem_b", false).orElseThrow().getId(), is(derivedB));
        assertThat(points.find(name, "mem_other", false).orElseThrow().getId(), is(derivedA));
    }

    @Test
    default void findUnknownIdIsEmpty() {
        String name = backend().memoriesCollection();
        assertThat(backend().points(PointIdScheme.SIPHASH).find(name, "mem_42_404", true), is(Optional.empty()));
        assertThat(backend().points(PointIdScheme.UUID5).find(name, "", false), is(Optional.empty()));
    }

    @Test
    default void upsertReplacesThePayload() {
        String name = backend().memoriesCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        points.upsert(name, List.of(backend().memoryPoint("mem_42_1", spread(1), true)));
        Map<String, Value> changed = memory(USER, "changed", false);
        points.upsert(name, List.of(points.point("mem_42_1", spread(2), changed)));

        RetrievedPoint p = points.find(name, "mem_42_1", true).orElseThrow();
        assertThat(p.getPayloadMap().get("category"), is(value("changed")));
        assertThat(p.getPayloadMap().get("active"), is(value(false)));
        assertVector(QdrantPoints.vector(p.getVectors()).orElseThrow(), normalised(spread(2)));
        assertThat(points.count(name, Filter.getDefaultInstance()), is(1L));
    }

    @Test
    default void extraPayloadFieldsAndTypesRoundTrip() {
        String name = backend().documentsCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        Map<String, Value> payload = new LinkedHashMap<>(document(USER, 77, "DEFAULT", 0));
        payload.put("file_name", value("Grüße.pdf"));
        payload.put("mime_type", value("application/pdf"));
        payload.put("ratio", value(0.25));
        payload.put("big", value(Long.MAX_VALUE));
        payload.put("negative", value(-7L));
        payload.put("tags", value(List.of(value("a"), value(1))));
        payload.put("meta", value(Map.of("k", value("v"))));
        points.upsert(name, List.of(points.point("doc_42_77_0", spread(0), payload)));

        Map<String, Value> stored = points.find(name, "doc_42_77_0", false).orElseThrow().getPayloadMap();
        Map<String, Value> expected = new HashMap<>(payload);
        expected.put("_point_id", value("doc_42_77_0"));
        assertThat(stored, is(expected));
    }

    @Test
    default void deleteById() {
        String name = backend().memoriesCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        points.upsert(name, List.of(
                backend().memoryPoint("mem_42_1", spread(1), true),
                backend().memoryPoint("mem_42_2", spread(2), true)));

        points.delete(name, "mem_42_1");
        points.delete(name, "mem_42_never_written");

        assertThat(points.find(name, "mem_42_1", false), is(Optional.empty()));
        assertThat(points.find(name, "mem_42_2", false).isPresent(), is(true));
        assertThat(points.count(name, Filter.getDefaultInstance()), is(1L));
    }

    @Test
    default void deleteCountedReturnsRealCounts() {
        String name = backend().documentsCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        List<PointStruct> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(points.point("doc_42_7_" + i, spread(i), document(USER, 7, "DEFAULT", i)));
        }
        for (int i = 0; i < 3; i++) {
            batch.add(points.point("doc_42_8_" + i, spread(i), document(USER, 8, "DEFAULT", i)));
        }
        for (int i = 0; i < 2; i++) {
            batch.add(points.point("doc_43_7_" + i, spread(i), document(OTHER_USER, 7, "DEFAULT", i)));
        }
        points.upsert(name, batch);

        assertThat(points.deleteCounted(name, Filters.documents(USER, 7L, null)), is(5L));
        assertThat(points.deleteCounted(name, Filters.documents(USER, 7L, null)), is(0L));
        assertThat(points.count(name, Filter.getDefaultInstance()), is(5L));
        assertThat(points.deleteCounted(name, Filters.documents(USER, null, "DEFAULT")), is(3L));
        assertThat(points.count(name, Filters.documents(OTHER_USER, null, null)), is(2L));
        assertThat(points.deleteCounted(name, Filters.memoriesOfUser(OTHER_USER)), is(2L));
        assertThat(points.count(name, Filter.getDefaultInstance()), is(0L));
    }

    @Test
    default void countHonoursFilters() {
        String name = backend().memoriesCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        points.upsert(name, List.of(
                points.point("m1", spread(1), memory(USER, "prefs", true)),
                points.point("m2", spread(2), memory(USER, "prefs", false)),
                points.point("m3", spread(3), memory(USER, "work", true)),
                points.point("m4", spread(4), memory(OTHER_USER, "prefs", true))));

        assertThat(points.count(name, Filter.getDefaultInstance()), is(4L));
        assertThat(points.count(name, Filters.memoriesOfUser(USER)), is(3L));
        assertThat(points.count(name, Filters.activeMemories(USER, null)), is(2L));
        assertThat(points.count(name, Filters.activeMemories(USER, "prefs")), is(1L));
        assertThat(points.count(name, Filters.activeMemories(USER, "PREFS")), is(0L));
        assertThat(points.count(name, Filters.activeMemories(999, null)), is(0L));
    }

    @Test
    default void everyWriteOrderingIsAcceptedOnEveryWrite() {
        for (WriteOrdering ordering : WriteOrdering.values()) {
            String name = backend().documentsCollection();
            QdrantPoints points = Backend.points(backend().client(), PointIdScheme.SIPHASH, ordering);
            points.upsert(name, List.of(
                    points.point("doc_42_7_0", spread(0), document(USER, 7, "DEFAULT", 0)),
                    points.point("doc_42_7_1", spread(1), document(USER, 7, "DEFAULT", 1)),
                    points.point("doc_42_8_0", spread(2), document(USER, 8, "DEFAULT", 0))));
            points.setPayload(name, Map.of("group_key", value("MOVED")), Filters.documents(USER, 7L, null));
            points.delete(name, "doc_42_7_0");

            assertThat(ordering.name(), points.count(name, Filters.documents(USER, null, "MOVED")), is(1L));
            assertThat(ordering.name(), points.deleteCounted(name, Filters.documents(USER, null, null)), is(2L));
            assertThat(ordering.name(), points.count(name, Filter.getDefaultInstance()), is(0L));
        }
    }

    @Test
    default void setPayloadByFilterMergesIntoMatchingPointsOnly() {
        String name = backend().documentsCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        List<PointStruct> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.add(points.point("doc_42_7_" + i, spread(i), document(USER, 7, "DEFAULT", i)));
        }
        batch.add(points.point("doc_42_8_0", spread(5), document(USER, 8, "DEFAULT", 0)));
        batch.add(points.point("doc_43_7_0", spread(6), document(OTHER_USER, 7, "DEFAULT", 0)));
        points.upsert(name, batch);

        points.setPayload(name, Map.of("group_key", value("WIDGET:abc")), Filters.documents(USER, 7L, null));

        assertThat(points.count(name, Filters.documents(USER, null, "WIDGET:abc")), is(4L));
        assertThat(points.count(name, Filters.documents(USER, null, "DEFAULT")), is(1L));
        assertThat(points.count(name, Filters.documents(OTHER_USER, null, "DEFAULT")), is(1L));
        Map<String, Value> p = points.find(name, "doc_42_7_2", false).orElseThrow().getPayloadMap();
        Map<String, Value> expected = new HashMap<>(document(USER, 7, "WIDGET:abc", 2));
        expected.put("_point_id", value("doc_42_7_2"));
        assertThat(p, is(expected));
    }
}
