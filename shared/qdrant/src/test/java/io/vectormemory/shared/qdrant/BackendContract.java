package io.vectormemory.shared.qdrant;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.vectormemory.shared.config.PointIdScheme;
import io.vectormemory.shared.config.Settings;
import io.vectormemory.shared.http.ApiException;
import io.vectormemory.shared.http.QdrantUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static io.vectormemory.shared.qdrant.Samples.DIMENSION;
import static io.vectormemory.shared.qdrant.Samples.cosine;
import static io.vectormemory.shared.qdrant.Samples.document;
import static io.vectormemory.shared.qdrant.Samples.memory;
import static io.vectormemory.shared.qdrant.Samples.normalised;
import static io.vectormemory.shared.qdrant.Samples.spread;
import static io.vectormemory.shared.qdrant.Samples.vector;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the client module needs from a Qdrant backend, checked with the module's real classes over real gRPC.
 * Runs against the embedded server always and against a real Qdrant wherever Docker exists; both must pass
 * the same assertions, so the embedded backend stays congruent with Qdrant.
 *
 * <p>Every test works in collections of its own (fresh names), so tests are independent and may share one
 * backend and one connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BackendContract {
    /** Where the backend listens; {@code apiKey} null when it needs none. */
    protected record Endpoint(String host, int port, String apiKey) {
        Endpoint withKey(String key) {
            return new Endpoint(host, port, key);
        }
    }

    /** A backend of the test's own, for the outage test. */
    protected interface DisposableBackend extends AutoCloseable {
        Endpoint endpoint();

        @Override
        void close();
    }

    /** The shared backend of the test class, started on first call. */
    protected abstract Endpoint endpoint() throws Exception;

    /** Another backend, started for one test and stopped by it. */
    protected abstract DisposableBackend startDisposableBackend() throws Exception;

    private static final long USER = 42;
    private static final long OTHER_USER = 43;

    private final String prefix = getClass().getSimpleName().toLowerCase().replace("test", "")
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
    private final AtomicInteger sequence = new AtomicInteger();
    private Endpoint endpoint;
    private QdrantConnection connection;
    private QdrantClient client;

    @BeforeAll
    void connect() throws Exception {
        endpoint = endpoint();
        connection = QdrantConnection.open(settings(endpoint, "unused_mem", "unused_doc", Map.of()));
        client = connection.client();
    }

    @AfterAll
    void disconnect() {
        if (connection != null) {
            connection.close();
        }
    }

    // ---- collections -------------------------------------------------------------------------------------

    @Test
    void ensureCreatesMemoriesCollectionWithItsIndexes() {
        Collections collections = collections();
        String name = collections.memories();
        assertThat(collections.exists(name), is(false));

        collections.ensure(name, CollectionKind.MEMORIES);

        CollectionInfo info = collections.info(name);
        VectorParams params = info.getConfig().getParams().getVectorsConfig().getParams();
        assertThat(params.getSize(), is((long) DIMENSION));
        assertThat(params.getDistance(), is(Distance.Cosine));
        assertThat(schemaTypes(info), is(Map.of(
                "user_id", PayloadSchemaType.Integer,
                "category", PayloadSchemaType.Keyword,
                "active", PayloadSchemaType.Bool,
                "_point_id", PayloadSchemaType.Keyword)));
        assertThat(info.getPointsCount(), is(0L));
        assertThat(collections.exists(name), is(true));
    }

    @Test
    void ensureCreatesDocumentsCollectionWithItsIndexes() {
        Collections collections = collections();
        collections.ensure(collections.documents(), CollectionKind.DOCUMENTS);

        CollectionInfo info = collections.info(collections.documents());
        assertThat(info.getConfig().getParams().getVectorsConfig().getParams().getSize(), is((long) DIMENSION));
        assertThat(schemaTypes(info), is(Map.of(
                "user_id", PayloadSchemaType.Integer,
                "file_id", PayloadSchemaType.Integer,
                "group_key", PayloadSchemaType.Keyword,
                "_point_id", PayloadSchemaType.Keyword)));
    }

    @Test
    void ensureTwiceKeepsTheCollectionAndItsPoints() {
        Collections first = collections();
        String name = first.memories();
        first.ensure(name, CollectionKind.MEMORIES);
        points(PointIdScheme.SIPHASH).upsert(name, List.of(memoryPoint("mem_42_1", spread(1), true)));

        first.ensure(name, CollectionKind.MEMORIES);
        // A second process (nothing cached) ensures the same collection: no error, nothing lost.
        Collections second = new Collections(client, settings(first));
        second.ensure(name, CollectionKind.MEMORIES);

        assertThat(points(PointIdScheme.SIPHASH).count(name, Filter.getDefaultInstance()), is(1L));
        assertThat(schemaTypes(second.info(name)).size(), is(4));
    }

    @Test
    void concurrentEnsureFromSeveralProcessesIsSafe() throws Exception {
        Collections template = collections();
        String name = template.memories();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                // Separate instances, like separate pods: no shared "known" cache hides the race.
                Collections own = new Collections(client, settings(template));
                done.add(pool.submit(() -> {
                    try {
                        go.await();
                        own.ensure(name, CollectionKind.MEMORIES);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures.stream().map(Throwable::toString).toList(), is(empty()));
        assertThat(template.exists(name), is(true));
        assertThat(schemaTypes(template.info(name)).keySet(),
                containsInAnyOrder("user_id", "category", "active", "_point_id"));
    }

    @Test
    void concurrentEnsureOnOneInstanceIsSafe() throws Exception {
        Collections shared = collections();
        String name = shared.documents();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                done.add(pool.submit(() -> {
                    go.await();
                    shared.ensure(name, CollectionKind.DOCUMENTS);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS); // rethrows a failed ensure
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(schemaTypes(shared.info(name)).size(), is(4));
    }

    @Test
    void namespaceCollections() {
        Collections collections = collections();
        String base = collections.memories();
        String ns = collections.memories("Feedback-False Positive!");
        assertThat(ns, is(base + "_feedback_falsepositive"));
        assertThat(collections.memories(null), is(base));
        assertThat(collections.memories("ß"), is(base));

        collections.ensure(ns, CollectionKind.MEMORIES);

        assertThat(collections.exists(ns), is(true));
        assertThat(collections.exists(base), is(false));
        assertThat(schemaTypes(collections.info(ns)).size(), is(4));
        // Points in a namespace stay there.
        Points points = points(PointIdScheme.SIPHASH);
        points.upsert(ns, List.of(memoryPoint("mem_42_7", spread(7), true)));
        assertThat(points.find(ns, "mem_42_7", false).isPresent(), is(true));
        collections.ensure(base, CollectionKind.MEMORIES);
        assertThat(points.find(base, "mem_42_7", false).isPresent(), is(false));
    }

    @Test
    void namespaceTooLongForQdrantIs400() {
        Collections collections = collections();
        ApiException e = assertThrows(ApiException.class, () -> collections.memories("n".repeat(255)));
        assertThat(e.status(), is(400));
    }

    @Test
    void ensureRepairsMissingIndexes() {
        Collections collections = collections();
        String name = collections.memories();
        createBare(name);
        await(client.createPayloadIndexAsync(name, "user_id", PayloadSchemaType.Integer, null, true, null, null));
        assertThat(schemaTypes(collections.info(name)).keySet(), contains("user_id"));

        collections.ensure(name, CollectionKind.MEMORIES);

        assertThat(schemaTypes(collections.info(name)), is(Map.of(
                "user_id", PayloadSchemaType.Integer,
                "category", PayloadSchemaType.Keyword,
                "active", PayloadSchemaType.Bool,
                "_point_id", PayloadSchemaType.Keyword)));
    }

    @Test
    void bootstrapCreatesDefaultsAndRepairsNamespaceCollections() {
        Collections collections = collections();
        String ns = collections.memories("feedback_positive");
        createBare(ns);
        assertThat(schemaTypes(collections.info(ns)).isEmpty(), is(true));

        collections.bootstrap();

        assertThat(collections.exists(collections.memories()), is(true));
        assertThat(collections.exists(collections.documents()), is(true));
        assertThat(schemaTypes(collections.info(ns)).keySet(),
                containsInAnyOrder("user_id", "category", "active", "_point_id"));
        assertThat(schemaTypes(collections.info(collections.documents())).keySet(),
                containsInAnyOrder("user_id", "file_id", "group_key", "_point_id"));
    }

    @Test
    void collectionDeletedBehindOurBackIsRecreatedAfterForget() {
        Collections collections = collections();
        String name = collections.memories();
        collections.ensure(name, CollectionKind.MEMORIES);
        await(client.deleteCollectionAsync(name));

        collections.ensure(name, CollectionKind.MEMORIES); // remembered: no round trip, so no repair yet
        assertThrows(CollectionMissingException.class, () -> collections.info(name));
        collections.forget(name);
        assertThat(collections.exists(name), is(false));
        collections.ensure(name, CollectionKind.MEMORIES);

        assertThat(schemaTypes(collections.info(name)).size(), is(4));
    }

    @Test
    void existsDoesNotCreate() {
        Collections collections = collections();
        String name = collections.memories();
        assertThat(collections.exists(name), is(false));
        assertThat(collections.exists(name), is(false));
        assertThat(await(client.collectionExistsAsync(name)), is(false));
    }

    // ---- points: ids ---------------------------------------------------------------------------------------

    @Test
    void upsertAndFindUnderSiphash() {
        String name = memoriesCollection();
        Points points = points(PointIdScheme.SIPHASH);
        float[] v = vector(3, 4, 0, 0, 0, 0, 0, 12);
        points.upsert(name, List.of(points.point("mem_42_1001", v, memory(USER, "preferences", true))));

        RetrievedPoint p = points.find(name, "mem_42_1001", true).orElseThrow();

        assertThat(p.getId(), is(PointId.newBuilder().setNum(Long.parseUnsignedLong("7870116223244595666")).build()));
        Map<String, Value> expected = new HashMap<>(memory(USER, "preferences", true));
        expected.put("_point_id", value("mem_42_1001"));
        assertThat(p.getPayloadMap(), is(expected));
        // Cosine collections store the normalised vector (3,4,12)/13.
        assertVector(Points.vector(p.getVectors()).orElseThrow(), normalised(v));
        RetrievedPoint withoutVector = points.find(name, "mem_42_1001", false).orElseThrow();
        assertThat(Points.vector(withoutVector.getVectors()), is(Optional.empty()));
    }

    @Test
    void upsertAndFindUnderUuid5() {
        String name = documentsCollection();
        Points points = points(PointIdScheme.UUID5);
        points.upsert(name, List.of(points.point("doc_42_77_0", spread(0), document(USER, 77, "DEFAULT", 0))));

        RetrievedPoint p = points.find(name, "doc_42_77_0", false).orElseThrow();

        // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, 'doc_42_77_0'))"
        assertThat(p.getId(), is(PointId.newBuilder().setUuid("8372ea4b-01d5-5862-b19e-d2ca5663d31d").build()));
        assertThat(p.getPayloadMap().get("_point_id"), is(value("doc_42_77_0")));
        assertThat(p.getPayloadMap().get("file_id"), is(value(77)));
    }

    @Test
    void findsPointsWrittenUnderTheOtherScheme() {
        String name = memoriesCollection();
        Points sip = points(PointIdScheme.SIPHASH);
        Points uuid = points(PointIdScheme.UUID5);
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
    void findIgnoresAHashCollisionAndFindsLegacyPointsWithoutStringId() {
        String name = memoriesCollection();
        Points points = points(PointIdScheme.SIPHASH);
        PointId derivedA = points.ids().toQdrant("mem_a");
        PointId derivedB = points.ids().toQdrant("mem_b");
        // At mem_a's derived id sits a point that belongs to another string (a collision).
        points.upsert(name, List.of(
                rawPoint(derivedA, Map.of("_point_id", value("mem_other"), "user_id", value(USER))),
                // At mem_b's derived id sits a point written without _point_id (an older writer).
                rawPoint(derivedB, Map.of("user_id", value(USER)))));

        assertThat(points.find(name, "mem_a", false), is(Optional.empty()));
        assertThat(points.find(name, "mem_b", false).orElseThrow().getId(), is(derivedB));
        assertThat(points.find(name, "mem_other", false).orElseThrow().getId(), is(derivedA));
    }

    @Test
    void findUnknownIdIsEmpty() {
        String name = memoriesCollection();
        assertThat(points(PointIdScheme.SIPHASH).find(name, "mem_42_404", true), is(Optional.empty()));
        assertThat(points(PointIdScheme.UUID5).find(name, "", false), is(Optional.empty()));
    }

    @Test
    void upsertReplacesThePayload() {
        String name = memoriesCollection();
        Points points = points(PointIdScheme.SIPHASH);
        points.upsert(name, List.of(memoryPoint("mem_42_1", spread(1), true)));
        Map<String, Value> changed = memory(USER, "changed", false);
        points.upsert(name, List.of(points.point("mem_42_1", spread(2), changed)));

        RetrievedPoint p = points.find(name, "mem_42_1", true).orElseThrow();
        assertThat(p.getPayloadMap().get("category"), is(value("changed")));
        assertThat(p.getPayloadMap().get("active"), is(value(false)));
        assertVector(Points.vector(p.getVectors()).orElseThrow(), normalised(spread(2)));
        assertThat(points.count(name, Filter.getDefaultInstance()), is(1L));
    }

    @Test
    void extraPayloadFieldsAndTypesRoundTrip() {
        String name = documentsCollection();
        Points points = points(PointIdScheme.SIPHASH);
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

    // ---- points: delete, count, set payload ----------------------------------------------------------------

    @Test
    void deleteById() {
        String name = memoriesCollection();
        Points points = points(PointIdScheme.SIPHASH);
        points.upsert(name, List.of(memoryPoint("mem_42_1", spread(1), true), memoryPoint("mem_42_2", spread(2), true)));

        points.delete(name, "mem_42_1");
        points.delete(name, "mem_42_never_written");

        assertThat(points.find(name, "mem_42_1", false), is(Optional.empty()));
        assertThat(points.find(name, "mem_42_2", false).isPresent(), is(true));
        assertThat(points.count(name, Filter.getDefaultInstance()), is(1L));
    }

    @Test
    void deleteCountedReturnsRealCounts() {
        String name = documentsCollection();
        Points points = points(PointIdScheme.SIPHASH);
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
    void countHonoursFilters() {
        String name = memoriesCollection();
        Points points = points(PointIdScheme.SIPHASH);
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
    void setPayloadByFilterMergesIntoMatchingPointsOnly() {
        String name = documentsCollection();
        Points points = points(PointIdScheme.SIPHASH);
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

    // ---- points: search and scroll -------------------------------------------------------------------------

    @Test
    void memorySearchHonoursUserActiveCategoryThresholdAndLimit() {
        String name = memoriesCollection();
        Points points = points(PointIdScheme.SIPHASH);
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
        assertThat(ids(prefs), contains("hit_best", "hit_good", "hit_weak"));
        assertScores(prefs, query, vectors);

        assertThat(ids(points.search(name, query, Filters.activeMemories(USER, "prefs"), 10, 0.8f)),
                contains("hit_best", "hit_good"));
        assertThat(ids(points.search(name, query, Filters.activeMemories(USER, "prefs"), 1, 0.3f)),
                contains("hit_best"));
        assertThat(ids(points.search(name, query, Filters.activeMemories(USER, "prefs"), 10, 0.999f)), is(empty()));

        List<ScoredPoint> all = points.search(name, query, Filters.activeMemories(USER, "prefs"), 10, -1f);
        assertThat(ids(all), contains("hit_best", "hit_good", "hit_weak", "orthogonal", "opposite"));
        assertScores(all, query, vectors);

        assertThat(ids(points.search(name, query, Filters.activeMemories(USER, null), 4, 0.3f)),
                contains("hit_best", "other_category", "upper_category", "empty_category"));
        assertThat(ids(points.search(name, query, Filters.activeMemories(USER, ""), 10, 0f)),
                contains("empty_category"));
        assertThat(ids(points.search(name, query, Filters.activeMemories(OTHER_USER, null), 10, 0f)),
                contains("other_user"));
        assertThat(ids(points.search(name, query, Filters.activeMemories(777, null), 10, -1f)), is(empty()));
    }

    @Test
    void searchResultsCarryPayloadAndStringId() {
        String name = memoriesCollection();
        Points points = points(PointIdScheme.UUID5);
        points.upsert(name, List.of(points.point("mem_42_1001", spread(3), memory(USER, "prefs", true))));

        ScoredPoint hit = points.search(name, spread(3), Filters.activeMemories(USER, null), 5, 0.5f).get(0);

        assertThat(hit.getId(), is(points.ids().toQdrant("mem_42_1001")));
        assertThat(hit.getPayloadMap().get(PointIds.FIELD), is(value("mem_42_1001")));
        assertThat(hit.getPayloadMap().get("value"), is(value("Spicy ramen")));
        assertThat((double) hit.getScore(), closeTo(1.0, 1e-5));
    }

    @Test
    void documentSearchHonoursUserAndGroup() {
        String name = documentsCollection();
        Points points = points(PointIdScheme.SIPHASH);
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
        assertThat(ids(all), contains("doc_42_77_0", "doc_42_77_1", "doc_42_77_2", "doc_42_77_3", "doc_42_77_4",
                "doc_42_77_5"));
        assertScores(all, query, vectors);
        assertThat(ids(points.search(name, query, Filters.documents(USER, null, "WIDGET:abc"), 100, 0f)),
                contains("doc_42_77_1", "doc_42_77_3", "doc_42_77_5"));
        assertThat(ids(points.search(name, query, Filters.documents(USER, null, "DEFAULT"), 2, 0f)),
                contains("doc_42_77_0", "doc_42_77_2"));
        assertThat(ids(points.search(name, query, Filters.documents(USER, 77L, "widget:abc"), 100, 0f)),
                is(empty()));
        assertThat(ids(points.search(name, query, Filters.documents(OTHER_USER, null, null), 100, 0f)),
                contains("doc_43_77_0"));
    }

    @Test
    void scrollPagesCoverEveryMatchingPointExactlyOnce() {
        String name = documentsCollection();
        Points points = points(PointIdScheme.SIPHASH);
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
            // The API hands the offset to clients as an opaque cursor and gets it back.
            offset = ScrollCursor.decode(ScrollCursor.encode(page.getNextPageOffset()));
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
    void scrollWithoutPayloadAndExactPages() {
        String name = memoriesCollection();
        Points points = points(PointIdScheme.UUID5);
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

    // ---- failures ------------------------------------------------------------------------------------------

    @Test
    void unknownCollectionIsCollectionMissing() {
        Collections collections = collections();
        String missing = collections.memories("never_created");
        Points points = points(PointIdScheme.SIPHASH);
        List<Executable> calls = List.of(
                () -> collections.info(missing),
                () -> points.find(missing, "mem_1", false),
                () -> points.search(missing, spread(1), Filters.activeMemories(USER, null), 5, 0f),
                () -> points.scroll(missing, Filters.activeMemories(USER, null), 5, null, enable(true)),
                () -> points.count(missing, Filter.getDefaultInstance()),
                () -> points.delete(missing, "mem_1"),
                () -> points.setPayload(missing, Map.of("a", value(1)), Filters.memoriesOfUser(USER)),
                () -> points.upsert(missing, List.of(memoryPoint("mem_1", spread(1), true))));
        for (Executable call : calls) {
            ApiException e = assertThrows(ApiException.class, call);
            assertThat(e, instanceOf(CollectionMissingException.class));
            assertThat(e.status(), is(404));
            assertThat(e.getMessage(), not(containsString(missing)));
        }
        assertThat(collections.exists(missing), is(false));
    }

    @Test
    void rejectedRequestIs500WithoutDetails() {
        String name = memoriesCollection();
        Points points = points(PointIdScheme.SIPHASH);
        // Wrong vector dimension: Qdrant refuses it as a bad request, which is our bug, not the caller's.
        ApiException e = assertThrows(ApiException.class,
                () -> points.upsert(name, List.of(points.point("m", new float[] {1, 2, 3}, memory(USER, "x", true)))));
        assertThat(e.status(), is(500));
        assertThat(e.getMessage(), is("Database operation failed"));
        assertThat(points.count(name, Filter.getDefaultInstance()), is(0L));
    }

    @Test
    void wrongQdrantApiKeyIs503WithoutTheKey() {
        assumeTrue(endpoint.apiKey() != null, "backend runs without an API key");
        String wrongKey = "wrong-key-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        try (QdrantConnection wrong = QdrantConnection.open(settings(endpoint.withKey(wrongKey)));
             QdrantConnection none = QdrantConnection.open(settings(endpoint.withKey(null)))) {
            for (QdrantConnection c : List.of(wrong, none)) {
                Collections collections = new Collections(c.client(), settings(endpoint));
                QdrantUnavailableException e = assertThrows(QdrantUnavailableException.class,
                        () -> collections.exists(collections.memories()));
                assertThat(e.status(), is(503));
                assertThat(e.headers().get("Retry-After"), is("1"));
                assertThat(e.getMessage(), not(containsString(wrongKey)));
                assertThat(e.getMessage(), not(containsString(endpoint.apiKey())));
                assertThrows(QdrantUnavailableException.class, () -> new Points(c.client(),
                        new PointIds(PointIdScheme.SIPHASH)).count(collections.memories(), Filter.getDefaultInstance()));
            }
        }
    }

    @Test
    void stoppedBackendIs503WithinTheDeadline() throws Exception {
        long timeoutMillis = 2000;
        DisposableBackend backend = startDisposableBackend();
        try (QdrantConnection c = QdrantConnection.open(settings(backend.endpoint(), "gone_mem", "gone_doc",
                Map.of("QDRANT_TIMEOUT_MS", String.valueOf(timeoutMillis))))) {
            Collections collections = new Collections(c.client(), settings(backend.endpoint()));
            collections.ensure("gone_mem", CollectionKind.MEMORIES);
            backend.close();

            long start = System.nanoTime();
            QdrantUnavailableException e = assertThrows(QdrantUnavailableException.class,
                    () -> new Points(c.client(), new PointIds(PointIdScheme.SIPHASH))
                            .count("gone_mem", Filter.getDefaultInstance()));
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(e.status(), is(503));
            assertThat(elapsedMillis, lessThan(timeoutMillis + 1000));
            assertThrows(QdrantUnavailableException.class, () -> collections.exists("other"));
        } finally {
            backend.close();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private String fresh() {
        return prefix + "_" + sequence.incrementAndGet();
    }

    /** Collections over the shared connection, with memories/documents collection names of this test's own. */
    private Collections collections() {
        String base = fresh();
        return new Collections(client, settings(endpoint, base + "_mem", base + "_doc", Map.of()));
    }

    private String memoriesCollection() {
        Collections c = collections();
        c.ensure(c.memories(), CollectionKind.MEMORIES);
        return c.memories();
    }

    private String documentsCollection() {
        Collections c = collections();
        c.ensure(c.documents(), CollectionKind.DOCUMENTS);
        return c.documents();
    }

    private Points points(PointIdScheme scheme) {
        return new Points(client, new PointIds(scheme));
    }

    private PointStruct memoryPoint(String id, float[] v, boolean active) {
        return points(PointIdScheme.SIPHASH).point(id, v, memory(USER, "prefs", active));
    }

    private static PointStruct rawPoint(PointId id, Map<String, Value> payload) {
        return PointStruct.newBuilder()
                .setId(id)
                .setVectors(io.qdrant.client.VectorsFactory.vectors(spread(0)))
                .putAllPayload(payload)
                .build();
    }

    /** A collection without indexes, as created by someone else (e.g. the Rust service or an operator). */
    private void createBare(String name) {
        await(client.createCollectionAsync(name, VectorParams.newBuilder()
                .setSize(DIMENSION).setDistance(Distance.Cosine).build()));
    }

    private static <T> T await(Future<T> f) {
        return QdrantCalls.await(f);
    }

    private static Map<String, PayloadSchemaType> schemaTypes(CollectionInfo info) {
        return info.getPayloadSchemaMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> dataType(e.getValue())));
    }

    private static PayloadSchemaType dataType(PayloadSchemaInfo info) {
        return info.getDataType();
    }

    private static List<String> ids(List<ScoredPoint> hits) {
        return hits.stream().map(p -> p.getPayloadMap().get(PointIds.FIELD).getStringValue()).toList();
    }

    private static void assertScores(List<ScoredPoint> hits, float[] query, Map<String, float[]> vectors) {
        for (ScoredPoint hit : hits) {
            String id = hit.getPayloadMap().get(PointIds.FIELD).getStringValue();
            assertThat("score of " + id, (double) hit.getScore(), closeTo(cosine(query, vectors.get(id)), 1e-5));
        }
    }

    private static void assertVector(float[] actual, float[] expected) {
        assertThat(actual.length, is(expected.length));
        for (int i = 0; i < expected.length; i++) {
            assertThat("component " + i, (double) actual[i], closeTo(expected[i], 1e-6));
        }
    }

    private Settings settings(Collections c) {
        return settings(endpoint, c.memories(), c.documents(), Map.of());
    }

    private Settings settings(Endpoint e) {
        return settings(e, "unused_mem", "unused_doc", Map.of());
    }

    private static Settings settings(Endpoint e, String memories, String documents, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("QDRANT_URL", "http://" + e.host() + ":" + e.port());
        if (e.apiKey() != null) {
            env.put("QDRANT_API_KEY", e.apiKey());
        }
        env.put("AUTH_DISABLED", "true");
        env.put("QDRANT_VECTOR_DIMENSION", String.valueOf(DIMENSION));
        env.put("QDRANT_COLLECTION_NAME", memories);
        env.put("QDRANT_DOCUMENTS_COLLECTION_NAME", documents);
        env.putAll(extra);
        return Settings.from(env);
    }
}
