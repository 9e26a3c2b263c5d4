package io.vectormemory.http.routing;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.vectormemory.http.RequestTimeoutException;
import io.vectormemory.http.Route;
import io.vectormemory.http.json.JsonResponses;
import io.vectormemory.http.observe.AccessLog;
import io.vectormemory.http.observe.ApiMetrics;
import io.vectormemory.qdrant.calls.QdrantCalls;

import java.time.Instant;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Outermost filter of every request: request id, CORS origin header, {@code Connection: close} while draining,
 * no body for HEAD, and at the end the request's metrics and its one structured log line (time, request id,
 * function, route template, status, latency, Qdrant time; never payloads, vectors or keys).
 */
public final class RequestFilter implements Filter {
    public static final HeaderName REQUEST_ID = HeaderNames.create("x-request-id");
    /**
     * Set by the public URL's lowest-precedence rule (knative/base/gateway.yaml) on requests that matched no route
     * there: they are answered from the whole route table, so that URL answers like the API, never like the gateway.
     */
    public static final HeaderName UNMATCHED = HeaderNames.create("x-vector-memory-unmatched");
    private static final Logger LOG = Logger.getLogger("io.vectormemory.requests");
    private static final int MAX_REQUEST_ID = 128;

    private final String function;
    private final ApiMetrics metrics;
    private final ServingState state;

    /** The metrics this filter records into, which {@code /metrics} serves. */
    public ApiMetrics metrics() {
        return metrics;
    }

    public RequestFilter(String function, ApiMetrics metrics, ServingState state) {
        this.function = function;
        this.metrics = metrics;
        this.state = state;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        // As the client sent it: routing makes req.path() relative to a service, and /metrics is rerouted.
        String rawPath = req.path().rawPath();
        String requestId = requestId(req.headers().first(REQUEST_ID));
        Matched matched = new Matched(requestId);
        req.context().register(matched);
        res.header(REQUEST_ID, requestId);
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (state.draining()) {
            // Shutting down: the client's next request opens a new connection, to a server that still takes work.
            res.header(HeaderNames.CONNECTION, "close");
        }
        QdrantCalls.resetTime();
        if (req.prologue().method() == Method.HEAD) {
            // HEAD answers like GET, without the body.
            res.streamFilter(body -> java.io.OutputStream.nullOutputStream());
        }
        boolean unmatched = req.headers().contains(UNMATCHED) && req.prologue().method() != Method.OPTIONS;
        try {
            if (unmatched) {
                // Before the probes and /metrics too: those are not public.
                JsonResponses.error(res, Dispatcher.unmatched(req.prologue().method(), rawPath));
            } else {
                chain.proceed();
            }
        } catch (RequestTimeoutException e) {
            // The body stopped coming: the connection got its 408 from ReadTimeouts (shared/http/server).
            res.status(Status.REQUEST_TIMEOUT_408);
            throw e;
        } finally {
            long nanos = System.nanoTime() - start;
            boolean infra = !unmatched && matched.route == null && Route.infra(rawPath);
            String route = matched.route != null ? matched.route.label()
                    : infra ? req.prologue().method().text() + " " + rawPath : ApiMetrics.UNMATCHED;
            int status = res.status().code();
            long qdrantNanos = QdrantCalls.timeNanos();
            if (!infra) {
                // Probes, scrapes and observe endpoints are not API traffic: counted, they would dilute the
                // error-ratio alerts.
                metrics.record(matched.route, status, nanos, qdrantNanos, matched.unavailable);
            }
            if (LOG.isLoggable(java.util.logging.Level.INFO)) {
                // To stderr like every log line, but not through a LogRecord and the handler, and not written by
                // this thread (AccessLog): both showed in every search's profile.
                AccessLog.write(Instant.now(), requestId, function, route, status, nanos, qdrantNanos);
            }
        }
    }

    /** Says why a request is answered 503, for the {@code api_request_unavailable_total} meter. */
    public static void unavailable(ServerRequest req, ApiMetrics.Unavailable cause) {
        req.context().get(Matched.class).ifPresent(m -> m.unavailable = cause);
    }

    /**
     * Registered in the request context before routing, so the dispatcher can report which route it chose
     * (a handler's context is a child of the filter's: registering there would not be seen here).
     */
    static final class Matched {
        final String requestId;
        volatile Route route;
        volatile ApiMetrics.Unavailable unavailable;

        Matched(String requestId) {
            this.requestId = requestId;
        }
    }

    /** The client's request id if acceptable, else a new random one. */
    static String requestId(java.util.Optional<String> fromClient) {
        return fromClient.filter(RequestFilter::acceptable).orElseGet(RequestFilter::newRequestId);
    }

    /**
     * A random id in UUID v4 form. It correlates log lines, it is not a secret: a fast generator instead of
     * {@link UUID#randomUUID()}'s SecureRandom, which showed in every request's profile.
     */
    static String newRequestId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** A client's request id is reused only if short and visible ASCII (it is echoed and logged). */
    static boolean acceptable(String id) {
        if (id.isEmpty() || id.length() > MAX_REQUEST_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
