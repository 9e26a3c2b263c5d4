package io.vectormemory.qdrant;

import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.vectormemory.qdrant.settings.PointIdScheme;
import io.vectormemory.qdrant.store.Filters;
import io.vectormemory.qdrant.store.PointIds;
import io.vectormemory.qdrant.store.QdrantPoints;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static io.vectormemory.qdrant.Samples.OTHER_USER;
import static io.vectormemory.qdrant.Samples.USER;
import static io.vectormemory.qdrant.Samples.assertScores;
import static io.vectormemory.qdrant.Samples.document;
import static io.vectormemory.qdrant.Samples.memory;
import static io.vectormemory.qdrant.Samples.spread;
import static io.vectormemory.qdrant.Samples.vector;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * Backend contract, part: search (cosine scores, user/active/category/group filters, threshold, limit) and
 * scroll paging.
 */
interface SearchContract {
    Backend backend();

    @Test
    default void memorySearchHonoursUserActiveCategoryThresholdAndLimit() {
        String name = backend().memoriesCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        float[] query = vector(2, 0, 0, 0, 0, 0, 0, 0);
        Map<String, float[]> vectors = new LinkedHashMap<>();
        vectors.put("hit_best", vector(10, 1, 0, 0, 0, 0, 0, 0));     // ≈ 0.995
        vectors.put("hit_good", vector(3, 2, 1, 0, 0, 0, 0, 0));      // ≈ 0.802
        vectors.put("hit_weak", vector(1, 1, 1, 0, 1, 0, 0, 0));      // 0.5
        vectors.put("orthogonal", vector(0, 0, 0, 5, 0, 0, 0, 0));    // 0
        vectors.put("opposite", vector(-1, 0, 0, 0, 0, 0, 0, 0.2f));  // ≈ -0.98
        vectors.put("inactive", vector(1, 0, 0, 0, 0, 0, 0, 0));      // 1.0 but inactive
        vectors.put("other_user", vector(1, 0, 0, 0, 0, 0, 0, 0));    // 1.0 but another user
        vectors.put("other_category", vector(9, 1, 0, 0, 0, 0, 0, 0));
        vectors.put("upper_category", vector(8, 1, 0, 0, 0, 0, 0, 0));
        vectors.put("empty_category", vector(7, 1, 0, 0, 0, 0, 0, 0));
        Map<String, Map<String, Value>> payloads = Map.of(
                "inactive", memory(USER, "prefs", false),
                "other_user", memory(OTHER_USER, "prefs", true),
                "other_category", memory(USER, "work", true),
                "upper_category", memory(USER, "Prefs", true),
                "empty_category", memory(USER, "", true));
        List<PointStruct> batch = new ArrayList<>();
        vectors.forEach((id, v) -> batch.add(points.point(id, v,
                payloads.getOrDefault(id, memory(USER, "prefs", true)))));
        points.upsert(name, batch);

        List<ScoredPoint> prefs = points.search(name, query, Filters.activeMemories(USER, "prefs"), 10, 0.3f);
        assertThat(Backend.ids(prefs), contains("hit_best", "hit_good", "hit_weak"));
        assertScores(prefs, query, vectors);

        assertThat(Backend.ids(points.search(name, query, Filters.activeMemories(USER, "prefs"), 10, 0.8f)),
                contains("hit_best", "hit_good"));
        assertThat(Backend.ids(points.search(name, query, Filters.activeMemories(USER, "prefs"), 1, 0.3f)),
                contains("hit_best"));
        assertThat(points.search(name, query, Filters.activeMemories(USER, "prefs"), 10, 0.999f), is(empty()));

        List<ScoredPoint> all = points.search(name, query, Filters.activeMemories(USER, "prefs"), 10, -1f);
        assertThat(Backend.ids(all), contains("hit_best", "hit_good", "hit_weak", "orthogonal", "opposite"));
        assertScores(all, query, vectors);

        assertThat(Backend.ids(points.search(name, query, Filters.activeMemories(USER, null), 4, 0.3f)),
                contains("hit_best", "other_category", "upper_category", "empty_category"));
        assertThat(Backend.ids(points.search(name, query, Filters.activeMemories(USER, ""), 10, 0f)),
                contains("empty_category"));
        assertThat(Backend.ids(points.search(name, query, Filters.activeMemories(OTHER_USER, null), 10, 0f)),
                contains("other_user"));
        assertThat(Backend.ids(points.search(name, query, Filters.activeMemories(777, null), 10, -1f)), is(empty()));
    }

    @Test
    default void searchResultsCarryPayloadAndStringId() {
        String name = backend().memoriesCollection();
        QdrantPoints points = backend().points(PointIdScheme.UUID5);
        points.upsert(name, List.of(points.point("mem_42_1001", spread(3), memory(USER, "prefs", true))));

        ScoredPoint hit = points.search(name, spread(3), Filters.activeMemories(USER, null), 5, 0.5f).get(0);

        assertThat(hit.getId(), is(points.ids().toQdrant("mem_42_1001")));
        assertThat(hit.getPayloadMap().get(PointIds.FIELD), is(value("mem_42_1001")));
        assertThat(hit.getPayloadMap().get("value"), is(value("Spicy ramen")));
        assertThat((double) hit.getScore(), closeTo(1.0, 1e-5));
    }

    @Test
    default void documentSearchHonoursUserAndGroup() {
        String name = backend().documentsCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        float[] query = vector(1, 1, 0, 0, 0, 0, 0, 0);
        Map<String, float[]> vectors = new LinkedHashMap<>();
        List<PointStruct> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "doc_42_77_" + i;
            float[] v = vector(1, 1, i * 0.3f, 0, 0, 0, 0, 0);
            vectors.put(id, v);
            batch.add(points.point(id, v, document(USER, 77, i % 2 == 0 ? "DEFAULT" : "WIDGET:abc", i)));
        }
        vectors.put("doc_43_77_0", query);
        batch.add(points.point("doc_43_77_0", query, document(OTHER_USER, 77, "DEFAULT", 0)));
        points.upsert(name, batch);

        List<ScoredPoint> all = points.search(name, query, Filters.documents(USER, null, null), 100, 0f);
        assertThat(Backend.ids(all), contains("doc_42_77_0", "doc_42_77_1", "doc_42_77_2", "doc_42_77_3", "doc_42_77_4",
                "doc_42_77_5"));
        assertScores(all, query, vectors);
        assertThat(Backend.ids(points.search(name, query, Filters.documents(USER, null, "WIDGET:abc"), 100, 0f)),
                contains("doc_42_77_1", "doc_42_77_3", "doc_42_77_5"));
        assertThat(Backend.ids(points.search(name, query, Filters.documents(USER, null, "DEFAULT"), 2, 0f)),
                contains("doc_42_77_0", "doc_42_77_2"));
        assertThat(Backend.ids(points.search(name, query, Filters.documents(USER, 77L, "widget:abc"), 100, 0f)),
                is(empty()));
        assertThat(Backend.ids(points.search(name, query, Filters.documents(OTHER_USER, null, null), 100, 0f)),
                contains("doc_43_77_0"));
    }

    @Test
    default void scrollPagesCoverEveryMatchingPointExactlyOnce() {
        String name = backend().documentsCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        Set<String> expected = new HashSet<>();
        List<PointStruct> batch = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String id = "doc_42_5_" + i;
            expected.add(id);
            batch.add(points.point(id, spread(i), document(USER, 5, "DEFAULT", i)));
        }
        for (int i = 0; i < 7; i++) {
            batch.add(points.point("doc_43_5_" + i, spread(i), document(OTHER_USER, 5, "DEFAULT", i)));
        }
        points.upsert(name, batch);

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        List<Long> numericIds = new ArrayList<>();
        PointId offset = null;
        for (int guard = 0; guard < 20; guard++) {
            ScrollResponse page = points.scroll(name, Filters.documents(USER, null, null), 5, offset, enable(true));
            pageSizes.add(page.getResultCount());
            for (RetrievedPoint p : page.getResultList()) {
                seen.add(p.getPayloadMap().get(PointIds.FIELD).getStringValue());
                numericIds.add(p.getId().getNum());
                assertThat(p.getPayloadMap().get("user_id"), is(value(USER)));
            }
            if (!page.hasNextPageOffset()) {
                break;
            }
            offset = page.getNextPageOffset();
        }

        assertThat(pageSizes, contains(5, 5, 5, 5, 3));
        assertThat(seen.size(), is(23));
        assertThat(new HashSet<>(seen), is(expected));
        // Qdrant scrolls in ascending (unsigned) id order.
        List<Long> sorted = new ArrayList<>(numericIds);
        sorted.sort(Long::compareUnsigned);
        assertThat(numericIds, is(sorted));
    }

    @Test
    default void scrollWithoutPayloadAndExactPages() {
        String name = backend().memoriesCollection();
        QdrantPoints points = backend().points(PointIdScheme.UUID5);
        List<PointStruct> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(points.point("mem_42_" + i, spread(i), memory(USER, "prefs", true)));
        }
        points.upsert(name, batch);

        ScrollResponse first = points.scroll(name, Filters.activeMemories(USER, null), 3, null, enable(false));
        assertThat(first.getResultCount(), is(3));
        assertThat(first.getResult(0).getPayloadMap().isEmpty(), is(true));
        assertThat(first.hasNextPageOffset(), is(true));
        ScrollResponse second = points.scroll(name, Filters.activeMemories(USER, null), 3,
                first.getNextPageOffset(), enable(false));
        assertThat(second.getResultCount(), is(3));
        assertThat(second.hasNextPageOffset(), is(false));
        Set<PointId> ids = new HashSet<>();
        first.getResultList().forEach(p -> ids.add(p.getId()));
        second.getResultList().forEach(p -> ids.add(p.getId()));
        assertThat(ids.size(), is(6));
        ScrollResponse none = points.scroll(name, Filters.activeMemories(OTHER_USER, null), 3, null, enable(true));
        assertThat(none.getResultCount(), is(0));
        assertThat(none.hasNextPageOffset(), is(false));
    }
}
