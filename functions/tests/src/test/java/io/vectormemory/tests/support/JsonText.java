package io.vectormemory.tests.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Parsing and semantic comparison of JSON: key order is free, numbers compare by value and integrality. */
public final class JsonText {
    private JsonText() {
    }

    public static JsonValue parse(String text) {
        return parse(text, () -> text);
    }

    static JsonValue parse(String text, Supplier<String> context) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readValue();
        } catch (JsonParsingException e) {
            return fail("not JSON (" + e.getMessage() + "): " + context.get());
        }
    }

    /** Expected JSON given as text, e.g. {@code """{"success_count":2,"failed_count":0}"""}. */
    public static void assertJson(String expected, JsonValue actual, Supplier<String> context) {
        assertJson(parse(expected), actual, context);
    }

    public static void assertJson(JsonValue expected, JsonValue actual, Supplier<String> context) {
        compare("$", expected, actual, context);
    }

    private static void compare(String path, JsonValue e, JsonValue a, Supplier<String> context) {
        if (e.getValueType() != a.getValueType()) {
            fail(path + ": expected " + e + " but was " + a + "\n  in " + context.get());
        }
        switch (e.getValueType()) {
            case OBJECT -> {
                JsonObject eo = e.asJsonObject();
                JsonObject ao = a.asJsonObject();
                assertEquals(new TreeSet<>(eo.keySet()), new TreeSet<>(ao.keySet()),
                        () -> path + ": keys differ\n  in " + context.get());
                for (String k : eo.keySet()) {
                    compare(path + "." + k, eo.get(k), ao.get(k), context);
                }
            }
            case ARRAY -> {
                JsonArray ea = e.asJsonArray();
                JsonArray aa = a.asJsonArray();
                assertEquals(ea.size(), aa.size(), () -> path + ": array length differs: " + a + "\n  in "
                        + context.get());
                for (int i = 0; i < ea.size(); i++) {
                    compare(path + "[" + i + "]", ea.get(i), aa.get(i), context);
                }
            }
            case NUMBER -> {
                JsonNumber en = (JsonNumber) e;
                JsonNumber an = (JsonNumber) a;
                if (en.bigDecimalValue().compareTo(an.bigDecimalValue()) != 0 || en.isIntegral() != an.isIntegral()) {
                    fail(path + ": expected number " + e + " but was " + a + "\n  in " + context.get());
                }
            }
            default -> assertEquals(e, a, () -> path + "\n  in " + context.get());
        }
    }
}
