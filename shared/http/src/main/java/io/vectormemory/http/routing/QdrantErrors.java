package io.vectormemory.http.routing;

import io.helidon.webserver.http.HttpRouting;
import io.vectormemory.http.ApiException;
import io.vectormemory.http.json.JsonResponses;
import io.vectormemory.http.observe.ApiMetrics;
import io.vectormemory.qdrant.calls.CollectionMissingException;
import io.vectormemory.qdrant.calls.QdrantBusyException;
import io.vectormemory.qdrant.calls.QdrantCallFailedException;
import io.vectormemory.qdrant.calls.QdrantCredentialsRefusedException;
import io.vectormemory.qdrant.calls.QdrantUnavailableException;
import io.vectormemory.qdrant.store.InvalidNamespaceException;

import java.util.Map;

/**
 * The one place where the Qdrant module's exceptions become HTTP answers. Nothing Qdrant said reaches the client:
 * each answer's message is fixed here (the Qdrant module logs the detail where it sees it).
 */
public final class QdrantErrors {
    static final String RETRY_AFTER_SECONDS = "1";
    /**
     * A cluster passing through a state (a leader election, replicas activating, a schema change being applied)
     * takes longer than a reconnect: Raft elects a leader within a few of its ticks, Qdrant waits up to 10 s for
     * new replicas.
     */
    static final String BUSY_RETRY_AFTER_SECONDS = "2";

    private QdrantErrors() {
    }

    /** Registers the mapping on a routing. */
    static void register(HttpRouting.Builder rules) {
        rules.error(QdrantUnavailableException.class, (req, res, e) -> {
                    RequestFilter.unavailable(req, e instanceof QdrantCredentialsRefusedException
                            ? ApiMetrics.Unavailable.UNAUTHORIZED : ApiMetrics.Unavailable.DISCONNECTED);
                    JsonResponses.error(res, unavailable());
                })
                .error(QdrantBusyException.class, (req, res, e) -> {
                    RequestFilter.unavailable(req, ApiMetrics.Unavailable.CLUSTER_BUSY);
                    JsonResponses.error(res, busy());
                })
                .error(CollectionMissingException.class, (req, res, e) -> JsonResponses.error(res, missing()))
                .error(QdrantCallFailedException.class, (req, res, e) -> JsonResponses.error(res, failed()))
                .error(InvalidNamespaceException.class,
                        (req, res, e) -> JsonResponses.error(res, ApiException.badRequest(e.getMessage())));
    }

    /** An outage or timeout is a 503 with Retry-After, never a 500: the client should come back shortly. */
    static ApiException unavailable() {
        return new ApiException(503, "Vector database unavailable, retry later",
                Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    /** A cluster in a passing state is a 503 too, never a 500: what failed may succeed, or have completed, soon. */
    static ApiException busy() {
        return new ApiException(503, "Vector database busy, retry later",
                Map.of("Retry-After", BUSY_RETRY_AFTER_SECONDS));
    }

    static ApiException missing() {
        return ApiException.notFound("Collection not found");
    }

    static ApiException failed() {
        return new ApiException(500, "Database operation failed");
    }
}
