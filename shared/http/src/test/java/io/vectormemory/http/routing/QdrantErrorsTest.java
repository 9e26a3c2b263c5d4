package io.vectormemory.http.routing;

import io.vectormemory.http.ApiException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The HTTP answers for the Qdrant module's failures (the contract suites check them over real HTTP). */
class QdrantErrorsTest {
    @Test
    void unavailableIs503WithRetryAfter() {
        ApiException e = QdrantErrors.unavailable();
        assertThat(e.status(), is(503));
        assertThat(e.headers(), is(Map.of("Retry-After", "1")));
        assertThat(e.getMessage(), is("Vector database unavailable, retry later"));
    }

    @Test
    void busyClusterIs503WithALongerRetryAfter() {
        ApiException e = QdrantErrors.busy();
        assertThat(e.status(), is(503));
        assertThat(e.headers(), is(Map.of("Retry-After", "2")));
        assertThat(e.getMessage(), is("Vector database busy, retry later"));
    }

    @Test
    void missingCollectionIs404() {
        ApiException e = QdrantErrors.missing();
        assertThat(e.status(), is(404));
        assertThat(e.getMessage(), is("Collection not found"));
    }

    @Test
    void failedCallIs500WithAFixedMessage() {
        ApiException e = QdrantErrors.failed();
        assertThat(e.status(), is(500));
        assertThat(e.getMessage(), is("Database operation failed"));
        assertThat(e.headers(), is(Map.of()));
    }
}
