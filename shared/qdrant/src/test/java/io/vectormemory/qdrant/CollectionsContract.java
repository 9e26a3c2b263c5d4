package io.vectormemory.qdrant;

import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.vectormemory.qdrant.calls.CollectionMissingException;
import io.vectormemory.qdrant.calls.QdrantCalls;
import io.vectormemory.qdrant.settings.PointIdScheme;
import io.vectormemory.qdrant.settings.QdrantSettings;
import io.vectormemory.qdrant.store.CollectionCatalog;
import io.vectormemory.qdrant.store.CollectionKind;
import io.vectormemory.qdrant.store.InvalidNamespaceException;
import io.vectormemory.qdrant.store.QdrantPoints;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.vectormemory.qdrant.Samples.DIMENSION;
import static io.vectormemory.qdrant.Samples.spread;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Backend contract, part: collections are created with their vector parameters, layout and payload indexes,
 * race-free, repaired when an index is missing, and namespaced within bounds (name length, number).
 */
interface CollectionsContract {
    Backend backend();

    @Test
    default void ensureCreatesMemoriesCollectionWithItsIndexes() {
        CollectionCatalog collections = backend().collections();
        String name = collections.memories();
        assertThat(collections.exists(name), is(false));

        collections.ensure(name, CollectionKind.MEMORIES);

        CollectionInfo info = collections.info(name);
        VectorParams params = info.getConfig().getParams().getVectorsConfig().getParams();
        assertThat(params.getSize(), is((long) DIMENSION));
        assertThat(params.getDistance(), is(Distance.Cosine));
        assertThat(Backend.schemaTypes(info), is(Map.of(
                "user_id", PayloadSchemaType.Integer,
                "category", PayloadSchemaType.Keyword,
                "active", PayloadSchemaType.Bool,
                "_point_id", PayloadSchemaType.Keyword)));
        assertThat(info.getPointsCount(), is(0L));
        assertThat(collections.exists(name), is(true));
    }

    @Test
    default void ensureCreatesDocumentsCollectionWithItsIndexes() {
        CollectionCatalog collections = backend().collections();
        collections.ensure(collections.documents(), CollectionKind.DOCUMENTS);

        CollectionInfo info = collections.info(collections.documents());
        assertThat(info.getConfig().getParams().getVectorsConfig().getParams().getSize(), is((long) DIMENSION));
        assertThat(Backend.schemaTypes(info), is(Map.of(
                "user_id", PayloadSchemaType.Integer,
                "file_id", PayloadSchemaType.Integer,
                "group_key", PayloadSchemaType.Keyword,
                "_point_id", PayloadSchemaType.Keyword)));
    }

    @Test
    default void ensureTwiceKeepsTheCollectionAndItsPoints() {
        CollectionCatalog first = backend().collections();
        String name = first.memories();
        first.ensure(name, CollectionKind.MEMORIES);
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        points.upsert(name, List.of(backend().memoryPoint("mem_42_1", spread(1), true)));

        first.ensure(name, CollectionKind.MEMORIES);
        // A second process (nothing cached) ensures the same collection: no error, nothing lost.
        CollectionCatalog second = backend().sameNamesAs(first);
        second.ensure(name, CollectionKind.MEMORIES);

        assertThat(points.count(name, Filter.getDefaultInstance()), is(1L));
        assertThat(Backend.schemaTypes(second.info(name)).size(), is(4));
    }

    @Test
    default void concurrentEnsureFromSeveralProcessesIsSafe() throws Exception {
        CollectionCatalog template = backend().collections();
        String name = template.memories();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                // Separate instances, like separate pods: no shared "known" cache hides the race.
                CollectionCatalog own = backend().sameNamesAs(template);
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
        assertThat(Backend.schemaTypes(template.info(name)).keySet(),
                containsInAnyOrder("user_id", "category", "active", "_point_id"));
    }

    @Test
    default void concurrentEnsureOnOneInstanceIsSafe() throws Exception {
        CollectionCatalog shared = backend().collections();
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
        assertThat(Backend.schemaTypes(shared.info(name)).size(), is(4));
    }

    @Test
    default void namespaceCollections() {
        CollectionCatalog collections = backend().collections();
        String base = collections.memories();
        String ns = collections.memories("Feedback-False Positive!");
        assertThat(ns, is(base + "_feedback_falsepositive"));
        assertThat(collections.memories(null), is(base));
        assertThat(collections.memories("ß"), is(base));

        collections.ensure(ns, CollectionKind.MEMORIES);

        assertThat(collections.exists(ns), is(true));
        assertThat(collections.exists(base), is(false));
        assertThat(Backend.schemaTypes(collections.info(ns)).size(), is(4));
        // Points in a namespace stay there.
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        points.upsert(ns, List.of(backend().memoryPoint("mem_42_7", spread(7), true)));
        assertThat(points.find(ns, "mem_42_7", false).isPresent(), is(true));
        collections.ensure(base, CollectionKind.MEMORIES);
        assertThat(points.find(base, "mem_42_7", false).isPresent(), is(false));
    }

    @Test
    default void namespaceTooLongForSnapshotFileNamesIsRefused() {
        CollectionCatalog collections = backend().collections();
        String base = collections.memories();
        // 193 characters: a file name's 255 less the 62 Qdrant's snapshot files add (QdrantSettings), although
        // Qdrant itself accepts collection names of up to 255.
        int longestName = 193;
        String longest = collections.memories("n".repeat(longestName - base.length() - 1));
        assertThat(longest.length(), is(longestName));
        collections.ensure(longest, CollectionKind.MEMORIES);
        assertThat(collections.exists(longest), is(true));

        InvalidNamespaceException e = assertThrows(InvalidNamespaceException.class,
                () -> collections.memories("n".repeat(longestName - base.length())));
        assertThat(e.getMessage(), containsString("Namespace too long"));
    }

    @Test
    default void namespaceLimitRefusesANewNamespaceAndCreatesNothing() {
        CollectionCatalog collections = backend().collections(Map.of("QDRANT_MAX_NAMESPACES", "2"));
        String first = collections.memories("first");
        String second = collections.memories("second");
        String third = collections.memories("third");
        collections.ensure(collections.memories(), CollectionKind.MEMORIES); // the default one does not count
        collections.ensure(first, CollectionKind.MEMORIES);
        collections.ensure(second, CollectionKind.MEMORIES);

        InvalidNamespaceException e = assertThrows(InvalidNamespaceException.class,
                () -> collections.ensure(third, CollectionKind.MEMORIES));
        assertThat(e.getMessage(), containsString("Too many namespaces"));
        assertThat(QdrantCalls.await(backend().client().collectionExistsAsync(third)), is(false));
        // Existing namespaces stay writable, also for a process that has not seen them yet.
        backend().sameNamesAs(collections).ensure(second, CollectionKind.MEMORIES);
        CollectionCatalog none = backend().collections(Map.of("QDRANT_MAX_NAMESPACES", "0"));
        assertThrows(InvalidNamespaceException.class,
                () -> none.ensure(none.memories("any"), CollectionKind.MEMORIES));
    }

    @Test
    default void collectionsGetTheConfiguredLayout() {
        CollectionCatalog collections = backend().collections();
        collections.ensure(collections.memories(), CollectionKind.MEMORIES);
        collections.ensure(collections.documents(), CollectionKind.DOCUMENTS);

        QdrantSettings.ClusterLayout layout = backend().settings().clusterLayout();
        for (String name : List.of(collections.memories(), collections.documents())) {
            CollectionParams params = collections.info(name).getConfig().getParams();
            layout.shardNumber().ifPresent(n -> assertThat(name, params.getShardNumber(), is(n)));
            layout.replicationFactor().ifPresent(n -> assertThat(name, params.getReplicationFactor(), is(n)));
            layout.writeConsistencyFactor().ifPresent(
                    n -> assertThat(name, params.getWriteConsistencyFactor(), is(n)));
        }
    }

    @Test
    default void ensureRepairsMissingIndexes() {
        CollectionCatalog collections = backend().collections();
        String name = collections.memories();
        backend().createBare(name);
        QdrantCalls.await(backend().client().createPayloadIndexAsync(
                name, "user_id", PayloadSchemaType.Integer, null, true, null, null));
        assertThat(Backend.schemaTypes(collections.info(name)).keySet(), contains("user_id"));

        collections.ensure(name, CollectionKind.MEMORIES);

        assertThat(Backend.schemaTypes(collections.info(name)), is(Map.of(
                "user_id", PayloadSchemaType.Integer,
                "category", PayloadSchemaType.Keyword,
                "active", PayloadSchemaType.Bool,
                "_point_id", PayloadSchemaType.Keyword)));
    }

    @Test
    default void bootstrapCreatesDefaultsAndRepairsNamespaceCollections() {
        CollectionCatalog collections = backend().collections();
        String ns = collections.memories("feedback_positive");
        backend().createBare(ns);
        assertThat(Backend.schemaTypes(collections.info(ns)).isEmpty(), is(true));

        collections.bootstrap();

        assertThat(collections.exists(collections.memories()), is(true));
        assertThat(collections.exists(collections.documents()), is(true));
        assertThat(Backend.schemaTypes(collections.info(ns)).keySet(),
                containsInAnyOrder("user_id", "category", "active", "_point_id"));
        assertThat(Backend.schemaTypes(collections.info(collections.documents())).keySet(),
                containsInAnyOrder("user_id", "file_id", "group_key", "_point_id"));
    }

    @Test
    default void collectionDeletedBehindOurBackIsRecreatedAfterForget() {
        CollectionCatalog collections = backend().collections();
        String name = collections.memories();
        collections.ensure(name, CollectionKind.MEMORIES);
        QdrantCalls.await(backend().client().deleteCollectionAsync(name));

        collections.ensure(name, CollectionKind.MEMORIES); // remembered: no round trip, so no repair yet
        assertThrows(CollectionMissingException.class, () -> collections.info(name));
        collections.forget(name);
        assertThat(collections.exists(name), is(false));
        collections.ensure(name, CollectionKind.MEMORIES);

        assertThat(Backend.schemaTypes(collections.info(name)).size(), is(4));
    }

    @Test
    default void existsDoesNotCreate() {
        CollectionCatalog collections = backend().collections();
        String name = collections.memories();
        assertThat(collections.exists(name), is(false));
        assertThat(collections.exists(name), is(false));
        assertThat(QdrantCalls.await(backend().client().collectionExistsAsync(name)), is(false));
    }
}
