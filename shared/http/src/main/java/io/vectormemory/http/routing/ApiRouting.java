package io.vectormemory.http.routing;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectormemory.http.ApiException;
import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.Route;
import io.vectormemory.http.RouteHandler;
import io.vectormemory.http.json.JsonResponses;
import io.vectormemory.qdrant.calls.RequestDeadline;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Assembles a server's routing: the request filter, error mapping (in this class and {@link QdrantErrors}, and
 * nowhere else), the probes and {@code /metrics} (given by the server), and the {@link Dispatcher} for the API
 * routes.
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
     * @param deadline     the per-request Qdrant deadline every handler runs under
     * @param limit        how many API requests may run at once
     * @param maxBodyBytes the body limit, for requests that announce a larger body and wait for our go-ahead
     */
    public record Guards(ApiKeys keys, ServingState state, RequestDeadline deadline, ConcurrencyLimit limit,
                         long maxBodyBytes) {
    }

    /**
     * @param rules     the routing to add to
     * @param functions the functions this server serves
     * @param routes    a handler for every route of those functions, and none for another function's route
     * @param filter    the request filter of this server (ids, log line, metrics)
     * @param guards    auth, deadline, backpressure and lifecycle of every request
     * @param probes    the probes and the scrape path, aliases of Helidon's observe endpoints
     */
    public static void routing(HttpRouting.Builder rules, Set<ApiFunction> functions, ApiRoutes routes,
                               RequestFilter filter, Guards guards, Consumer<HttpRules> probes) {
        Map<Route, RouteHandler> bound = new EnumMap<>(Route.class);
        for (Route r : Route.of(functions)) {
            RouteHandler h = routes.handlers().get(r);
            if (h == null) {
                throw new IllegalArgumentException("no handler for " + r.label());
            }
            bound.put(r, h);
        }
        for (Route r : routes.handlers().keySet()) {
            if (!functions.contains(r.function())) {
                throw new IllegalArgumentException("a handler for " + r.label() + ", which the " + r.function().id()
                        + " function serves, on a server of " + functions);
            }
        }
        Dispatcher dispatcher = new Dispatcher(bound, guards);
        rules.addFilter(filter)
                .error(ApiException.class, (req, res, e) -> JsonResponses.error(res, e));
        QdrantErrors.register(rules);
        rules.error(Exception.class, ApiRouting::unexpected);
        probes.accept(rules);
        rules.any(dispatcher::dispatch);
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        String requestId = req.context().get(RequestFilter.Matched.class).map(m -> m.requestId).orElse("-");
        if (whileReadingTheRequestBody(e)) {
            // Broken framing (e.g. a malformed chunk size) or a client that went away mid-body: the client's fault,
            // and the connection cannot carry another request.
            LOG.fine(() -> "Unreadable request body, request " + requestId + ": " + e);
            res.header(HeaderNames.CONNECTION, "close");
            JsonResponses.error(res, ApiException.badRequest("Malformed request body"));
            return;
        }
        LOG.log(Level.SEVERE, "Unexpected failure, request " + requestId, e);
        JsonResponses.error(res, new ApiException(500, "Internal server error"));
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
}
