package io.vectormemory.qdrant.calls;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The gRPC status → module exception table, without a server (the contract suite checks it over the wire). */
class QdrantCallsTest {
    private static final String DETAIL = "secret-internal-detail host=10.1.2.3 key=abc";

    private static RuntimeException translate(Status.Code code) {
        return QdrantCalls.translate(new StatusRuntimeException(Status.fromCode(code).withDescription(DETAIL)));
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"UNAVAILABLE", "DEADLINE_EXCEEDED", "CANCELLED",
            "RESOURCE_EXHAUSTED", "ABORTED", "UNAUTHENTICATED", "PERMISSION_DENIED"})
    void outagesAndRefusedCredentialsAreUnavailable(Status.Code code) {
        RuntimeException e = translate(code);
        assertThat(e, instanceOf(QdrantUnavailableException.class));
        assertThat(e.getMessage(), not(containsString("secret")));
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"UNAUTHENTICATED", "PERMISSION_DENIED"})
    void refusedCredentialsAreToldApart(Status.Code code) {
        assertThat(translate(code), instanceOf(QdrantCredentialsRefusedException.class));
        assertThat(QdrantCalls.failure(new StatusRuntimeException(Status.fromCode(code).withDescription(DETAIL))),
                instanceOf(QdrantCredentialsRefusedException.class));
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"UNAVAILABLE", "DEADLINE_EXCEEDED"})
    void outagesAreNotRefusedCredentials(Status.Code code) {
        assertThat(translate(code), not(instanceOf(QdrantCredentialsRefusedException.class)));
    }

    @Test
    void notFoundIsCollectionMissing() {
        RuntimeException e = translate(Status.Code.NOT_FOUND);
        assertThat(e, instanceOf(CollectionMissingException.class));
        assertThat(e.getMessage(), not(containsString("secret")));
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"INVALID_ARGUMENT", "INTERNAL", "UNKNOWN", "ALREADY_EXISTS",
            "FAILED_PRECONDITION", "UNIMPLEMENTED", "OUT_OF_RANGE", "DATA_LOSS"})
    void otherFailuresFailWithoutDetails(Status.Code code) {
        RuntimeException e = translate(code);
        assertThat(e, instanceOf(QdrantCallFailedException.class));
        assertThat(e.getMessage(), is("Qdrant call failed"));
    }

    @Test
    void nonGrpcFailureIsUnavailable() {
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
