package io.vectormemory.shared.info;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.vectormemory.shared.Api;
import io.vectormemory.shared.http.ApiException;
import io.vectormemory.shared.http.PathParams;
import io.vectormemory.shared.http.Responses;
import io.vectormemory.shared.http.Route;
import io.vectormemory.shared.http.RouteHandler;
import io.vectormemory.shared.qdrant.CollectionKind;
import io.vectormemory.shared.qdrant.CollectionMissingException;
import io.vectormemory.shared.qdrant.QdrantCalls;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.vectormemory.shared.json.JsonOut.JSON;

/** Health, capabilities, service info, collection info and the OpenAPI document. */
public final class InfoEndpoints {
    private final Api api;
    private final byte[] openApi;

    public InfoEndpoints(Api api) {
        this.api = api;
        this.openApi = OpenApiDocument.render();
    }

    public void bind(Map<Route, RouteHandler> routes) {
        routes.put(Route.HEALTH, this::health);
        routes.put(Route.CAPABILITIES, this::capabilities);
        routes.put(Route.SERVICE_INFO, this::serviceInfo);
        routes.put(Route.OPENAPI, this::openApi);
        routes.put(Route.COLLECTION_INFO, this::collectionInfo);
    }

    /**
     * 200 healthy when Qdrant answers its health check, 503 unhealthy when it does not (DESIGN §3.3), in the
     * upstream JSON shape. Both Qdrant calls run in parallel under a short deadline, so an outage is reported
     * within {@code HEALTH_TIMEOUT_MS}, not after the general call timeout.
     */
    private void health(ServerRequest req, ServerResponse res, PathParams params) {
        Duration deadline = Duration.ofMillis(api.settings().healthTimeoutMillis());
        var client = api.qdrant().client();
        var check = client.healthCheckAsync(deadline);
        var info = client.getCollectionInfoAsync(api.collections().memories(), deadline);
        boolean connected = succeeded(check, deadline);
        Optional<CollectionInfo> collection = connected ? result(info, deadline) : Optional.empty();
        collection.ifPresent(c -> api.sizes().record(api.collections().memories(), c.getPointsCount()));

        long total = api.metrics().total() + 1; // this request is counted, as upstream did
        long failed = api.metrics().failed() + (connected ? 0 : 1); // and it fails when Qdrant does not answer
        long success = total - failed;
        JsonObject body = JSON.createObjectBuilder()
                .add("metrics", JSON.createObjectBuilder()
                        .add("requests_failed", failed)
                        .add("requests_success", success)
                        .add("requests_total", total)
                        .add("success_rate_percent", String.format(Locale.ROOT, "%.2f", success * 100.0 / total)))
                .add("qdrant", JSON.createObjectBuilder()
                        .add("collection_status", collection.map(InfoEndpoints::statusName).orElse("unknown"))
                        .add("points_count", collection.map(CollectionInfo::getPointsCount).orElse(0L))
                        .add("status", connected ? "connected" : "disconnected")
                        .add("vectors_count", collection.map(CollectionInfo::getPointsCount).orElse(0L)))
                .add("service", ServiceVersion.SERVICE)
                .add("status", connected ? "healthy" : "unhealthy")
                .add("uptime_seconds", uptimeSeconds())
                .add("version", ServiceVersion.VERSION)
                .build();
        if (!connected) {
            // Dial Qdrant again now rather than after the channel's backoff, so health turns green promptly.
            api.qdrantScope().reconnectSoon();
            res.header("Retry-After", "1");
        }
        Responses.json(res, connected ? 200 : 503, body);
    }

    private void capabilities(ServerRequest req, ServerResponse res, PathParams params) {
        int dim = api.settings().vectorDimension();
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=30");
        Responses.json(res, JSON.createObjectBuilder()
                .add("service", ServiceVersion.SERVICE)
                .add("version", ServiceVersion.VERSION)
                .add("vector_dimension", dim)
                .add("embedding", JSON.createObjectBuilder()
                        .add("supported", false)
                        .add("backend", "none")
                        .add("device", "none")
                        .add("vector_dimension", dim))
                .build());
    }

    private void serviceInfo(ServerRequest req, ServerResponse res, PathParams params) {
        api.collections().ensure(api.collections().memories(), CollectionKind.MEMORIES);
        CollectionInfo info = api.collections().info(api.collections().memories());
        Responses.json(res, JSON.createObjectBuilder()
                .add("collection", counts(info, JSON.createObjectBuilder()))
                .add("embedding", JSON.createObjectBuilder()
                        .add("backend", "none")
                        .add("device", "none")
                        .addNull("model")
                        .add("supported", false)
                        .add("vector_dimension", api.settings().vectorDimension()))
                .add("java_version", Runtime.version().toString())
                .add("service", ServiceVersion.SERVICE)
                .add("status", "healthy")
                .add("version", ServiceVersion.VERSION)
                .build());
    }

    private void collectionInfo(ServerRequest req, ServerResponse res, PathParams params) {
        String collection = api.collections().memories(req.query().first("namespace").orElse(null));
        if (collection.equals(api.collections().memories())) {
            api.collections().ensure(collection, CollectionKind.MEMORIES);
        }
        CollectionInfo info;
        try {
            info = api.collections().info(collection);
        } catch (CollectionMissingException e) {
            throw ApiException.notFound("Collection not found");
        }
        api.sizes().record(collection, info.getPointsCount());
        Responses.json(res, JSON.createObjectBuilder()
                .add("status", statusName(info))
                .add("points_count", info.getPointsCount())
                // Each point holds exactly one dense vector, so the vector count is the point count.
                .add("vectors_count", info.getPointsCount())
                .add("indexed_vectors_count", info.getIndexedVectorsCount())
                .build());
    }

    private void openApi(ServerRequest req, ServerResponse res, PathParams params) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(openApi);
    }

    private static JsonObjectBuilder counts(CollectionInfo info, JsonObjectBuilder b) {
        return b.add("indexed_vectors_count", info.getIndexedVectorsCount())
                .add("points_count", info.getPointsCount())
                .add("status", statusName(info))
                .add("vectors_count", info.getPointsCount());
    }

    /** green / yellow / red / grey instead of upstream's numeric code. */
    static String statusName(CollectionInfo info) {
        return switch (info.getStatus()) {
            case Green -> "green";
            case Yellow -> "yellow";
            case Red -> "red";
            case Grey -> "grey";
            default -> "unknown";
        };
    }

    private long uptimeSeconds() {
        return (System.nanoTime() - api.startedNanos()) / 1_000_000_000L;
    }

    private static boolean succeeded(java.util.concurrent.Future<?> call, Duration deadline) {
        return result(call, deadline).isPresent();
    }

    private static <T> Optional<T> result(java.util.concurrent.Future<T> call, Duration deadline) {
        long start = System.nanoTime();
        try {
            return Optional.ofNullable(call.get(deadline.toMillis() + 100, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            call.cancel(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            QdrantCalls.addTime(System.nanoTime() - start);
        }
    }
}
