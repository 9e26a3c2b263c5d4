package io.vectormemory.qdrant.calls;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The gRPC status → module exception table, without a server (ClusterStatesTest checks it over the wire with the
 * embedded backend's fault mode, the contract suite against real backends).
 */
class QdrantCallsTest {
    private static final String DETAIL = "secret-internal-detail host=10.1.2.3 key=abc";

    private static RuntimeException translate(Status.Code code) {
        return translate(code, DETAIL);
    }

    private static RuntimeException translate(Status.Code code, String message) {
        return QdrantCalls.translate(new StatusRuntimeException(Status.fromCode(code).withDescription(message)));
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
    void onlyQdrantsCollectionAnswerIsCollectionMissing() {
        RuntimeException e = translate(Status.Code.NOT_FOUND, "Not found: Collection `user_memories_x` doesn't exist!");
        assertThat(e, instanceOf(CollectionMissingException.class));
        assertThat(e.getMessage(), not(containsString("user_memories_x")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Not found: shard 3 not found",
            "Not found: local shard user_memories:3 not found",
            "Not found: 5827086306041174/user_memories:3 shard not found",
            // a remote peer's answer about the collection, wrapped by the coordinating node
            "Not found: status: NotFound, message: \"Not found: Collection `c` doesn't exist!\" not found",
            "Not found: No point with id 7 found",
            DETAIL})
    void anyOtherNotFoundIsBusy(String message) {
        RuntimeException e = translate(Status.Code.NOT_FOUND, message);
        assertThat(e, instanceOf(QdrantBusyException.class));
        assertThat(e.getMessage(), is("Qdrant cluster busy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Service internal error: Failed to propose operation: leader is not established within 10s",
            "Service internal error: Waiting for consensus operation commit failed. Timeout set at: 10 seconds",
            "Service internal error: The replica set for shard 3 on peer 1 has no active replica",
            "Service internal error: The replica set for shard 3 on peer 1 does not have enough active replicas",
            "Service internal error: Cannot update shard c:3 with Medium ordering because no leader could be selected",
            "Service internal error: Failed to apply update with Medium ordering via leader peer 2: Timeout error: x",
            "Service internal error: 2 of 2 read operations failed:\n  Service internal error: Tonic transport error",
            "Service internal error: Local shard 3 not found",
            "1 out of 6 shards failed to apply operation. First error captured: Service internal error: Failed to "
                    + "apply operation to at least one `Active` replica. Consistency of this update is not "
                    + "guaranteed. Please retry. x"})
    void transientClusterInternalIsBusy(String message) {
        assertThat(translate(Status.Code.INTERNAL, message), instanceOf(QdrantBusyException.class));
    }

    @Test
    void failedPreconditionIsBusy() {
        assertThat(translate(Status.Code.FAILED_PRECONDITION,
                        "Pre-condition failure: Precondition failed: No target shard 3 found for update"),
                instanceOf(QdrantBusyException.class));
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"INVALID_ARGUMENT", "INTERNAL", "UNKNOWN", "ALREADY_EXISTS",
            "UNIMPLEMENTED", "OUT_OF_RANGE", "DATA_LOSS"})
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
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new StatusRuntimeException(
                Status.NOT_FOUND.withDescription("Not found: Collection `x` doesn't exist!")));
        assertThrows(CollectionMissingException.class, () -> QdrantCalls.await(failed));
        QdrantCalls.addTime(5_000_000_000L);
        assertThat(QdrantCalls.timeNanos() >= 5_000_000_000L, is(true));
        QdrantCalls.resetTime();
        assertThat(QdrantCalls.timeNanos(), is(0L));
    }
}
