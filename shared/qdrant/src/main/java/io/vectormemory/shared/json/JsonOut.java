package io.vectormemory.shared.json;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriterFactory;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.Map;

/** Compact JSON output. */
public final class JsonOut {
    private static final JsonWriterFactory WRITERS = Json.createWriterFactory(Map.of());

    private JsonOut() {
    }

    public static byte[] bytes(JsonValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (var writer = WRITERS.createWriter(out)) {
            writer.write(value);
        }
        return out.toByteArray();
    }

    /** A 32-bit float printed with the shortest text that round-trips as a float (0.8234567, not its double). */
    public static JsonNumber f32(float f) {
        return Json.createValue(new BigDecimal(Float.toString(f)));
    }

    public static JsonArrayBuilder vector(float[] v) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (float f : v) {
            a.add(f32(f));
        }
        return a;
    }
}
