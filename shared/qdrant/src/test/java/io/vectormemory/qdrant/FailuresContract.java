package io.vectormemory.qdrant;

import io.qdrant.client.grpc.Common.Filter;
import io.vectormemory.qdrant.calls.CollectionMissingException;
import io.vectormemory.qdrant.calls.QdrantCallFailedException;
import io.vectormemory.qdrant.calls.QdrantCredentialsRefusedException;
import io.vectormemory.qdrant.calls.QdrantUnavailableException;
import io.vectormemory.qdrant.connection.QdrantConnection;
import io.vectormemory.qdrant.settings.PointIdScheme;
import io.vectormemory.qdrant.settings.QdrantSettings;
import io.vectormemory.qdrant.store.CollectionCatalog;
import io.vectormemory.qdrant.store.CollectionKind;
import io.vectormemory.qdrant.store.Filters;
import io.vectormemory.qdrant.store.QdrantPoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static io.vectormemory.qdrant.Samples.USER;
import static io.vectormemory.qdrant.Samples.memory;
import static io.vectormemory.qdrant.Samples.spread;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Backend contract, part: how backend failures reach the module's callers. A missing collection is
 * {@link CollectionMissingException}, a request Qdrant rejects a {@link QdrantCallFailedException}, refused
 * outages a {@link QdrantUnavailableException}, refused credentials the kind of it that says so; none carries Qdrant's words or a key.
 */
interface FailuresContract {
    Backend backend();

    /** Another backend, started for one test, which the test stops. */
    Backend.Disposable startDisposableBackend() throws Exception;

    @Test
    default void unknownCollectionIsCollectionMissing() {
        CollectionCatalog collections = backend().collections();
        String missing = collections.memories("never_created");
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        List<Executable> calls = List.of(
                () -> collections.info(missing),
                () -> points.find(missing, "mem_1", false),
                () -> points.search(missing, spread(1), Filters.activeMemories(USER, null), 5, 0f),
                () -> points.scroll(missing, Filters.activeMemories(USER, null), 5, null, enable(true)),
                () -> points.count(missing, Filter.getDefaultInstance()),
                () -> points.delete(missing, "mem_1"),
                () -> points.setPayload(missing, Map.of("a", value(1)), Filters.memoriesOfUser(USER)),
                () -> points.upsert(missing, List.of(backend().memoryPoint("mem_1", spread(1), true))));
        for (Executable call : calls) {
            CollectionMissingException e = assertThrows(CollectionMissingException.class, call);
            assertThat(e.getMessage(), not(containsString(missing)));
        }
        assertThat(collections.exists(missing), is(false));
    }

    @Test
    default void rejectedRequestFailsWithoutDetails() {
        String name = backend().memoriesCollection();
        QdrantPoints points = backend().points(PointIdScheme.SIPHASH);
        // Wrong vector dimension: Qdrant refuses it as a bad request, which is our bug, not the caller's.
        QdrantCallFailedException e = assertThrows(QdrantCallFailedException.class,
                () -> points.upsert(name, List.of(points.point("m", new float[] {1, 2, 3}, memory(USER, "x", true)))));
        assertThat(e.getMessage(), is("Qdrant call failed"));
        assertThat(points.count(name, Filter.getDefaultInstance()), is(0L));
    }

    @Test
    default void wrongQdrantApiKeyIsUnavailableWithoutTheKey() {
        Backend.Endpoint endpoint = backend().endpoint();
        assumeTrue(endpoint.apiKey() != null, "backend runs without an API key");
        String wrongKey = "wrong-key-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        try (QdrantConnection wrong = QdrantConnection.open(backend().settings(endpoint.withKey(wrongKey)));
             QdrantConnection none = QdrantConnection.open(backend().settings(endpoint.withKey(null)))) {
            for (QdrantConnection c : List.of(wrong, none)) {
                CollectionCatalog collections = new CollectionCatalog(c.client(), backend().settings());
                // Still an unavailability to a request, but told apart (health reports it).
                QdrantUnavailableException e = assertThrows(QdrantCredentialsRefusedException.class,
                        () -> collections.exists(collections.memories()));
                assertThat(e.getMessage(), not(containsString(wrongKey)));
                assertThat(e.getMessage(), not(containsString(endpoint.apiKey())));
                QdrantPoints points = Backend.points(c.client(), PointIdScheme.SIPHASH,
                        backend().settings().writeOrdering());
                assertThrows(QdrantCredentialsRefusedException.class,
                        () -> points.count(collections.memories(), Filter.getDefaultInstance()));
            }
        }
    }

    @Test
    default void stoppedBackendIsUnavailableWithinTheDeadline() throws Exception {
        long timeoutMillis = 2000;
        // Names of this run's own: a disposable backend may lead to the backend under test (bin/qdrant-conformance).
        CollectionCatalog names = backend().collections();
        String gone = names.memories();
        try (Backend.Disposable disposable = startDisposableBackend()) {
            Backend.Endpoint endpoint = disposable.endpoint();
            QdrantSettings settings = backend().settings(endpoint, gone, names.documents(),
                    Map.of("QDRANT_TIMEOUT_MS", String.valueOf(timeoutMillis)));
            try (QdrantConnection c = QdrantConnection.open(settings)) {
                CollectionCatalog collections = new CollectionCatalog(c.client(), settings);
                collections.ensure(gone, CollectionKind.MEMORIES);
                QdrantPoints points = Backend.points(c.client(), PointIdScheme.SIPHASH, settings.writeOrdering());
                assertThat(points.count(gone, Filter.getDefaultInstance()), is(0L));

                disposable.close();

                long start = System.nanoTime();
                QdrantUnavailableException e = assertThrows(QdrantUnavailableException.class,
                        () -> points.count(gone, Filter.getDefaultInstance()));
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(e.getMessage(), is("Qdrant unavailable"));
                assertThat(elapsedMillis, lessThan(timeoutMillis + 2000));
                assertThrows(QdrantUnavailableException.class, () -> collections.exists(names.documents()));
            }
        }
    }
}
