package io.vectormemory.http.json;

import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.NullValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.http.ApiException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.vectormemory.http.json.JsonFactory.JSON;

/** JSON request values ↔ Qdrant payload values. Integers stay integers (Qdrant's integer index needs them). */
public final class QdrantValues {
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private QdrantValues() {
    }

    public static Map<String, Value> payload(JsonObject object) {
        Map<String, Value> out = new LinkedHashMap<>();
        object.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    public static Value value(JsonValue v) {
        return switch (v.getValueType()) {
            case NULL -> Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
            case TRUE -> Value.newBuilder().setBoolValue(true).build();
            case FALSE -> Value.newBuilder().setBoolValue(false).build();
            case STRING -> Value.newBuilder().setStringValue(((JsonString) v).getString()).build();
            case NUMBER -> number((JsonNumber) v);
            case ARRAY -> {
                ListValue.Builder list = ListValue.newBuilder();
                v.asJsonArray().forEach(e -> list.addValues(value(e)));
                yield Value.newBuilder().setListValue(list).build();
            }
            case OBJECT -> {
                Struct.Builder struct = Struct.newBuilder();
                v.asJsonObject().forEach((k, e) -> struct.putFields(k, value(e)));
                yield Value.newBuilder().setStructValue(struct).build();
            }
        };
    }

    private static Value number(JsonNumber n) {
        String text = n.toString();
        boolean integral = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        BigDecimal d = n.bigDecimalValue();
        if (integral && d.compareTo(LONG_MIN) >= 0 && d.compareTo(LONG_MAX) <= 0) {
            return Value.newBuilder().setIntegerValue(d.longValueExact()).build();
        }
        double value = d.doubleValue();
        if (!Double.isFinite(value)) {
            throw ApiException.schema("Invalid request body: payload number out of range: " + shorten(text));
        }
        return Value.newBuilder().setDoubleValue(value).build();
    }

    private static String shorten(String s) {
        return s.length() > 32 ? s.substring(0, 32) + "…" : s;
    }

    public static JsonObject object(Map<String, Value> fields) {
        JsonObjectBuilder b = JSON.createObjectBuilder();
        fields.forEach((k, v) -> b.add(k, json(v)));
        return b.build();
    }

    public static JsonValue json(Value v) {
        return switch (v.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> JsonValue.NULL;
            case BOOL_VALUE -> v.getBoolValue() ? JsonValue.TRUE : JsonValue.FALSE;
            case INTEGER_VALUE -> JSON.createValue(v.getIntegerValue());
            case DOUBLE_VALUE -> Double.isFinite(v.getDoubleValue())
                    ? JSON.createValue(v.getDoubleValue()) : JsonValue.NULL;
            case STRING_VALUE -> JSON.createValue(v.getStringValue());
            case LIST_VALUE -> {
                JsonArrayBuilder a = JSON.createArrayBuilder();
                v.getListValue().getValuesList().forEach(e -> a.add(json(e)));
                yield a.build();
            }
            case STRUCT_VALUE -> object(v.getStructValue().getFieldsMap());
        };
    }

    /** A collection's status as a name: green / yellow / red / grey (the Rust service sent Qdrant's number). */
    public static String collectionStatus(CollectionInfo info) {
        return switch (info.getStatus()) {
            case Green -> "green";
            case Yellow -> "yellow";
            case Red -> "red";
            case Grey -> "grey";
            default -> "unknown";
        };
    }
}
