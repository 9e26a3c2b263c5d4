package io.vectormemory.shared.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mounts the routes of some functions on a Helidon routing, from the route table.
 * <p>
 * Matching is done here rather than by Helidon's path patterns because the API must match the Rust service
 * exactly: parameters are taken from the raw path and then decoded (so {@code %2F} stays inside an id), a
 * static segment shadows a parameter, a known path with another method is a 405 with {@code Allow} (before
 * authentication), and unknown paths are a JSON 404.
 */
public final class ApiRouting {
    private static final Logger LOG = Logger.getLogger(ApiRouting.class.getName());
    /** Helidon's request entity stream: every read of a request body goes through it. */
    private static final String REQUEST_ENTITY_READER = "io.helidon.http.media.ReadableEntityBase";

    private ApiRouting() {
    }

    /**
     * What is checked and wrapped around every API request.
     *
     * @param keys         the API keys protected routes require
     * @param state        serving or draining: readiness fails while draining
     * @param qdrant       the per-request Qdrant deadline every handler runs under
     * @param limit        how many API requests may run at once
     * @param maxBodyBytes the body limit, for requests that announce a larger body and wait for our go-ahead
     */
    public record Guards(ApiKeys keys, ServingState state, QdrantScope qdrant, ConcurrencyLimit limit,
                         long maxBodyBytes) {
    }

    /**
     * @param rules     the routing to add to
     * @param functions the functions whose routes to serve
     * @param handlers  a handler for every route of those functions
     * @param log       the request log/metrics filter of this server
     * @param guards    auth, deadline, backpressure and lifecycle of every request
     */
    public static void routing(HttpRouting.Builder rules, Set<ApiFunction> functions, Map<Route, RouteHandler> handlers,
                               RequestLog log, Guards guards) {
        List<Route> served = Route.of(functions);
        Map<Route, RouteHandler> bound = new EnumMap<>(Route.class);
        for (Route r : served) {
            RouteHandler h = handlers.get(r);
            if (h == null) {
                throw new IllegalArgumentException("no handler for " + r.label());
            }
            bound.put(r, h);
        }
        Dispatcher dispatcher = new Dispatcher(bound, guards);
        rules.addFilter(log)
                .error(ApiException.class, (req, res, e) -> Responses.error(res, e))
                .error(Exception.class, ApiRouting::unexpected)
                .get(Route.LIVENESS_PATH, (req, res) -> res.send("OK"))
                .get(Route.METRICS_PATH, (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(log.metrics().prometheusText().getBytes(StandardCharsets.UTF_8));
                })
                .get(Route.READINESS_PATH, (req, res) -> {
                    if (guards.state().draining()) {
                        // Shutting down: the load balancer stops sending new requests here.
                        throw new ApiException(503, "Shutting down", Map.of("Retry-After", "1"));
                    }
                    res.send("OK");
                })
                .any(dispatcher::dispatch);
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        String requestId = req.context().get(RequestLog.Matched.class).map(m -> m.requestId).orElse("-");
        if (whileReadingTheRequestBody(e)) {
            // Broken framing (e.g. a malformed chunk size) or a client that went away mid-body: the client's fault,
            // and the connection cannot carry another request.
            LOG.fine(() -> "Unreadable request body, request " + requestId + ": " + e);
            res.header(HeaderNames.CONNECTION, "close");
            Responses.error(res, ApiException.badRequest("Malformed request body"));
            return;
        }
        LOG.log(Level.SEVERE, "Unexpected failure, request " + requestId, e);
        Responses.error(res, new ApiException(500, "Internal server error"));
    }

    /** Whether the failure was raised inside the server's reader of the request entity. */
    static boolean whileReadingTheRequestBody(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith(REQUEST_ENTITY_READER)) {
                    return true;
                }
            }
        }
        return false;
    }

    private record Dispatcher(Map<Route, RouteHandler> handlers, Guards guards) {
        void dispatch(ServerRequest req, ServerResponse res) {
            Method method = req.prologue().method();
            if (method == Method.OPTIONS) {
                preflight(res);
                return;
            }
            String rawPath = req.path().rawPath();
            String[] raw = rawPath.length() <= 1 ? new String[] {""} : rawPath.substring(1).split("/", -1);

            // The first template of the whole table that fits decides what the path is, as in the upstream
            // router, even if this function serves none of its routes.
            Route template = null;
            String[] rawParams = null;
            for (Route r : Route.values()) {
                rawParams = r.match(raw);
                if (rawParams != null) {
                    template = r;
                    break;
                }
            }
            if (template == null) {
                throw ApiException.notFound("Not found: " + method.text() + " " + shown(rawPath));
            }
            Method wanted = method == Method.HEAD ? Method.GET : method;
            Route route = null;
            Set<String> allowed = new LinkedHashSet<>();
            for (Map.Entry<Route, RouteHandler> e : handlers.entrySet()) {
                Route r = e.getKey();
                if (r.template().equals(template.template())) {
                    allowed.add(r.method().text());
                    if (r.method() == Method.GET) {
                        allowed.add("HEAD");
                    }
                    if (r.method() == wanted) {
                        route = r;
                    }
                }
            }
            if (allowed.isEmpty()) {
                throw ApiException.notFound("Not found: " + method.text() + " " + shown(rawPath));
            }
            if (route == null) {
                throw new ApiException(405, "Method not allowed: " + shown(method.text()) + " " + shown(rawPath),
                        Map.of("Allow", String.join(",", allowed)));
            }
            Route chosen = route;
            req.context().get(RequestLog.Matched.class).ifPresent(m -> m.route = chosen);
            if (route.access() == Route.Access.KEY && !guards.keys().accepts(req.headers())) {
                throw new ApiException(401, "Missing or invalid API key");
            }
            refuseAnnouncedOversizedBody(req, guards.maxBodyBytes());
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < raw.length; i++) {
                String name = route.parameterAt(i);
                if (name != null) {
                    params.put(name, PathParams.decode(rawParams[i]));
                }
            }
            RouteHandler handler = handlers.get(route);
            PathParams pathParams = new PathParams(params);
            guards.limit().run(() -> guards.qdrant().run(() -> handler.handle(req, res, pathParams)));
        }

        /**
         * A client that sends {@code Expect: 100-continue} waits for our go-ahead before it sends the body: when the
         * announced body is over the limit, the answer is a 413 at once, and the body is never sent. (Reading it to
         * discard it would send the go-ahead and then wait for a body we refuse anyway.)
         */
        private static void refuseAnnouncedOversizedBody(ServerRequest req, long maxBodyBytes) {
            boolean expectsContinue = req.headers().first(HeaderNames.EXPECT)
                    .map(v -> v.strip().equalsIgnoreCase("100-continue")).orElse(false);
            if (!expectsContinue) {
                return;
            }
            long announced = req.headers().first(HeaderNames.CONTENT_LENGTH).map(v -> {
                try {
                    return Long.parseLong(v.strip());
                } catch (NumberFormatException e) {
                    return -1L;
                }
            }).orElse(-1L);
            if (announced > maxBodyBytes) {
                throw new ApiException(413, "Request body exceeds the limit of " + maxBodyBytes + " bytes",
                        Map.of("Connection", "close"));
            }
        }

        private static void preflight(ServerResponse res) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "*");
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "*");
            res.status(Status.OK_200);
            res.send();
        }

        // Paths and methods are echoed in errors only in a bounded, printable form.
        private static String shown(String s) {
            StringBuilder b = new StringBuilder(Math.min(s.length(), 100));
            for (int i = 0; i < s.length() && b.length() < 100; i++) {
                char c = s.charAt(i);
                b.append(c >= 0x20 && c < 0x7F ? c : '?');
            }
            return s.length() > 100 ? b + "…" : b.toString();
        }
    }
}
