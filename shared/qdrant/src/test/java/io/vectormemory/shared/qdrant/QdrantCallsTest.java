package io.vectormemory.shared.qdrant;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vectormemory.shared.http.ApiException;
import io.vectormemory.shared.http.QdrantUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The gRPC status → API error table, without a server (the contract suite checks it over the wire). */
class QdrantCallsTest {
    private static final String DETAIL = "secret-internal-detail host=10.1.2.3 key=abc";

    private static RuntimeException translate(Status.Code code) {
        return QdrantCalls.translate(new StatusRuntimeException(Status.fromCode(code).withDescription(DETAIL)));
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"UNAVAILABLE", "DEADLINE_EXCEEDED", "CANCELLED",
            "RESOURCE_EXHAUSTED", "ABORTED", "UNAUTHENTICATED", "PERMISSION_DENIED"})
    void outagesAndRefusedCredentialsAre503(Status.Code code) {
        RuntimeException e = translate(code);
        assertThat(e, instanceOf(QdrantUnavailableException.class));
        ApiException api = (ApiException) e;
        assertThat(api.status(), is(503));
        assertThat(api.headers(), is(Map.of("Retry-After", "1")));
        assertThat(api.getMessage(), not(containsString("secret")));
    }

    @Test
    void notFoundIsCollectionMissing() {
        RuntimeException e = translate(Status.Code.NOT_FOUND);
        assertThat(e, instanceOf(CollectionMissingException.class));
        assertThat(((ApiException) e).status(), is(404));
        assertThat(e.getMessage(), not(containsString("secret")));
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"INVALID_ARGUMENT", "INTERNAL", "UNKNOWN", "ALREADY_EXISTS",
            "FAILED_PRECONDITION", "UNIMPLEMENTED", "OUT_OF_RANGE", "DATA_LOSS"})
    void otherFailuresAre500WithoutDetails(Status.Code code) {
        RuntimeException e = translate(code);
        assertThat(e.getClass() == ApiException.class, is(true));
        assertThat(((ApiException) e).status(), is(500));
        assertThat(e.getMessage(), is("Database operation failed"));
    }

    @Test
    void nonGrpcFailureIs503() {
        assertThat(QdrantCalls.translate(new IOException(DETAIL)), instanceOf(QdrantUnavailableException.class));
    }

    @Test
    void awaitUnwrapsAndCountsTime() {
        QdrantCalls.resetTime();
        assertThat(QdrantCalls.await(CompletableFuture.completedFuture("ok")), is("ok"));
        CompletableFuture<String> failed = CompletableFuture.failedFuture(
                new StatusRuntimeException(Status.NOT_FOUND.withDescription(DETAIL)));
        assertThrows(CollectionMissingException.class, () -> QdrantCalls.await(failed));
        QdrantCalls.addTime(5_000_000_000L);
        assertThat(QdrantCalls.timeNanos() >= 5_000_000_000L, is(true));
        QdrantCalls.resetTime();
        assertThat(QdrantCalls.timeNanos(), is(0L));
    }
}
