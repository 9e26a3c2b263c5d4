package io.vectormemory.http.json;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.qdrant.store.PointIds;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * The typed part of a stored payload: required fields are validated on write, extra fields
 * are kept, and on read the typed fields come first in declaration order, then the extras.
 */
public final class PayloadSchema {
    /** Field types of the typed part. */
    public enum Type { I64, I32, STRING, BOOL, OPTIONAL_I64 }

    public record Field(String name, Type type) {
    }

    public static final PayloadSchema MEMORY = new PayloadSchema(List.of(
            new Field("user_id", Type.I64),
            new Field("category", Type.STRING),
            new Field("key", Type.STRING),
            new Field("value", Type.STRING),
            new Field("source", Type.STRING),
            new Field("message_id", Type.OPTIONAL_I64),
            new Field("created", Type.I64),
            new Field("updated", Type.I64),
            new Field("active", Type.BOOL)));

    public static final PayloadSchema DOCUMENT = new PayloadSchema(List.of(
            new Field("user_id", Type.I64),
            new Field("file_id", Type.I64),
            new Field("group_key", Type.STRING),
            new Field("file_type", Type.I32),
            new Field("chunk_index", Type.I32),
            new Field("start_line", Type.I32),
            new Field("end_line", Type.I32),
            new Field("text", Type.STRING),
            new Field("created", Type.I64)));

    private final List<Field> fields;

    private PayloadSchema(List<Field> fields) {
        this.fields = fields;
    }

    /** Validates a request payload (422 on mismatch) and returns what to store. */
    public Map<String, Value> validate(JsonFields payload) {
        for (Field f : fields) {
            switch (f.type()) {
                case I64 -> payload.requiredLong(f.name());
                case I32 -> payload.requiredInt(f.name());
                case STRING -> payload.requiredString(f.name());
                case BOOL -> payload.requiredBool(f.name());
                case OPTIONAL_I64 -> payload.optionalLong(f.name());
            }
        }
        Map<String, Value> stored = QdrantValues.payload(payload.object());
        // An absent or null optional field is not stored, and never echoed back as null.
        for (Field f : fields) {
            if (f.type() == Type.OPTIONAL_I64 && !payload.present(f.name())) {
                stored.remove(f.name());
            }
        }
        // The original id is ours to set.
        stored.remove(PointIds.FIELD);
        return stored;
    }

    /** A stored payload as returned to clients: typed fields first, then extras, without {@code _point_id}. */
    public JsonValue toJson(Map<String, Value> stored) {
        JsonObjectBuilder out = JSON.createObjectBuilder();
        Map<String, Value> rest = new LinkedHashMap<>(stored);
        rest.remove(PointIds.FIELD);
        for (Field f : fields) {
            Value v = rest.remove(f.name());
            if (v != null && !(f.type() == Type.OPTIONAL_I64 && v.hasNullValue())) {
                out.add(f.name(), QdrantValues.json(v));
            }
        }
        rest.forEach((k, v) -> out.add(k, QdrantValues.json(v)));
        return out.build();
    }
}
