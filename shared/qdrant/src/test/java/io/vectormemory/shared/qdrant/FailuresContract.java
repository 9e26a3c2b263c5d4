package io.vectormemory.shared.qdrant;

import io.qdrant.client.grpc.Common.Filter;
import io.vectormemory.shared.config.PointIdScheme;
import io.vectormemory.shared.config.Settings;
import io.vectormemory.shared.http.ApiException;
import io.vectormemory.shared.http.QdrantUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static io.vectormemory.shared.qdrant.Samples.USER;
import static io.vectormemory.shared.qdrant.Samples.memory;
import static io.vectormemory.shared.qdrant.Samples.spread;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Backend contract, part: how backend failures reach the API. A missing collection is a 404, a request Qdrant
 * rejects is a 500 without details, refused credentials and outages are 503s that never show a key.
 */
interface FailuresContract {
    Backend backend();

    /** Another backend, started for one test, which the test stops. */
    Backend.Disposable startDisposableBackend() throws Exception;

    @Test
    default void unknownCollectionIsCollectionMissing() {
        Collections collections = backend().collections();
        String missing = collections.memories("never_created");
        Points points = backend().points(PointIdScheme.SIPHASH);
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
            ApiException e = assertThrows(ApiException.class, call);
            assertThat(e, instanceOf(CollectionMissingException.class));
            assertThat(e.status(), is(404));
            assertThat(e.getMessage(), not(containsString(missing)));
        }
        assertThat(collections.exists(missing), is(false));
    }

    @Test
    default void rejectedRequestIs500WithoutDetails() {
        String name = backend().memoriesCollection();
        Points points = backend().points(PointIdScheme.SIPHASH);
        // Wrong vector dimension: Qdrant refuses it as a bad request, which is our bug, not the caller's.
        ApiException e = assertThrows(ApiException.class,
                () -> points.upsert(name, List.of(points.point("m", new float[] {1, 2, 3}, memory(USER, "x", true)))));
        assertThat(e.status(), is(500));
        assertThat(e.getMessage(), is("Database operation failed"));
        assertThat(points.count(name, Filter.getDefaultInstance()), is(0L));
    }

    @Test
    default void wrongQdrantApiKeyIs503WithoutTheKey() {
        Backend.Endpoint endpoint = backend().endpoint();
        assumeTrue(endpoint.apiKey() != null, "backend runs without an API key");
        String wrongKey = "wrong-key-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        try (QdrantConnection wrong = QdrantConnection.open(Backend.settings(endpoint.withKey(wrongKey)));
             QdrantConnection none = QdrantConnection.open(Backend.settings(endpoint.withKey(null)))) {
            for (QdrantConnection c : List.of(wrong, none)) {
                Collections collections = new Collections(c.client(), Backend.settings(endpoint));
                QdrantUnavailableException e = assertThrows(QdrantUnavailableException.class,
                        () -> collections.exists(collections.memories()));
                assertThat(e.status(), is(503));
                assertThat(e.headers().get("Retry-After"), is("1"));
                assertThat(e.getMessage(), not(containsString(wrongKey)));
                assertThat(e.getMessage(), not(containsString(endpoint.apiKey())));
                Points points = new Points(c.client(), new PointIds(PointIdScheme.SIPHASH));
                assertThrows(QdrantUnavailableException.class,
                        () -> points.count(collections.memories(), Filter.getDefaultInstance()));
            }
        }
    }

    @Test
    default void stoppedBackendIs503WithinTheDeadline() throws Exception {
        long timeoutMillis = 2000;
        try (Backend.Disposable disposable = startDisposableBackend()) {
            Backend.Endpoint endpoint = disposable.endpoint();
            Settings settings = Backend.settings(endpoint, "gone_mem", "gone_doc",
                    Map.of("QDRANT_TIMEOUT_MS", String.valueOf(timeoutMillis)));
            try (QdrantConnection c = QdrantConnection.open(settings)) {
                Collections collections = new Collections(c.client(), settings);
                collections.ensure("gone_mem", CollectionKind.MEMORIES);
                Points points = new Points(c.client(), new PointIds(PointIdScheme.SIPHASH));
                assertThat(points.count("gone_mem", Filter.getDefaultInstance()), is(0L));

                disposable.close();

                long start = System.nanoTime();
                QdrantUnavailableException e = assertThrows(QdrantUnavailableException.class,
                        () -> points.count("gone_mem", Filter.getDefaultInstance()));
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(e.status(), is(503));
                assertThat(elapsedMillis, lessThan(timeoutMillis + 2000));
                assertThrows(QdrantUnavailableException.class, () -> collections.exists("other"));
            }
        }
    }
}
