package io.vectormemory.tests.reliability;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.RawHttp;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One hostile request and how to send it: through {@code java.net.http} where it can express the request, as raw
 * bytes on a socket where it cannot.
 */
record HostileProbe(String category, Route route, String label, Kind kind, String method, String path,
                    String contentType, byte[] body, List<String> headers, byte[] raw, Samples.Request sample) {

    enum Kind { HTTP, CHUNKED, RAW, HALF_CLOSED, FOREIGN }

    /** What came back, whichever way it was sent. */
    record Answer(int status, String contentType, String body, String requestId, String allow, Duration elapsed,
                  String shown) {
    }

    static HostileProbe http(String category, Route route, String method, String path, String label,
                             String contentType, byte[] body, List<String> headers) {
        return new HostileProbe(category, route, label, Kind.HTTP, method, path, contentType, body, headers, null, null);
    }

    static HostileProbe chunked(String category, Route route, String path, String label, byte[] body) {
        return new HostileProbe(category, route, label, Kind.CHUNKED, "POST", path, "application/json", body,
                List.of(), null, null);
    }

    static HostileProbe raw(String category, Route route, String label, byte[] raw) {
        return new HostileProbe(category, route, label, Kind.RAW, null, null, null, null, List.of(), raw, null);
    }

    static HostileProbe halfClosed(String category, Route route, String label, byte[] raw) {
        return new HostileProbe(category, route, label, Kind.HALF_CLOSED, null, null, null, null, List.of(), raw,
                null);
    }

    static HostileProbe foreign(String category, Route route, String label, Samples.Request sample) {
        return new HostileProbe(category, route, label, Kind.FOREIGN, null, null, null, null, List.of(), null, sample);
    }

    @Override
    public String toString() {
        return "[" + category + "] " + route.label() + ": " + label;
    }

    Answer send(Deployment deployment, String key, Duration timeout) {
        URI base = deployment.url(route);
        return switch (kind) {
            case HTTP -> {
                Http http = Http.to(base).apiKey(key).timeout(timeout);
                for (int i = 0; i < headers.size(); i += 2) {
                    http = http.header(headers.get(i), headers.get(i + 1));
                }
                yield of(http.send(method, path, contentType, body));
            }
            case CHUNKED -> of(Http.to(base).apiKey(key).timeout(timeout).postChunked(path, body));
            case RAW -> of(RawHttp.exchange(base, raw, timeout));
            case HALF_CLOSED -> halfClosed(base, timeout);
            case FOREIGN -> {
                ApiFunction other = route.function() == ApiFunction.HEALTH ? ApiFunction.UPSERT : ApiFunction.HEALTH;
                yield of(sample.send(Http.to(deployment.url(other)).apiKey(key).timeout(timeout)));
            }
        };
    }

    private Answer halfClosed(URI base, Duration timeout) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.getOutputStream().write(raw);
            s.shutdownOutput();
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, java.nio.charset.StandardCharsets.UTF_8);
            return parse(text, Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(this + " failed", e);
        }
    }

    private static Answer parse(String text, Duration elapsed) {
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Answer(-1, "", "", null, null, elapsed, text.isEmpty() ? "<closed without an answer>" : text);
        }
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line : text.substring(0, end).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                h.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return new Answer(Integer.parseInt(text.substring(9, 12)), h.getOrDefault("content-type", ""),
                text.substring(end + 4), h.get("x-request-id"), h.get("allow"), elapsed, text);
    }

    private static Answer of(Response r) {
        return new Answer(r.status(), r.header("content-type").orElse(""), r.body(),
                r.header("x-request-id").orElse(null), r.header("allow").orElse(null), r.elapsed(), r.toString());
    }

    private static Answer of(RawHttp.Answer a) {
        return new Answer(a.status(), a.header("content-type") == null ? "" : a.header("content-type"), a.body(),
                a.header("x-request-id"), a.header("allow"), a.elapsed(), a.toString());
    }
}
