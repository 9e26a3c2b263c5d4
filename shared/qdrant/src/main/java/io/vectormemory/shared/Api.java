package io.vectormemory.shared;

import io.vectormemory.shared.config.Settings;
import io.vectormemory.shared.document.DocumentEndpoints;
import io.vectormemory.shared.http.ApiKeys;
import io.vectormemory.shared.http.ApiMetrics;
import io.vectormemory.shared.http.QdrantScope;
import io.vectormemory.shared.http.Route;
import io.vectormemory.shared.http.RouteHandler;
import io.vectormemory.shared.http.ServingState;
import io.vectormemory.shared.info.InfoEndpoints;
import io.vectormemory.shared.memory.MemoryEndpoints;
import io.vectormemory.shared.qdrant.CollectionSizes;
import io.vectormemory.shared.qdrant.Collections;
import io.vectormemory.shared.qdrant.PointIds;
import io.vectormemory.shared.qdrant.Points;
import io.vectormemory.shared.qdrant.QdrantConnection;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a function's routes need, built once per process around the one Qdrant connection.
 *
 * @param name        label of this server in logs and metrics ("upsert", "search", "health", "local")
 * @param qdrantScope the per-request Qdrant deadline and reconnect nudges
 * @param state       serving or draining (shutdown)
 */
public record Api(String name, Settings settings, QdrantConnection qdrant, Collections collections, Points points,
                  ApiKeys keys, ApiMetrics metrics, CollectionSizes sizes, long startedNanos, QdrantScope qdrantScope,
                  ServingState state) {

    public static Api create(String name, Settings settings, QdrantConnection qdrant) {
        Collections collections = new Collections(qdrant.client(), settings);
        Points points = new Points(qdrant.client(), new PointIds(settings.pointIdScheme()));
        ApiKeys keys = settings.authDisabled() ? ApiKeys.disabled() : ApiKeys.of(settings.serviceApiKeys());
        ApiMetrics metrics = new ApiMetrics(name);
        CollectionSizes sizes = new CollectionSizes(qdrant.client(), metrics, Duration.ofMillis(settings.healthTimeoutMillis()),
                List.of(settings.memoriesCollection(), settings.documentsCollection()));
        QdrantScope scope = new QdrantScope(settings.qdrantRequestBudgetMillis(),
                qdrant.client().grpcClient().channel());
        return new Api(name, settings, qdrant, collections, points, keys, metrics, sizes,
                System.nanoTime(), scope, new ServingState());
    }

    /** A handler for every route in the table. */
    public Map<Route, RouteHandler> handlers() {
        Map<Route, RouteHandler> all = new EnumMap<>(Route.class);
        new MemoryEndpoints(this).bind(all);
        new DocumentEndpoints(this).bind(all);
        new InfoEndpoints(this).bind(all);
        return all;
    }

    /** Startup work that must not delay the port: creating collections and repairing indexes. */
    public void bootstrapInBackground() {
        Thread.ofVirtual().name("collections-bootstrap").start(collections::bootstrap);
    }

    /** Closes the Qdrant connection and what belongs to it; the server must have stopped first. */
    public void close() {
        qdrant.close();
    }
}
