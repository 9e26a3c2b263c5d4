package io.vectormemory.shared.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.vectormemory.shared.json.JsonOut;
import jakarta.json.Json;

/**
 * Requests Helidon rejects before routing (malformed request line or headers, body over the listener's limit)
 * get the same JSON error shape as everything else, with the status's reason phrase only: the server's own
 * message may quote internals and is not passed on.
 */
public final class JsonDirectHandler implements DirectHandler {
    private JsonDirectHandler() {
    }

    public static DirectHandlers handlers() {
        JsonDirectHandler handler = new JsonDirectHandler();
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        int code = status.code();
        byte[] body = JsonOut.bytes(Json.createObjectBuilder()
                .add("error", status.reasonPhrase())
                .add("status", code)
                .build());
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        headers.set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        headers.set(RequestLog.REQUEST_ID, RequestLog.requestId(request.headers().first(RequestLog.REQUEST_ID)));
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(body)
                .keepAlive(eventType.keepAlive())
                .build();
    }
}
