package io.vectormemory.tests.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * One public base URL in front of separately running functions, as the HTTPRoute of knative/base/gateway.yaml
 * makes one: a request of the route table goes to the function that serves it, any other to the health function
 * with {@code x-vector-memory-unmatched: 1}; a function that does not answer gets the gateway's plain-text 503.
 * Only what a smoke test needs: no TLS, no timeouts per route.
 */
public final class PublicUrl implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "keep-alive");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final HttpServer server;
    private final Map<ApiFunction, URI> functions;

    private PublicUrl(Map<ApiFunction, URI> functions) throws IOException {
        this.functions = Map.copyOf(functions);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::forward);
        server.start();
    }

    /** Listens on a free loopback port; each function at its base URL (one that nothing listens on is "down"). */
    public static PublicUrl to(Map<ApiFunction, URI> functions) {
        try {
            return new PublicUrl(functions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            Route route = route(method, rawPath);
            ApiFunction function = route == null ? ApiFunction.HEALTH : route.function();
            String query = exchange.getRequestURI().getRawQuery();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(functions.get(function) + rawPath
                            + (query == null ? "" : "?" + query)))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            if (route == null) {
                request.header("x-vector-memory-unmatched", "1");
            }
            HttpResponse<byte[]> answer;
            try {
                answer = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                send(exchange, 503, Map.of("content-type", List.of("text/plain")),
                        "no healthy upstream".getBytes(StandardCharsets.UTF_8));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            send(exchange, answer.statusCode(), answer.headers().map(), answer.body());
        }
    }

    private static Route route(String method, String rawPath) {
        String[] segments = rawPath.length() > 1 ? rawPath.substring(1).split("/", -1) : new String[] {""};
        for (Route r : Route.values()) {
            if (r.method().text().equals(method) && r.match(segments) != null) {
                return r;
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        headers.forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
