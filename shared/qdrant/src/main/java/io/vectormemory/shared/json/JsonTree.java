package io.vectormemory.shared.json;

import io.vectormemory.shared.http.ApiException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.vectormemory.shared.json.JsonOut.JSON;

/**
 * Builds the value tree of a request body from parser events, with three rules of our own: duplicate keys and
 * nesting deeper than {@link #MAX_DEPTH} are refused (400), a number is an integer only if written without
 * fraction or exponent ({@code 4.2e1} is not), and arrays of numbers are kept primitive ({@link NumberArray}).
 */
final class JsonTree {
    /** Far deeper than any valid request; stops stack-exhausting bodies early. */
    static final int MAX_DEPTH = 64;

    private JsonTree() {
    }

    static JsonValue value(JsonParser parser, JsonParser.Event event, int depth) {
        return switch (event) {
            case START_OBJECT -> object(parser, depth + 1);
            case START_ARRAY -> array(parser, depth + 1);
            case VALUE_STRING -> JSON.createValue(text(parser.getString()));
            case VALUE_NUMBER -> number(parser.getString());
            case VALUE_TRUE -> JsonValue.TRUE;
            case VALUE_FALSE -> JsonValue.FALSE;
            case VALUE_NULL -> JsonValue.NULL;
            case KEY_NAME, END_OBJECT, END_ARRAY -> throw malformed("unexpected " + event);
        };
    }

    private static JsonValue object(JsonParser parser, int depth) {
        checkDepth(depth);
        JsonObjectBuilder object = JSON.createObjectBuilder();
        Set<String> keys = new HashSet<>();
        while (true) {
            JsonParser.Event event = parser.next();
            if (event == JsonParser.Event.END_OBJECT) {
                return object.build();
            }
            String key = text(parser.getString());
            if (!keys.add(key)) {
                throw malformed("duplicate key \"" + shorten(key) + "\"");
            }
            object.add(key, value(parser, parser.next(), depth));
        }
    }

    private static JsonValue array(JsonParser parser, int depth) {
        checkDepth(depth);
        List<JsonValue> values = null;
        double[] doubles = new double[16];
        long[] longs = new long[16];
        boolean[] integral = new boolean[16];
        int n = 0;
        while (true) {
            JsonParser.Event event = parser.next();
            if (event == JsonParser.Event.END_ARRAY) {
                break;
            }
            if (values == null && event == JsonParser.Event.VALUE_NUMBER) {
                String text = parser.getString();
                boolean isLong = isInteger(text) && fitsLong(text);
                double d = isLong ? 0 : Double.parseDouble(text);
                if (isLong || Double.isFinite(d)) {
                    if (n == doubles.length) {
                        doubles = Arrays.copyOf(doubles, n * 2);
                        longs = Arrays.copyOf(longs, n * 2);
                        integral = Arrays.copyOf(integral, n * 2);
                    }
                    if (isLong) {
                        longs[n] = Long.parseLong(text);
                        integral[n] = true;
                    } else {
                        doubles[n] = d;
                    }
                    n++;
                    continue;
                }
            }
            if (values == null) {
                // Not all numbers: fall back to a general array, keeping what was read so far.
                values = new ArrayList<>(n + 4);
                for (int i = 0; i < n; i++) {
                    values.add(integral[i] ? JSON.createValue(longs[i]) : number(doubles[i]));
                }
            }
            values.add(value(parser, event, depth));
        }
        if (values == null) {
            return new NumberArray(Arrays.copyOf(doubles, n), Arrays.copyOf(longs, n),
                    Arrays.copyOf(integral, n));
        }
        JsonArrayBuilder array = JSON.createArrayBuilder();
        values.forEach(array::add);
        return array.build();
    }

    /**
     * Refuses lone surrogates ({@code "\ud800"} escapes): they are not text, cannot be stored as UTF-8, and
     * would silently become "?" and collide with a real "?".
     */
    private static String text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw malformed("string with an unpaired surrogate escape");
            }
        }
        return s;
    }

    /** Integers that fit a long stay exact; everything else is a double (like serde_json's f64). */
    static JsonValue number(String text) {
        if (isInteger(text)) {
            return fitsLong(text) ? JSON.createValue(Long.parseLong(text)) : JSON.createValue(new BigDecimal(text));
        }
        return number(Double.parseDouble(text));
    }

    private static JsonValue number(double d) {
        // 1e400 parses to infinity: keep its magnitude visible to range checks instead of an invalid value.
        return Double.isFinite(d) ? JSON.createValue(d) : JSON.createValue(d > 0 ? BigDecimal.TEN.pow(400)
                : BigDecimal.TEN.pow(400).negate());
    }

    static boolean isInteger(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                return false;
            }
        }
        return true;
    }

    private static boolean fitsLong(String text) {
        int digits = text.startsWith("-") ? text.length() - 1 : text.length();
        if (digits < 19) {
            return true;
        }
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private static ApiException malformed(String detail) {
        return ApiException.badRequest("Failed to parse the request body as JSON: " + detail);
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
