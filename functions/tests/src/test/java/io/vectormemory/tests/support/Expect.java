package io.vectormemory.tests.support;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions on responses that print the whole exchange when they fail. */
public final class Expect {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Expect() {
    }

    public static Response status(Response r, int status) {
        assertEquals(status, r.status(), r::toString);
        assertTrue(r.header("x-request-id").isPresent(), () -> "no x-request-id: " + r);
        assertEquals("*", r.header("access-control-allow-origin").orElse(null), () -> "CORS origin: " + r);
        return r;
    }

    /** 200 with a JSON body semantically equal to {@code expected}. */
    public static Response json(Response r, String expected) {
        status(r, 200);
        jsonContentType(r);
        JsonText.assertJson(expected, r.json(), r::toString);
        return r;
    }

    public static void jsonContentType(Response r) {
        String ct = r.header("content-type").orElse("");
        assertTrue(ct.equals("application/json") || ct.startsWith("application/json;"),
                () -> "content type " + ct + ": " + r);
    }

    /** The API's error shape, exactly {@code {"error": <non-empty string>, "status": <the HTTP status>}}. */
    public static String error(Response r, int status) {
        status(r, status);
        jsonContentType(r);
        JsonValue v = r.json();
        assertEquals(JsonValue.ValueType.OBJECT, v.getValueType(), r::toString);
        JsonObject o = v.asJsonObject();
        assertEquals(Set.of("error", "status"), o.keySet(), r::toString);
        assertTrue(o.get("error") instanceof JsonString, r::toString);
        assertTrue(o.get("status") instanceof JsonNumber n && n.isIntegral() && n.intValueExact() == status,
                r::toString);
        String message = o.getString("error");
        assertFalse(message.isBlank(), r::toString);
        return message;
    }

    public static void error(Response r, int status, String message) {
        assertEquals(message, error(r, status), r::toString);
    }

    public static void errorStartsWith(Response r, int status, String prefix) {
        String m = error(r, status);
        assertTrue(m.startsWith(prefix), () -> "expected the error to start with '" + prefix + "': " + r);
    }

    public static void errorContains(Response r, int status, String... parts) {
        String m = error(r, status);
        for (String p : parts) {
            assertTrue(m.contains(p), () -> "expected the error to mention '" + p + "': " + r);
        }
    }

    /** 405 JSON error whose {@code Allow} header lists exactly these methods. */
    public static void methodNotAllowed(Response r, String... allowed) {
        error(r, 405);
        String allow = r.header("allow").orElseGet(() -> fail("405 without Allow: " + r));
        Set<String> got = Arrays.stream(allow.split(",")).map(String::strip).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Arrays.asList(allowed)), got, r::toString);
    }

    public static void isUuid(String s, Response r) {
        assertTrue(UUID.matcher(s).matches(), () -> "not a UUID: " + s + " in " + r);
    }

    /** A bare JSON integer body, as the PHP client expects from the counting routes. */
    public static void count(Response r, long expected) {
        status(r, 200);
        jsonContentType(r);
        assertEquals(Long.toString(expected), r.body().strip(), r::toString);
    }

    /** 200 with an empty body (document upsert and delete). */
    public static void emptyOk(Response r) {
        status(r, 200);
        assertEquals("", r.body(), r::toString);
        assertEquals("0", r.header("content-length").orElse("0"), r::toString);
    }
}
