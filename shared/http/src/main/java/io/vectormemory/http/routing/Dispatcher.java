package io.vectormemory.http.routing;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectormemory.http.ApiException;
import io.vectormemory.http.PathParams;
import io.vectormemory.http.Route;
import io.vectormemory.http.RouteHandler;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Matches a request to a route of the table and runs its handler under the guards.
 * <p>
 * Matching is done here rather than by Helidon's path patterns because the API must match the Rust service
 * exactly: parameters are taken from the raw path and then decoded (so {@code %2F} stays inside an id), a static
 * segment shadows a parameter, a known path with another method is a 405 with {@code Allow} (before
 * authentication), and unknown paths are a JSON 404.
 */
record Dispatcher(Map<Route, RouteHandler> handlers, ApiRouting.Guards guards) {
    void dispatch(ServerRequest req, ServerResponse res) {
        Method method = req.prologue().method();
        if (method == Method.OPTIONS) {
            preflight(res);
            return;
        }
        String rawPath = req.path().rawPath();
        String[] raw = segments(rawPath);

        // The first template of the whole table that fits decides what the path is, as in the Rust service's
        // router, even if this function serves none of its routes.
        Route template = template(raw);
        String[] rawParams = template == null ? null : template.match(raw);
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
        RequestFilter.Matched matched = req.context().get(RequestFilter.Matched.class).orElse(null);
        if (matched != null) {
            matched.route = route;
        }
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
        guards.limit().run(() -> guards.deadline().run(() -> handler.handle(req, res, pathParams)), matched);
    }

    private static String[] segments(String rawPath) {
        return rawPath.length() <= 1 ? new String[] {""} : rawPath.substring(1).split("/", -1);
    }

    /** The first route of the table whose template fits the raw path segments, or null. */
    private static Route template(String[] raw) {
        for (Route r : Route.values()) {
            if (r.match(raw) != null) {
                return r;
            }
        }
        return null;
    }

    /**
     * The answer to a request that the public URL's routing matched to no route ({@link RequestFilter#UNMATCHED}),
     * from the whole table: 404 for an unknown path, 405 with every method the table has for a known one. A request
     * the table does serve cannot come that way, and is a plain 404.
     */
    static ApiException unmatched(Method method, String rawPath) {
        Route template = template(segments(rawPath));
        Method wanted = method == Method.HEAD ? Method.GET : method;
        Set<String> allowed = new LinkedHashSet<>();
        boolean served = false;
        if (template != null) {
            for (Route r : Route.values()) {
                if (r.template().equals(template.template())) {
                    allowed.add(r.method().text());
                    if (r.method() == Method.GET) {
                        allowed.add("HEAD");
                    }
                    served |= r.method() == wanted;
                }
            }
        }
        if (template == null || served) {
            return ApiException.notFound("Not found: " + shown(method.text()) + " " + shown(rawPath));
        }
        return new ApiException(405, "Method not allowed: " + shown(method.text()) + " " + shown(rawPath),
                Map.of("Allow", String.join(",", allowed)));
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
