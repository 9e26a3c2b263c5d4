package io.vectormemory.health;

import io.helidon.health.HealthCheckResponse;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.vectormemory.http.ApiException;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.PathParams;
import io.vectormemory.http.Route;
import io.vectormemory.http.json.JsonResponses;
import io.vectormemory.http.json.QdrantValues;
import io.vectormemory.http.observe.ApiMetrics;
import io.vectormemory.http.observe.QdrantHealthCheck;
import io.vectormemory.http.routing.RequestFilter;
import io.vectormemory.qdrant.store.MemoryStore;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.Locale;
import java.util.Map;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * Health, capabilities, service info and the OpenAPI document.
 * <pre>
 * curl $BASE/health
 * curl $BASE/capabilities
 * </pre>
 */
final class HealthEndpoints {
    private final QdrantHealthCheck qdrant;
    private final MemoryStore memories;
    private final ApiMetrics metrics;
    private final int dimension;
    private final long startedNanos;
    private final byte[] openApi;

    HealthEndpoints(QdrantHealthCheck qdrant, MemoryStore memories, ApiMetrics metrics,
                    int dimension, long startedNanos) {
        this.qdrant = qdrant;
        this.memories = memories;
        this.metrics = metrics;
        this.dimension = dimension;
        this.startedNanos = startedNanos;
        this.openApi = OpenApiDocument.render();
    }

    void routing(ApiRoutes routes) {
        routes.add(Route.HEALTH, this::health)
                .add(Route.CAPABILITIES, this::capabilities)
                .add(Route.SERVICE_INFO, this::serviceInfo)
                .add(Route.OPENAPI, this::openApi);
    }

    /**
     * 200 healthy when this process can serve, else 503 unhealthy, in the Rust service's JSON shape; the collection
     * status is a name and the counts are real. Computed from the Qdrant readiness check that
     * {@code /observe/health} serves; {@code qdrant.status} is its word for why, and Retry-After is sent only when
     * waiting can help.
     */
    private void health(ServerRequest req, ServerResponse res, PathParams params) {
        HealthCheckResponse check = qdrant.call();
        boolean serving = check.status() == HealthCheckResponse.Status.UP;
        Map<String, Object> details = check.details();
        String qdrantStatus = String.valueOf(details.get(QdrantHealthCheck.STATUS));
        long points = details.get(QdrantHealthCheck.POINTS) instanceof Long n ? n : 0L;

        long total = metrics.total() + 1; // this request is counted, as the Rust service did
        long failed = metrics.failed() + (serving ? 0 : 1); // and it fails when the process cannot serve
        long success = total - failed;
        JsonObject body = JSON.createObjectBuilder()
                .add("metrics", JSON.createObjectBuilder()
                        .add("requests_failed", failed)
                        .add("requests_success", success)
                        .add("requests_total", total)
                        .add("success_rate_percent", String.format(Locale.ROOT, "%.2f", success * 100.0 / total)))
                .add("qdrant", JSON.createObjectBuilder()
                        .add("collection_status", String.valueOf(
                                details.getOrDefault(QdrantHealthCheck.COLLECTION_STATUS, "unknown")))
                        .add("points_count", points)
                        .add("status", qdrantStatus)
                        .add("vectors_count", points))
                .add("service", ServiceVersion.SERVICE)
                .add("status", serving ? "healthy" : "unhealthy")
                .add("uptime_seconds", (System.nanoTime() - startedNanos) / 1_000_000_000L)
                .add("version", ServiceVersion.VERSION)
                .build();
        if (!serving) {
            RequestFilter.unavailable(req, ApiMetrics.Unavailable.valueOf(qdrantStatus.toUpperCase(Locale.ROOT)));
        }
        if (QdrantHealthCheck.DISCONNECTED.equals(qdrantStatus)) {
            res.header("Retry-After", "1");
        }
        JsonResponses.json(res, serving ? 200 : 503, body);
    }

    private void capabilities(ServerRequest req, ServerResponse res, PathParams params) {
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=30");
        JsonResponses.json(res, JSON.createObjectBuilder()
                .add("service", ServiceVersion.SERVICE)
                .add("version", ServiceVersion.VERSION)
                .add("vector_dimension", dimension)
                .add("embedding", JSON.createObjectBuilder()
                        .add("supported", false)
                        .add("backend", "none")
                        .add("device", "none")
                        .add("vector_dimension", dimension))
                .build());
    }

    private void serviceInfo(ServerRequest req, ServerResponse res, PathParams params) {
        CollectionInfo info = memories.info(memories.defaultCollection())
                .orElseThrow(() -> ApiException.notFound("Collection not found"));
        JsonResponses.json(res, JSON.createObjectBuilder()
                .add("collection", counts(info, JSON.createObjectBuilder()))
                .add("embedding", JSON.createObjectBuilder()
                        .add("backend", "none")
                        .add("device", "none")
                        .addNull("model")
                        .add("supported", false)
                        .add("vector_dimension", dimension))
                .add("java_version", Runtime.version().toString())
                .add("service", ServiceVersion.SERVICE)
                .add("status", "healthy")
                .add("version", ServiceVersion.VERSION)
                .build());
    }

    private void openApi(ServerRequest req, ServerResponse res, PathParams params) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(openApi);
    }

    private static JsonObjectBuilder counts(CollectionInfo info, JsonObjectBuilder b) {
        return b.add("indexed_vectors_count", info.getIndexedVectorsCount())
                .add("points_count", info.getPointsCount())
                .add("status", QdrantValues.collectionStatus(info))
                .add("vectors_count", info.getPointsCount());
    }
}
