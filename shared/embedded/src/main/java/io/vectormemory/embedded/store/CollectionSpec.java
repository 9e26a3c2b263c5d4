package io.vectormemory.embedded.store;

import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.vectormemory.embedded.model.Distance;

/**
 * What a collection was created with.
 *
 * @param dimension size of the single unnamed dense vector
 * @param distance  its distance function
 * @param config    the configuration reported by GetCollectionInfo (echo of the create request
 *                  merged over Qdrant's defaults); stores persist it as it is
 */
public record CollectionSpec(int dimension, Distance distance, CollectionConfig config) {
}
