package io.vectormemory.shared.json;

import jakarta.json.spi.JsonProvider;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriterFactory;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.Map;

/** Compact JSON output. */
public final class JsonOut {
    /**
     * The JSON provider, looked up once. {@code Json.createValue(..)} and friends look it up on every call
     * (a ServiceLoader scan of the class path): in a profile of the search function that was 60 % of the CPU.
     */
    public static final JsonProvider JSON = JsonProvider.provider();

    private static final JsonWriterFactory WRITERS = JSON.createWriterFactory(Map.of());

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
        return JSON.createValue(new BigDecimal(Float.toString(f)));
    }

    public static JsonArrayBuilder vector(float[] v) {
        JsonArrayBuilder a = JSON.createArrayBuilder();
        for (float f : v) {
            a.add(f32(f));
        }
        return a;
    }
}
