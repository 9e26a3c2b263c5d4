package io.vectormemory.http.json;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.vectormemory.http.ApiException;
import jakarta.json.JsonValue;

import static io.vectormemory.http.json.JsonFactory.JSON;

/** Writes JSON bodies and the API's error shape {@code {"error": ..., "status": N}}. */
public final class JsonResponses {
    private JsonResponses() {
    }

    public static void json(ServerResponse res, JsonValue body) {
        json(res, 200, body);
    }

    public static void json(ServerResponse res, int status, JsonValue body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(CompactJson.bytes(body));
    }

    /** A bare JSON integer, as the PHP client expects from the delete/update counters. */
    public static void count(ServerResponse res, long n) {
        json(res, JSON.createValue(n));
    }

    /** 200 with an empty body (upstream's document upsert/delete). */
    public static void empty(ServerResponse res) {
        res.status(Status.OK_200);
        res.send();
    }

    public static void error(ServerResponse res, ApiException e) {
        e.headers().forEach(res::header);
        json(res, e.status(), JSON.createObjectBuilder()
                .add("error", e.getMessage())
                .add("status", e.status())
                .build());
    }
}
