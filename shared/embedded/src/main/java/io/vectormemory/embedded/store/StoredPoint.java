package io.vectormemory.embedded.store;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.embedded.model.PointId;

import java.util.Map;

/**
 * A point as stored.
 *
 * @param id      the id
 * @param vector  the vector, already preprocessed (normalised for Cosine); never modified
 * @param payload the payload (unmodifiable)
 * @param version the operation id of the last change to this point
 */
public record StoredPoint(PointId id, float[] vector, Map<String, Value> payload, long version) {
}
