package io.vectormemory.http.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.vectormemory.http.json.JsonFactory.JSON;

/** Compact JSON output. */
public final class CompactJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CompactJson() {
    }

    /**
     * The value as compact UTF-8 JSON, byte for byte what the provider's writer produces (CompactJsonTest compares
     * them). Written here because the writer's generator and its UTF-8 encoder showed in every search's profile.
     */
    public static byte[] bytes(JsonValue value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StringBuilder out, JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonValue> member : ((JsonObject) value).entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, member.getKey());
                    out.append(':');
                    write(out, member.getValue());
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonValue element : (JsonArray) value) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(out, element);
                }
                out.append(']');
            }
            case STRING -> string(out, ((JsonString) value).getString());
            case NUMBER -> out.append(value); // JsonNumber's text: BigDecimal.toString or the integer
            case TRUE -> out.append("true");
            case FALSE -> out.append("false");
            case NULL -> out.append("null");
        }
    }

    /** A JSON string: quote, backslash and control characters escaped, everything else as it is. */
    private static void string(StringBuilder out, String s) {
        out.append('"');
        int plain = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(s, plain, s.length()).append('"');
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
