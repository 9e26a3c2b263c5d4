package io.vectormemory.embedded.store;

import io.qdrant.client.grpc.Collections.PayloadIndexParams;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.embedded.model.DateTimes;
import io.vectormemory.embedded.model.PointId;

import java.util.List;

/**
 * A payload field index as created by CreateFieldIndex.
 *
 * @param type   the schema type
 * @param params the explicit index parameters, or null when only a type was given
 */
public record PayloadIndexSpec(PayloadSchemaType type, PayloadIndexParams params) {

    /**
     * Whether the values found under the key hold one this index would index (array elements
     * count one level deep), i.e. whether the point counts in the index's {@code points}.
     */
    public boolean hasValue(List<Value> values) {
        for (Value v : values) {
            if (v.hasListValue()) {
                for (Value element : v.getListValue().getValuesList()) {
                    if (accepts(type, element)) {
                        return true;
                    }
                }
            } else if (accepts(type, v)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an index of this type indexes the (non-array) value. */
    public static boolean accepts(PayloadSchemaType type, Value v) {
        return switch (type) {
            case Keyword, Text -> v.hasStringValue();
            case Integer -> v.hasIntegerValue();
            case Float -> v.hasIntegerValue() || v.hasDoubleValue();
            case Bool -> v.hasBoolValue();
            case Datetime -> v.hasStringValue() && DateTimes.parse(v.getStringValue()) != null;
            case Uuid -> v.hasStringValue() && PointId.isUuid(v.getStringValue());
            case Geo -> v.hasStructValue() && v.getStructValue().containsFields("lon")
                    && v.getStructValue().containsFields("lat");
            default -> false;
        };
    }
}
