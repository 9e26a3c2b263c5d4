package io.vectormemory.http.json;

import io.vectormemory.http.ApiException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;

/**
 * Typed, path-aware access to one JSON object of a request body. Any mismatch is a 422 naming the field,
 * like the Rust service's schema rejections: missing field, wrong type, float for an integer,
 * {@code null} where a value is required, integer out of range.
 */
public final class JsonFields {
    private static final String PREFIX = "Invalid request body: ";

    private final JsonObject object;
    private final String path;

    public JsonFields(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    public static JsonFields of(JsonValue value, String path) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.schema(PREFIX + (path.isEmpty() ? "body" : path) + ": expected a JSON object");
        }
        return new JsonFields(value.asJsonObject(), path);
    }

    public JsonObject object() {
        return object;
    }

    public boolean present(String name) {
        JsonValue v = object.get(name);
        return v != null && v.getValueType() != JsonValue.ValueType.NULL;
    }

    public String requiredString(String name) {
        JsonValue v = required(name);
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw error(name, "expected a string");
        }
        return ((JsonString) v).getString();
    }

    /** Absent or {@code null} → {@code null}. */
    public String optionalString(String name) {
        return present(name) ? requiredString(name) : null;
    }

    public long requiredLong(String name) {
        return integral(name, required(name), Long.MIN_VALUE, Long.MAX_VALUE, "a 64-bit integer");
    }

    public int requiredInt(String name) {
        return (int) integral(name, required(name), Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer");
    }

    /** Absent or {@code null} → {@code null}. */
    public Long optionalLong(String name) {
        return present(name) ? requiredLong(name) : null;
    }

    /** An unsigned count with a default: absent → default; {@code null}, negative or fractional → 422. */
    public long countOr(String name, long defaultValue) {
        JsonValue v = object.get(name);
        if (v == null) {
            return defaultValue;
        }
        return integral(name, v, 0, Long.MAX_VALUE, "a non-negative integer");
    }

    /** A 32-bit float with a default: absent → default; {@code null} → 422 (as upstream). */
    public float floatOr(String name, float defaultValue) {
        JsonValue v = object.get(name);
        if (v == null) {
            return defaultValue;
        }
        return toFloat(v, path(name));
    }

    public boolean requiredBool(String name) {
        JsonValue v = required(name);
        return switch (v.getValueType()) {
            case TRUE -> true;
            case FALSE -> false;
            default -> throw error(name, "expected a boolean");
        };
    }

    public JsonFields requiredObject(String name) {
        JsonValue v = required(name);
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw error(name, "expected a JSON object");
        }
        return new JsonFields(v.asJsonObject(), path(name));
    }

    public JsonArray requiredArray(String name) {
        JsonValue v = required(name);
        if (v.getValueType() != JsonValue.ValueType.ARRAY) {
            throw error(name, "expected an array");
        }
        return v.asJsonArray();
    }

    /** A vector of finite 32-bit floats; its length is checked by the caller (400, not 422). */
    public float[] requiredVector(String name) {
        JsonArray array = requiredArray(name);
        if (array instanceof NumberArray numbers) {
            float[] fast = numbers.toFloats();
            for (int i = 0; i < fast.length; i++) {
                if (!Float.isFinite(fast[i])) {
                    throw ApiException.schema(PREFIX + path(name) + "[" + i + "]"
                            + ": number out of range for a 32-bit float");
                }
            }
            return fast;
        }
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toFloat(array.get(i), path(name) + "[" + i + "]");
        }
        return out;
    }

    public String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private JsonValue required(String name) {
        JsonValue v = object.get(name);
        if (v == null) {
            throw error(name, "missing field");
        }
        if (v.getValueType() == JsonValue.ValueType.NULL) {
            throw error(name, "must not be null");
        }
        return v;
    }

    private long integral(String name, JsonValue v, long min, long max, String what) {
        if (v.getValueType() != JsonValue.ValueType.NUMBER) {
            throw error(name, "expected " + what);
        }
        BigDecimal d = ((JsonNumber) v).bigDecimalValue();
        // Digits, not scale: "1.0" is a float for an integer field (422), like serde; "1e2" too.
        String text = v.toString();
        if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            throw error(name, "expected " + what + ", got a floating-point number");
        }
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw error(name, "expected " + what + ", value out of range");
        }
        return d.longValueExact();
    }

    private static float toFloat(JsonValue v, String fieldPath) {
        if (v.getValueType() != JsonValue.ValueType.NUMBER) {
            throw ApiException.schema(PREFIX + fieldPath + ": expected a number");
        }
        double d = ((JsonNumber) v).doubleValue();
        float f = (float) d;
        if (!Float.isFinite(f)) {
            throw ApiException.schema(PREFIX + fieldPath + ": number out of range for a 32-bit float");
        }
        return f;
    }

    private ApiException error(String name, String what) {
        return ApiException.schema(PREFIX + path(name) + ": " + what);
    }
}
