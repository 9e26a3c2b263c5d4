package io.vectormemory.tests.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain HTTP/1.1 client for the contract tests: every call has a timeout, nothing is retried, and the
 * response is kept whole (status, headers, body, time taken) for exact assertions.
 */
public final class Http {
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final URI base;
    private final List<String> headers = new ArrayList<>();
    private Duration timeout = REQUEST_TIMEOUT;

    private Http(URI base) {
        this.base = base;
    }

    public static Http to(URI base) {
        return new Http(base);
    }

    /** A copy of this client that also sends the header on every request. */
    public Http header(String name, String value) {
        Http h = copy();
        h.headers.add(name);
        h.headers.add(value);
        return h;
    }

    public Http apiKey(String key) {
        return header("X-API-Key", key);
    }

    public Http bearer(String key) {
        return header("Authorization", "Bearer " + key);
    }

    public Http timeout(Duration d) {
        Http h = copy();
        h.timeout = d;
        return h;
    }

    public URI base() {
        return base;
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response head(String path) {
        return send("HEAD", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response options(String path) {
        return send("OPTIONS", path, null, null);
    }

    /** POST with {@code Content-Type: application/json}. */
    public Response post(String path, String json) {
        return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** Any method, any content type (null: no Content-Type header), any body (null: none). */
    public Response send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = request(path);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        return exchange(b.build());
    }

    /** POST JSON with chunked transfer encoding: the server cannot know the length in advance. */
    public Response postChunked(String path, byte[] body) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        return exchange(b.build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        for (int i = 0; i < headers.size(); i += 2) {
            b.header(headers.get(i), headers.get(i + 1));
        }
        return b;
    }

    private Response exchange(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(request.method(), request.uri(), r.statusCode(), r.headers(),
                    new String(r.body(), StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed after "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Http copy() {
        Http h = new Http(base);
        h.headers.addAll(headers);
        h.timeout = timeout;
        return h;
    }
}
