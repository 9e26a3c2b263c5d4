package io.vectormemory.http.routing;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.vectormemory.http.json.CompactJson;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * Requests Helidon rejects before routing (malformed request line or headers, body over the listener's limit,
 * too many concurrent requests) get the same JSON error shape as everything else, with the status's reason
 * phrase only: the server's own message may quote internals and is not passed on.
 */
public final class JsonDirectHandler implements DirectHandler {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(
            JsonDirectHandler.class.getName());
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
        LOG.fine(() -> "Refused before routing: " + status.code() + " " + eventType + ": " + message);
        Status answer = status;
        String error = status.reasonPhrase();
        if (status.code() == Status.HTTP_VERSION_NOT_SUPPORTED_505.code()) {
            // Helidon answers HTTP/1.0 with 505, but 505 means an unsupported *major* version (RFC 9110 15.6.6) and
            // a 5xx blames the server: it is the client's request we cannot serve.
            answer = Status.BAD_REQUEST_400;
            error = "Unsupported HTTP version: use HTTP/1.1";
        } else if (eventType == EventType.INTERNAL_ERROR && request.method().isEmpty()) {
            // The request line itself could not be parsed (e.g. a method with non-ASCII characters makes Helidon
            // fail with an internal error): the bytes the client sent are at fault, not the server.
            answer = Status.BAD_REQUEST_400;
            error = Status.BAD_REQUEST_400.reasonPhrase();
        } else if (status.code() == Status.SERVICE_UNAVAILABLE_503.code()) {
            // Backpressure: come back shortly.
            headers.set(HeaderNames.RETRY_AFTER, "1");
        }
        byte[] body = CompactJson.bytes(JSON.createObjectBuilder()
                .add("error", error)
                .add("status", answer.code())
                .build());
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        headers.set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        headers.set(RequestFilter.REQUEST_ID, RequestFilter.requestId(request.headers().first(RequestFilter.REQUEST_ID)));
        return TransportResponse.builder()
                .status(answer)
                .headers(headers)
                .entity(body)
                .keepAlive(eventType.keepAlive())
                .build();
    }
}
