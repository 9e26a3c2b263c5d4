package io.vectormemory.qdrant;

import io.qdrant.client.grpc.Common.Filter;
import io.vectormemory.qdrant.calls.QdrantCalls;
import io.vectormemory.qdrant.connection.QdrantConnection;
import io.vectormemory.qdrant.settings.QdrantSettings;
import io.vectormemory.qdrant.store.CollectionCatalog;
import io.vectormemory.qdrant.store.CollectionKind;
import io.vectormemory.qdrant.store.CollectionSizes;
import io.vectormemory.qdrant.store.QdrantHealth;
import io.vectormemory.qdrant.store.QdrantHealth.State;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Backend contract, part: the health probe says whether a process can serve, and if not why. Qdrant answers its
 * health check without a key, so a wrong key must be found by the calls that need one.
 */
interface HealthContract {
    Duration DEADLINE = Duration.ofSeconds(2);

    Backend backend();

    Backend.Disposable startDisposableBackend() throws Exception;

    private static QdrantHealth health(QdrantConnection connection, QdrantSettings settings) {
        CollectionCatalog catalog = new CollectionCatalog(connection.client(), settings);
        CollectionSizes sizes = new CollectionSizes(connection.client(), DEADLINE,
                List.of(catalog.memories(), catalog.documents()));
        return new QdrantHealth(connection, catalog, sizes, DEADLINE);
    }

    private QdrantSettings settingsOf(CollectionCatalog names, Backend.Endpoint endpoint) {
        return backend().settings(endpoint, names.memories(), names.documents(), Map.of());
    }

    @Test
    default void servingCreatesMissingDefaultCollections() {
        CollectionCatalog names = backend().collections();
        QdrantHealth.Report report = health(backend().connection(), settingsOf(names, backend().endpoint())).check();
        assertThat(report.state(), is(State.SERVING));
        assertThat(report.memories().orElseThrow().getPointsCount(), is(0L));
        CollectionCatalog fresh = backend().sameNamesAs(names);
        assertThat(fresh.exists(names.memories()), is(true));
        assertThat(fresh.exists(names.documents()), is(true));
    }

    @Test
    default void aCollectionDeletedBehindOurBackIsCreatedAgain() {
        CollectionCatalog names = backend().collections();
        QdrantHealth health = health(backend().connection(), settingsOf(names, backend().endpoint()));
        assertThat(health.check().state(), is(State.SERVING));
        QdrantCalls.await(backend().client().deleteCollectionAsync(names.documents()));
        assertThat(health.check().state(), is(State.SERVING));
        assertThat(backend().sameNamesAs(names).exists(names.documents()), is(true));
    }

    @Test
    default void wrongOrMissingKeyIsCredentialsRefusedThoughQdrantAnswersItsHealthCheck() {
        Backend.Endpoint endpoint = backend().endpoint();
        assumeTrue(endpoint.apiKey() != null, "backend runs without an API key");
        CollectionCatalog names = backend().collections();
        QdrantSettings right = settingsOf(names, endpoint);
        assertThat(health(backend().connection(), right).check().state(), is(State.SERVING));
        String wrongKey = "wrong-key-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        for (Backend.Endpoint e : List.of(endpoint.withKey(wrongKey), endpoint.withKey(null))) {
            try (QdrantConnection c = QdrantConnection.open(settingsOf(names, e))) {
                // The unauthenticated health check succeeds: that alone used to report "connected".
                QdrantCalls.await(c.client().healthCheckAsync());
                QdrantHealth.Report report = health(c, settingsOf(names, e)).check();
                assertThat(report.state(), is(State.CREDENTIALS_REFUSED));
                assertThat(report.memories().isPresent(), is(false));
            }
        }
        // Nothing was created or changed by the refused process.
        assertThat(backend().points(io.vectormemory.qdrant.settings.PointIdScheme.SIPHASH)
                .count(names.memories(), Filter.getDefaultInstance()), is(0L));
    }

    @Test
    default void stoppedBackendIsUnreachableWithinTheDeadline() throws Exception {
        try (Backend.Disposable disposable = startDisposableBackend()) {
            Backend.Endpoint endpoint = disposable.endpoint();
            // Names of this run (deleted at its end): the disposable backend may be a relay to the shared one.
            CollectionCatalog names = backend().collections();
            QdrantSettings settings = settingsOf(names, endpoint);
            try (QdrantConnection c = QdrantConnection.open(settings)) {
                QdrantHealth health = health(c, settings);
                assertThat(health.check().state(), is(State.SERVING));
                new CollectionCatalog(c.client(), settings).ensure(names.memories(), CollectionKind.MEMORIES);

                disposable.close();

                long start = System.nanoTime();
                assertThat(health.check().state(), is(State.UNREACHABLE));
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                        lessThan(DEADLINE.toMillis() + 1000));
            }
        }
    }
}
