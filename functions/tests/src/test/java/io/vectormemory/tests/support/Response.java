package io.vectormemory.tests.support;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

/** One HTTP exchange as the client saw it. */
public record Response(String method, URI uri, int status, HttpHeaders headers, String body, Duration elapsed) {

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public JsonValue json() {
        return JsonText.parse(body, this::toString);
    }

    public JsonObject object() {
        return json().asJsonObject();
    }

    public JsonArray array() {
        return json().asJsonArray();
    }

    @Override
    public String toString() {
        String shown = body.length() > 600 ? body.substring(0, 600) + "…" : body;
        return method + " " + uri + " → " + status + " " + headers.map() + " " + shown;
    }
}
