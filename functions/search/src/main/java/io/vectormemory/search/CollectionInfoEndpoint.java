package io.vectormemory.search;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.vectormemory.http.ApiException;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.PathParams;
import io.vectormemory.http.Route;
import io.vectormemory.http.json.JsonResponses;
import io.vectormemory.http.json.QdrantValues;
import io.vectormemory.qdrant.store.CollectionSizes;
import io.vectormemory.qdrant.store.MemoryStore;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * {@code GET /collection/info}: status and counts of the memories collection, or of a namespace's
 * ({@code ?namespace=}); 404 for a namespace nobody has written to.
 */
final class CollectionInfoEndpoint {
    private final MemoryStore memories;
    private final CollectionSizes sizes;

    CollectionInfoEndpoint(MemoryStore memories, CollectionSizes sizes) {
        this.memories = memories;
        this.sizes = sizes;
    }

    void routing(ApiRoutes routes) {
        routes.add(Route.COLLECTION_INFO, this::info);
    }

    private void info(ServerRequest req, ServerResponse res, PathParams params) {
        String collection = memories.collection(req.query().first("namespace").orElse(null));
        CollectionInfo info = memories.info(collection)
                .orElseThrow(() -> ApiException.notFound("Collection not found"));
        sizes.record(collection, info.getPointsCount());
        JsonResponses.json(res, JSON.createObjectBuilder()
                .add("status", QdrantValues.collectionStatus(info))
                .add("points_count", info.getPointsCount())
                // Each point holds exactly one dense vector, so the vector count is the point count.
                .add("vectors_count", info.getPointsCount())
                .add("indexed_vectors_count", info.getIndexedVectorsCount())
                .build());
    }
}
