package io.vectormemory.embedded.store;

import io.qdrant.client.grpc.Collections.PayloadIndexParams;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;

/**
 * A payload field index as created by CreateFieldIndex.
 *
 * @param type   the schema type
 * @param params the explicit index parameters, or null when only a type was given
 */
public record PayloadIndexSpec(PayloadSchemaType type, PayloadIndexParams params) {
}
