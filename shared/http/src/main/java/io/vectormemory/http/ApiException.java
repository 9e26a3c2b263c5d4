package io.vectormemory.http;

import java.util.Map;

/**
 * A request that ends in a JSON error {@code {"error": ..., "status": N}}.
 * The message is written to the client as is, so it must never carry internal details.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** Valid JSON that does not fit the request schema (upstream's 422). */
    public static ApiException schema(String message) {
        return new ApiException(422, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
